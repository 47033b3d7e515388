/** @module Type augmentation: the per-route options Omnis routes declare and what hooks attach to requests. */
import 'fastify';
import type { Access } from '../auth/permissions';
import type { Principal } from '../auth/principal';
import type { IdempotencyState } from './idempotency';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Required on every route: the permission (or access level) it needs. */
    access?: Access;
    /** Audit action name for a state-changing route, e.g. `channel.update`. */
    audit?: string;
  }
  interface FastifyRequest {
    principal: Principal;
    idempotency?: IdempotencyState;
  }
}
