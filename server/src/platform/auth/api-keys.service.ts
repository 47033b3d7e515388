/**
 * @module API keys. Secret keys `sk_…` act with a role's permissions on the staff API; publishable keys `pk_…`
 * are bound to one channel and open only the customer-facing /store routes, so they may live in a browser or
 * app. Only a hash is stored; the full key is returned once, at creation (a publishable key is not secret, so
 * its full value stays visible as `display`).
 */
import type { Selectable } from 'kysely';
import { AppError, notFound } from '../errors';
import { toIso, toIsoRequired } from '../db/codecs';
import type { Db } from '../db/database';
import { inTransaction } from '../db/transaction';
import { newId } from '../ids';
import { paginate, type Page, type PageRequest } from '../http/pagination';
import type { EventBus } from '../events/outbox';
import type { ApiKeyRow } from './auth.table';
import { isRole, rolePermissions } from './permissions';
import type { Actor, Principal } from './principal';
import { hashToken, newToken } from './secrets';

export interface ApiKey {
  id: string;
  kind: 'secret' | 'publishable';
  name: string;
  role: string | null;
  channel_id: string | null;
  display: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export function apiKeyFromRow(row: Selectable<ApiKeyRow>): ApiKey {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    role: row.role,
    channel_id: row.channel_id,
    display: row.display,
    created_at: toIsoRequired(row.created_at),
    last_used_at: toIso(row.last_used_at),
    revoked_at: toIso(row.revoked_at),
  };
}

export interface CreateApiKeyInput {
  kind: 'secret' | 'publishable';
  name: string;
  role?: string | undefined;
  channel_id?: string | undefined;
}

const TOUCH_INTERVAL_MS = 60_000;

export function createApiKeysService(deps: {
  db: Db;
  events: EventBus;
  channelExists: (id: string) => Promise<boolean>;
}) {
  const { db, events } = deps;

  return {
    async listApiKeys(page: PageRequest): Promise<Page<ApiKey>> {
      return paginate(db.selectFrom('api_keys').selectAll(), 'id', page, apiKeyFromRow);
    },

    /**
     * Creates a key and returns it with its full value, which is never shown again for secret keys.
     * @example await apiKeys.createApiKey({ kind: 'secret', name: 'ERP sync', role: 'admin' }, actor)
     */
    async createApiKey(input: CreateApiKeyInput, actor: Actor): Promise<ApiKey & { key: string }> {
      if (input.kind === 'secret') {
        if (!input.role || !isRole(input.role)) {
          throw new AppError('validation_failed', 'A secret key needs a role.', {
            errors: [
              {
                field: 'body.role',
                message: 'must be one of owner, admin, agent, associate, marketer, analyst',
              },
            ],
          });
        }
        if (input.channel_id) {
          throw new AppError('validation_failed', 'Secret keys are not bound to a channel.', {
            errors: [{ field: 'body.channel_id', message: 'is only for publishable keys' }],
          });
        }
      } else {
        if (!input.channel_id) {
          throw new AppError('validation_failed', 'A publishable key is bound to one channel.', {
            errors: [{ field: 'body.channel_id', message: 'is required' }],
          });
        }
        if (input.role) {
          throw new AppError('validation_failed', 'Publishable keys have no role.', {
            errors: [{ field: 'body.role', message: 'is only for secret keys' }],
          });
        }
        if (!(await deps.channelExists(input.channel_id))) {
          throw new AppError('validation_failed', `No channel with id ${input.channel_id}.`, {
            errors: [{ field: 'body.channel_id', message: 'is not a known channel' }],
          });
        }
      }
      const key = newToken(input.kind === 'secret' ? 'sk_' : 'pk_');
      const row = {
        id: newId('key'),
        kind: input.kind,
        name: input.name.trim(),
        role: input.kind === 'secret' ? (input.role ?? null) : null,
        channel_id: input.kind === 'publishable' ? (input.channel_id ?? null) : null,
        token_hash: hashToken(key),
        display: input.kind === 'secret' ? `sk_…${key.slice(-4)}` : key,
        created_by: actor.id,
        created_at: Date.now(),
        last_used_at: null,
        revoked_at: null,
      };
      await inTransaction(db, async (trx) => {
        await trx.insertInto('api_keys').values(row).execute();
        await events.append(trx, {
          type: 'api_key.created',
          aggregate: { type: 'api_key', id: row.id },
          actor,
          data: { id: row.id, kind: row.kind },
        });
      });
      return { ...apiKeyFromRow(row), key };
    },

    async revokeApiKey(id: string, actor: Actor): Promise<void> {
      await inTransaction(db, async (trx) => {
        const row = await trx
          .selectFrom('api_keys')
          .select(['id', 'revoked_at'])
          .where('id', '=', id)
          .executeTakeFirst();
        if (!row) throw notFound('API key', id);
        if (row.revoked_at !== null) return; // revoking twice is harmless
        await trx.updateTable('api_keys').set({ revoked_at: Date.now() }).where('id', '=', id).execute();
        await events.append(trx, {
          type: 'api_key.revoked',
          aggregate: { type: 'api_key', id },
          actor,
          data: { id },
        });
      });
    },

    /** Resolves an `sk_…`/`pk_…` key to its principal, or null when unknown or revoked. */
    async authenticate(key: string): Promise<Principal | null> {
      const row = await db
        .selectFrom('api_keys')
        .selectAll()
        .where('token_hash', '=', hashToken(key))
        .executeTakeFirst();
      if (!row || row.revoked_at !== null) return null;
      const now = Date.now();
      if (row.last_used_at === null || now - row.last_used_at > TOUCH_INTERVAL_MS) {
        await db.updateTable('api_keys').set({ last_used_at: now }).where('id', '=', row.id).execute();
      }
      const label = `API key ${row.name}`;
      if (row.kind === 'publishable' && row.channel_id)
        return { kind: 'publishable_key', keyId: row.id, channelId: row.channel_id, label };
      if (row.kind === 'secret' && row.role && isRole(row.role)) {
        return {
          kind: 'secret_key',
          keyId: row.id,
          role: row.role,
          label,
          permissions: rolePermissions[row.role],
        };
      }
      return null;
    },
  };
}

export type ApiKeysService = ReturnType<typeof createApiKeysService>;
