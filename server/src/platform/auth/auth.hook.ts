/**
 * @module The auth hook: resolves the caller (session token, secret key, publishable key, customer token) and
 * enforces the route's declared access before anything else runs, so a refused request never reaches validation
 * or a handler.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../errors';
import type { Access } from './permissions';
import type { Principal } from './principal';

export interface Authenticators {
  session(token: string): Promise<Principal | null>;
  apiKey(key: string): Promise<Principal | null>;
  /** Self-service customer tokens (`X-Customer-Token`), checked only on `access: 'customer'` routes. */
  customerToken?(token: string): Promise<Principal | null>;
}

/**
 * Self-service routes take the customer token in its own header: a storefront already sends its pk_ key in
 * Authorization, and the preference page a customer opens from a message has only the token.
 */
export const CUSTOMER_TOKEN_HEADER = 'x-customer-token';

const anonymous: Principal = { kind: 'anonymous' };

function credentialOf(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (match) return match[1]!;
    // Segment libraries send their write key as the Basic user name with an empty password; a write key is a
    // publishable key, and Basic carries nothing else here.
    const basic = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header);
    const user = basic ? Buffer.from(basic[1]!, 'base64').toString('utf8').split(':')[0] : undefined;
    if (user && /^pk_\S+$/.test(user)) return user;
    throw new AppError(
      'unauthenticated',
      basic
        ? 'HTTP Basic takes a write key (publishable key pk_…) as the user name.'
        : 'Use "Authorization: Bearer <token or key>".',
    );
  }
  // WebSockets from browsers cannot send headers; the realtime route accepts the token in the query.
  const query = request.query as Record<string, unknown> | undefined;
  if (request.routeOptions.config.access === 'session' && typeof query?.access_token === 'string')
    return query.access_token;
  return null;
}

export function authorize(principal: Principal, access: Access): void {
  if (access === 'public') return;
  if (access === 'customer') {
    if (principal.kind !== 'customer')
      throw new AppError('unauthenticated', 'Send the customer token in the X-Customer-Token header.');
    return;
  }
  if (principal.kind === 'anonymous')
    throw new AppError('unauthenticated', 'Sign in or send an API key to use this endpoint.');
  if (principal.kind === 'customer')
    throw new AppError('forbidden', 'A customer token opens only the self-service /store/v1/me routes.');
  if (access === 'publishable') {
    if (principal.kind !== 'publishable_key')
      throw new AppError('forbidden', 'This endpoint is for publishable keys (pk_…) of a channel.');
    return;
  }
  if (principal.kind === 'publishable_key') {
    throw new AppError('forbidden', 'Publishable keys (pk_…) can only call the customer-facing /store API.');
  }
  if (access === 'session') {
    if (principal.kind !== 'staff')
      throw new AppError('forbidden', 'This endpoint is for signed-in staff users, not API keys.');
    return;
  }
  if (!principal.permissions.includes(access)) {
    throw new AppError(
      'forbidden',
      `Your role (${principal.role}) does not have the "${access}" permission.`,
      { permission: access },
    );
  }
}

export function installAuth(app: FastifyInstance, authenticators: Authenticators): void {
  // Decorated with null (Fastify forbids shared reference values) and always set first thing in the hook.
  app.decorateRequest('principal', null as never);
  app.addHook('onRequest', async (request) => {
    request.principal = anonymous;
    const access = request.routeOptions.config.access;
    if (access === undefined) return; // 404/405: nothing to protect
    if (access === 'customer') {
      // The token alone opens these routes; an Authorization header (a storefront's pk_ key) is not needed.
      const header = request.headers[CUSTOMER_TOKEN_HEADER];
      const token = typeof header === 'string' ? header.trim() : '';
      if (token) {
        const resolved = (await authenticators.customerToken?.(token)) ?? null;
        if (!resolved)
          throw new AppError('unauthenticated', 'The customer token is unknown, expired or revoked.');
        request.principal = resolved;
      }
      authorize(request.principal, access);
      return;
    }
    const credential = access === 'public' ? null : credentialOf(request);
    let principal: Principal = anonymous;
    if (credential) {
      const resolved = /^(sk|pk)_/.test(credential)
        ? await authenticators.apiKey(credential)
        : await authenticators.session(credential);
      if (!resolved)
        throw new AppError('unauthenticated', 'The token or key is unknown, expired or revoked.');
      principal = resolved;
    }
    request.principal = principal;
    authorize(principal, access);
  });
}
