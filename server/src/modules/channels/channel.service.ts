/**
 * @module Channels registry: every place a business meets its customers (web shop, app, store, phone, email,
 * chat, SMS, WhatsApp, social, marketplace, kiosk) with its settings. Secrets (API tokens, passwords) are
 * write-only: the API says which are set, never what they are; adapters read them through `channelSecrets`.
 */
import { AppError, notFound } from '../../platform/errors';
import { decodeJson, encodeBool, encodeJson } from '../../platform/db/codecs';
import type { Db } from '../../platform/db/database';
import { inTransaction } from '../../platform/db/transaction';
import { newId } from '../../platform/ids';
import type { PageRequest, Page } from '../../platform/http/pagination';
import type { Actor } from '../../platform/auth/principal';
import type { EventBus } from '../../platform/events/outbox';
import {
  channelFromRow,
  findChannelRow,
  insertChannel,
  listChannelRows,
  updateChannelRow,
  type Channel,
  type ChannelKind,
} from './channel.repository';

export interface CreateChannelInput {
  kind: ChannelKind;
  name: string;
  config?: Record<string, unknown> | undefined;
  secrets?: Record<string, string> | undefined;
  active?: boolean | undefined;
}

export interface UpdateChannelInput {
  name?: string | undefined;
  config?: Record<string, unknown> | undefined;
  /** A string sets a secret, null removes it, an absent key leaves it. */
  secrets?: Record<string, string | null> | undefined;
  active?: boolean | undefined;
}

const MAX_CONFIG_BYTES = 32 * 1024;

function checkConfigSize(config: Record<string, unknown> | undefined): void {
  if (config && JSON.stringify(config).length > MAX_CONFIG_BYTES) {
    throw new AppError('validation_failed', 'Channel config is larger than 32 KB.', {
      errors: [{ field: 'body.config', message: 'must be at most 32 KB of JSON' }],
    });
  }
}

export function createChannelsService(deps: { db: Db; events: EventBus }) {
  const { db, events } = deps;

  return {
    async listChannels(
      filter: PageRequest & { kind?: string | undefined; active?: boolean | undefined },
    ): Promise<Page<Channel>> {
      return listChannelRows(db, filter);
    },

    async retrieveChannel(id: string): Promise<Channel> {
      const row = await findChannelRow(db, id);
      if (!row) throw notFound('channel', id);
      return channelFromRow(row);
    },

    async channelExists(id: string): Promise<boolean> {
      return (await findChannelRow(db, id)) !== undefined;
    },

    /**
     * For channel adapters' webhooks: the channel and its stored credentials from one read, so checking a
     * delivery's signature costs no second query.
     */
    async retrieveChannelWithSecrets(
      id: string,
    ): Promise<{ channel: Channel; secrets: Record<string, string> }> {
      const row = await findChannelRow(db, id);
      if (!row) throw notFound('channel', id);
      return { channel: channelFromRow(row), secrets: decodeJson<Record<string, string>>(row.secrets) ?? {} };
    },

    /** For channel adapters only (SMTP, Twilio, Meta…): the stored credentials of a channel. */
    async channelSecrets(id: string): Promise<Record<string, string>> {
      const row = await findChannelRow(db, id);
      if (!row) throw notFound('channel', id);
      return decodeJson<Record<string, string>>(row.secrets) ?? {};
    },

    /**
     * Registers a channel.
     * @example await channels.createChannel({ kind: 'sms', name: 'SMS (Twilio)', secrets: { auth_token: '…' } }, actor)
     */
    async createChannel(input: CreateChannelInput, actor: Actor): Promise<Channel> {
      checkConfigSize(input.config);
      const now = Date.now();
      const row = {
        id: newId('cha'),
        kind: input.kind,
        name: input.name.trim(),
        active: encodeBool(input.active ?? true),
        config: encodeJson(input.config ?? {}),
        secrets: encodeJson(input.secrets ?? {}),
        created_at: now,
        updated_at: now,
      };
      await inTransaction(db, async (trx) => {
        await insertChannel(trx, row);
        await events.append(trx, {
          type: 'channel.created',
          aggregate: { type: 'channel', id: row.id },
          channelId: row.id,
          actor,
          data: { id: row.id, kind: row.kind, name: row.name },
        });
      });
      return channelFromRow(row);
    },

    async updateChannel(id: string, patch: UpdateChannelInput, actor: Actor): Promise<Channel> {
      checkConfigSize(patch.config);
      return inTransaction(db, async (trx) => {
        const current = await findChannelRow(trx, id);
        if (!current) throw notFound('channel', id);
        const secrets = { ...(decodeJson<Record<string, string>>(current.secrets) ?? {}) };
        for (const [key, value] of Object.entries(patch.secrets ?? {})) {
          if (value === null) delete secrets[key];
          else secrets[key] = value;
        }
        await updateChannelRow(trx, id, {
          ...(patch.name !== undefined ? { name: patch.name.trim() } : {}),
          ...(patch.config !== undefined ? { config: encodeJson(patch.config) } : {}),
          ...(patch.secrets !== undefined ? { secrets: encodeJson(secrets) } : {}),
          ...(patch.active !== undefined ? { active: encodeBool(patch.active) } : {}),
          updated_at: Date.now(),
        });
        // The event names changed fields, never secret values.
        const fields = Object.keys(patch).filter((k) => patch[k as keyof UpdateChannelInput] !== undefined);
        await events.append(trx, {
          type: 'channel.updated',
          aggregate: { type: 'channel', id },
          channelId: id,
          actor,
          data: { id, fields },
        });
        return channelFromRow((await findChannelRow(trx, id))!);
      });
    },
  };
}

export type ChannelsService = ReturnType<typeof createChannelsService>;
