/**
 * @module Customer access tokens: how a customer proves who they are without a staff account. A token is put
 * into a link ("manage your preferences") in any message Omnis sends, and opens `/store/v1/me/…` for that one
 * customer until it expires or is revoked.
 *
 * Random and hashed, not HMAC-signed: a signed token would carry the customer id in clear (in URLs, proxies and
 * browser history) and still need a database read to honour revocation, erasure and restriction, so the
 * signature would buy nothing but a signing key to keep, rotate and leak. A random 192-bit token needs no key;
 * the database keeps only its sha256 (like sessions and API keys), so a copy of the database opens nothing.
 *
 * Tokens are minted two ways: by staff or a server for a message they send, and by the customer asking on a
 * storefront for a link to their email or phone. The second never says whether the address is known, and mints
 * nothing yet: it records a request and emits `customer.access_link_requested` (ids only). The sender that
 * handles the event calls `issueRequestedLink`, which puts a fresh token into that one message, once.
 */
import { AppError, notFound, type FieldError } from '../../platform/errors';
import { decodeBool, encodeJson } from '../../platform/db/codecs';
import type { Db } from '../../platform/db/database';
import { inTransaction } from '../../platform/db/transaction';
import { newId } from '../../platform/ids';
import type { PageRequest } from '../../platform/http/pagination';
import { hashToken, newToken } from '../../platform/auth/secrets';
import type { Actor, Principal } from '../../platform/auth/principal';
import type { EventBus } from '../../platform/events/outbox';
import { mergedFamily, survivorOf } from './customer.repository';
import { IdentifierError, normalizeIdentifier } from './identifier.rules';
import {
  countRequestsSince,
  findAccessToken,
  findAccessTokenByHash,
  insertAccessToken,
  issueRequestedToken,
  listAccessTokens,
  revokeAccessToken,
  revokeAccessTokens,
  touchAccessToken,
  type AccessToken,
} from './self-service.repository';

/** Where the preference centre lives; the console serves it (console/src/pages/preferences). */
export const PREFERENCES_PATH = '/preferences';
export const TOKEN_PREFIX = 'ctk_';
/** A requested link the sender has not issued within a day is stale: the customer has moved on. */
const REQUEST_TTL_MS = 24 * 3_600_000; // 24 hours
/** Requests per customer per hour beyond which we stay silent, so nobody can flood someone's inbox. */
const MAX_REQUESTS_PER_HOUR = 5;

export interface MintedLink {
  id: string;
  customer_id: string;
  /** Shown once; Omnis keeps only its hash. */
  token: string;
  /** `/preferences?token=…` — put it after the public URL, or use `url`. */
  path: string;
  url: string;
  expires_at: string;
}

export type AccessAddress = { email: string } | { phone: string };

const invalid = (errors: FieldError[]) =>
  new AppError('validation_failed', errors.map((e) => `${e.field} ${e.message}`).join('; '), { errors });

export function createAccessTokens(deps: {
  db: Db;
  events: EventBus;
  /** Lifetime of an issued token, in milliseconds. */
  ttlMs: number;
  /** The public base URL the links point at, asked at each link: the port may be known only once listening. */
  publicUrl: () => string;
  channelExists: (id: string) => Promise<boolean>;
}) {
  const { db, events } = deps;

  const linkOf = (token: string) => {
    const path = `${PREFERENCES_PATH}?token=${encodeURIComponent(token)}`;
    return { path, url: `${deps.publicUrl().replace(/\/$/, '')}${path}` };
  };

  /** The active profile answering for `id`; erased → 404, restricted → 422 (its tokens would not work). */
  async function activeSurvivor(id: string) {
    const row = await survivorOf(db, id);
    if (!row) throw notFound('customer', id);
    if (row.status === 'erased') throw new AppError('not_found', `Customer ${id} was erased.`);
    if (decodeBool(row.restricted))
      throw new AppError('unprocessable', `Processing of customer ${id} is restricted; no link can be made.`);
    return row;
  }

  /** Records a link request for the sender; silent (false) for a profile that cannot be served. */
  async function recordRequest(
    identifier: { id: string; customer_id: string; type: string },
    channelId: string | null,
    purpose: 'access' | 'confirm_email',
  ): Promise<boolean> {
    const profile = await survivorOf(db, identifier.customer_id);
    if (!profile || profile.status !== 'active' || decodeBool(profile.restricted)) return false;
    const now = Date.now();
    const family = await mergedFamily(db, profile.id);
    // A soft limit (read, then write): a race can let one extra request through, which is harmless.
    if ((await countRequestsSince(db, family, now - 3_600_000)) >= MAX_REQUESTS_PER_HOUR) return false;
    const id = newId('cal');
    const sentVia = identifier.type === 'email' ? 'email' : 'sms';
    const expiresAt = now + REQUEST_TTL_MS;
    await inTransaction(db, async (trx) => {
      await insertAccessToken(trx, {
        id,
        customer_id: profile.id,
        token_hash: null,
        source: 'request',
        channel_id: channelId,
        sent_to_identifier_id: identifier.id,
        sent_via: sentVia,
        actor: encodeJson({ type: 'customer', id: null }),
        created_at: now,
        issued_at: null,
        expires_at: expiresAt,
        revoked_at: null,
        last_used_at: null,
      });
      await events.append(trx, {
        type: 'customer.access_link_requested',
        aggregate: { type: 'customer', id: profile.id },
        customerId: profile.id,
        channelId,
        actor: { type: 'customer', id: null, label: 'customer' },
        data: {
          request_id: id,
          customer_id: profile.id,
          identifier_id: identifier.id,
          via: sentVia,
          purpose,
          expires_at: new Date(expiresAt).toISOString(),
        },
      });
    });
    return true;
  }

  return {
    /**
     * Mints a preference link for a message staff or a server is about to send. `identifier_id` names the email
     * or phone it goes to: opening it then proves the customer reads that address (email marketing needs no
     * second confirmation).
     * @example const { url } = await tokens.createPreferenceLink('cus_01…', { identifier_id: 'cid_01…' }, actor)
     */
    async createPreferenceLink(
      customerId: string,
      input: { channel_id?: string | null | undefined; identifier_id?: string | null | undefined },
      actor: Actor,
    ): Promise<MintedLink> {
      const profile = await activeSurvivor(customerId);
      const family = await mergedFamily(db, profile.id);
      const errors: FieldError[] = [];
      if (input.channel_id && !(await deps.channelExists(input.channel_id)))
        errors.push({ field: 'body.channel_id', message: 'is not a known channel' });
      let sentVia: 'email' | 'sms' | null = null;
      if (input.identifier_id) {
        const identifier = await db
          .selectFrom('customer_identifiers')
          .select(['type', 'customer_id'])
          .where('id', '=', input.identifier_id)
          .executeTakeFirst();
        if (!identifier || !family.includes(identifier.customer_id))
          errors.push({ field: 'body.identifier_id', message: 'is not an identifier of this customer' });
        else if (identifier.type !== 'email' && identifier.type !== 'phone')
          errors.push({ field: 'body.identifier_id', message: 'must be an email or phone identifier' });
        else sentVia = identifier.type === 'email' ? 'email' : 'sms';
      }
      if (errors.length) throw invalid(errors);
      const now = Date.now();
      const token = newToken(TOKEN_PREFIX);
      const id = newId('cal');
      const expiresAt = now + deps.ttlMs;
      await inTransaction(db, async (trx) => {
        await insertAccessToken(trx, {
          id,
          customer_id: profile.id,
          token_hash: hashToken(token),
          source: 'staff',
          channel_id: input.channel_id ?? null,
          sent_to_identifier_id: input.identifier_id ?? null,
          sent_via: sentVia,
          actor: encodeJson({ type: actor.type, id: actor.id }),
          created_at: now,
          issued_at: now,
          expires_at: expiresAt,
          revoked_at: null,
          last_used_at: null,
        });
        await events.append(trx, {
          type: 'customer.access_link_created',
          aggregate: { type: 'customer', id: profile.id },
          customerId: profile.id,
          channelId: input.channel_id ?? null,
          actor,
          data: { link_id: id, customer_id: profile.id, sent_via: sentVia },
        });
      });
      return {
        id,
        customer_id: profile.id,
        token,
        ...linkOf(token),
        expires_at: new Date(expiresAt).toISOString(),
      };
    },

    /**
     * The customer asks for a link to their email or phone. Whether the address is known, erased or unknown,
     * the caller learns nothing; when it belongs to an active profile, a request is recorded and
     * `customer.access_link_requested` asks the contact centre to send it (see issueRequestedLink).
     * @example await tokens.requestAccessLink({ email: 'ana@example.com' }, 'cha_01…')
     */
    async requestAccessLink(address: AccessAddress, channelId: string): Promise<void> {
      const [type, raw, field] =
        'email' in address
          ? (['email', address.email, 'body.email'] as const)
          : (['phone', address.phone, 'body.phone'] as const);
      let value: string;
      try {
        value = normalizeIdentifier(type, raw);
      } catch (err) {
        if (err instanceof IdentifierError) throw invalid([{ field, message: err.message }]);
        throw err;
      }
      const identifier = await db
        .selectFrom('customer_identifiers')
        .select(['id', 'customer_id', 'type'])
        .where('type', '=', type)
        .where('value', '=', value)
        .executeTakeFirst();
      if (identifier) await recordRequest(identifier, channelId, 'access');
    },

    /**
     * Double opt-in from the preference page when the link did not come through the mailbox: asks the sender
     * to mail a link to the customer's (oldest) email address, where opening it proves the address.
     * @returns whether a request was recorded (false: no email address, or the flood limit)
     */
    async requestEmailConfirmation(customerId: string, channelId: string | null): Promise<boolean> {
      const profile = await survivorOf(db, customerId);
      if (!profile) return false;
      const email = await db
        .selectFrom('customer_identifiers')
        .select(['id', 'customer_id', 'type'])
        .where('customer_id', 'in', await mergedFamily(db, profile.id))
        .where('type', '=', 'email')
        .orderBy('id')
        .executeTakeFirst();
      return email ? recordRequest(email, channelId, 'confirm_email') : false;
    },

    /**
     * For the sender handling `customer.access_link_requested`: mints the token for that one message and says
     * where to send it. Single use per request (a second call is a 409); a stale or revoked request is a 422.
     * @example const { url, to } = await tokens.issueRequestedLink(event.data.request_id)
     */
    async issueRequestedLink(
      requestId: string,
    ): Promise<MintedLink & { to: { type: 'email' | 'phone'; value: string } }> {
      const now = Date.now();
      const token = newToken(TOKEN_PREFIX);
      const issued = await issueRequestedToken(db, requestId, hashToken(token), now, now + deps.ttlMs);
      if (!issued) {
        const known = await findAccessToken(db, requestId);
        if (!known || known.source !== 'request') throw notFound('access link request', requestId);
        if (known.token_hash !== null)
          throw new AppError('conflict', 'This link was already issued.', { reason: 'issued' });
        throw new AppError('unprocessable', 'This request is stale or was revoked.', { reason: 'stale' });
      }
      const identifier = issued.sent_to_identifier_id
        ? await db
            .selectFrom('customer_identifiers')
            .select(['type', 'value'])
            .where('id', '=', issued.sent_to_identifier_id)
            .executeTakeFirst()
        : undefined;
      if (!identifier) {
        // The address was erased or removed since the request: nothing to send to, so the token must not live.
        await revokeAccessToken(db, issued.id, now);
        throw new AppError('unprocessable', 'The address of this request is gone.', { reason: 'gone' });
      }
      return {
        id: issued.id,
        customer_id: issued.customer_id,
        token,
        ...linkOf(token),
        expires_at: new Date(issued.expires_at).toISOString(),
        to: { type: identifier.type as 'email' | 'phone', value: identifier.value },
      };
    },

    /**
     * The auth hook's check of `X-Customer-Token`: the customer the token opens today (the survivor of a
     * merge), or null when the token is unknown, expired, revoked, or its customer erased or restricted.
     */
    async authenticate(token: string): Promise<Principal | null> {
      if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return null;
      const row = await findAccessTokenByHash(db, hashToken(token));
      const now = Date.now();
      if (!row || row.revoked_at !== null || row.expires_at <= now || row.issued_at === null) return null;
      const profile = await survivorOf(db, row.customer_id);
      if (!profile || profile.status !== 'active' || decodeBool(profile.restricted)) return null;
      await touchAccessToken(db, row.id, now);
      return { kind: 'customer', customerId: profile.id, tokenId: row.id, channelId: row.channel_id };
    },

    /** The token row behind a principal (for what it proves: the address it was sent to). */
    retrieveToken: (id: string) => findAccessToken(db, id),

    /**
     * Revokes every working link of the customer (and of profiles merged into it), e.g. after a lost phone.
     * @example const { revoked } = await tokens.revokeLinks('cus_01…', actor)
     */
    async revokeLinks(customerId: string, actor: Actor): Promise<{ customer_id: string; revoked: number }> {
      const profile = await survivorOf(db, customerId);
      if (!profile) throw notFound('customer', customerId);
      const family = await mergedFamily(db, profile.id);
      const revoked = await inTransaction(db, async (trx) => {
        const n = await revokeAccessTokens(trx, family, Date.now());
        await events.append(trx, {
          type: 'customer.access_links_revoked',
          aggregate: { type: 'customer', id: profile.id },
          customerId: profile.id,
          actor,
          data: { customer_id: profile.id, revoked: n },
        });
        return n;
      });
      return { customer_id: profile.id, revoked };
    },

    /** The customer ends the link they are using (say, on a shared computer). */
    async revokeLink(customerId: string, tokenId: string): Promise<void> {
      await inTransaction(db, async (trx) => {
        if (!(await revokeAccessToken(trx, tokenId, Date.now()))) return;
        await events.append(trx, {
          type: 'customer.access_links_revoked',
          aggregate: { type: 'customer', id: customerId },
          customerId,
          actor: { type: 'customer', id: customerId, label: 'customer' },
          data: { customer_id: customerId, revoked: 1 },
        });
      });
    },

    async listLinks(customerId: string, page: PageRequest) {
      const profile = await survivorOf(db, customerId);
      if (!profile) throw notFound('customer', customerId);
      return listAccessTokens(db, await mergedFamily(db, profile.id), page);
    },
  };
}

export type AccessTokens = ReturnType<typeof createAccessTokens>;
export type { AccessToken };
