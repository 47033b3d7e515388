/** @module Who is calling: the principal attached to each request by the auth hook, and the actor it becomes in events and audit entries. */
import type { Permission, Role } from './permissions';

export type Principal =
  | {
      kind: 'staff';
      userId: string;
      sessionId: string;
      role: Role;
      label: string;
      permissions: readonly Permission[];
    }
  | { kind: 'secret_key'; keyId: string; role: Role; label: string; permissions: readonly Permission[] }
  | { kind: 'publishable_key'; keyId: string; channelId: string; label: string }
  /** A customer holding a self-service token (X-Customer-Token): one customer's own /store/v1/me routes. */
  | { kind: 'customer'; customerId: string; tokenId: string; channelId: string | null }
  | { kind: 'anonymous' };

/** Who did something, as recorded in events and the audit log. */
export interface Actor {
  type: 'staff' | 'api_key' | 'customer' | 'system';
  id: string | null;
  label: string;
}

export const systemActor: Actor = { type: 'system', id: null, label: 'system' };

export function actorOf(principal: Principal): Actor {
  switch (principal.kind) {
    case 'staff':
      return { type: 'staff', id: principal.userId, label: principal.label };
    case 'secret_key':
    case 'publishable_key':
      return { type: 'api_key', id: principal.keyId, label: principal.label };
    case 'customer':
      return { type: 'customer', id: principal.customerId, label: 'customer' };
    case 'anonymous':
      return { type: 'system', id: null, label: 'anonymous' };
  }
}

/** Stable identifier for per-caller records such as idempotency keys. */
export function principalId(principal: Principal): string {
  switch (principal.kind) {
    case 'staff':
      return principal.userId;
    case 'secret_key':
    case 'publishable_key':
      return principal.keyId;
    case 'customer':
      return principal.customerId;
    case 'anonymous':
      return 'anonymous';
  }
}
