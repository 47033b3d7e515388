/**
 * @module The inbound pipeline every channel shares. A provider's delivery is first written raw to
 * inbound_messages (so it is never lost once acknowledged), then processed: parsed by the channel's adapter,
 * deduplicated by the provider's message id, resolved to a customer through identity resolution, and appended
 * to that customer's conversation with `message.received` — all in one transaction. A failure leaves the raw
 * row `failed` with a backoff; the retry job picks it up again, forever, so nothing is dropped.
 *
 * Under load deliveries share transactions (group commit, platform/db/group-commit.ts): the raw rows of the
 * webhooks that arrive together are stored by one INSERT and one commit before any of them is acknowledged, and
 * their processing shares transactions too: one lane on SQLite (one writer, where a commit costs more than a
 * message's queries), a few lanes side by side on PostgreSQL, a sender always in the same one.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import { AppError } from '../../platform/errors';
import { encodeJson } from '../../platform/db/codecs';
import type { Dialect } from '../../platform/db/columns';
import type { Db } from '../../platform/db/database';
import { createGroupCommit } from '../../platform/db/group-commit';
import type { Insertable, Selectable } from 'kysely';
import type { Trx } from '../../platform/db/transaction';
import { newId } from '../../platform/ids';
import { systemActor } from '../../platform/auth/principal';
import type { EventBus } from '../../platform/events/outbox';
import type { Channel, ChannelsService } from '../channels';
import type { IdentityService } from '../customers';
import {
  adapterFor,
  checkAttachments,
  senderKey,
  type AttachmentLimits,
  type ChannelAdapter,
  type NormalizedInbound,
} from './channel-adapter';
import {
  findByReplyToken,
  findConversationRow,
  findThread,
  insertConversation,
  touchContact,
  updateConversationRow,
} from './conversation.repository';
import type { ConversationRow, InboundMessageRow } from './conversation.table';
import {
  conversationOfProviderIds,
  findByProviderId,
  insertAttachments,
  insertMessage,
} from './message.repository';

/** How long one processing attempt holds its claim; a crashed process's claim lapses after it. */
const CLAIM_MS = 60_000;
/** Raw deliveries stored by one INSERT at most. */
const RAW_GROUP_MAX = 64;
/**
 * Deliveries processed in one transaction at most. On SQLite the transaction holds the only connection, so every
 * other query waits for it; on PostgreSQL it holds its conversations' row locks (an agent's reply to one of them
 * waits). 16 spreads a commit over many messages without holding others up for long.
 */
const PROCESS_GROUP_MAX = 16;
/**
 * PostgreSQL: processing transactions running at once (of the pool's 10 connections by default; the raw writer,
 * the dispatcher's consumers and routing need the others).
 */
const PG_LANES = 4;

/** The lane of a sender: the same address always maps to the same lane (FNV-1a over its UTF-16 code units). */
function laneIndex(sender: string, lanes: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < sender.length; i++) hash = Math.imul(hash ^ sender.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % lanes;
}
/** Backoff after the nth failure: 5 s doubling, at most an hour; retried forever. */
const backoffMs = (attempts: number) => Math.min(5_000 * 2 ** Math.max(0, attempts - 1), 3_600_000);

export interface InboundDeps {
  db: Db;
  /** 'sqlite' processes concurrent deliveries in one lane of shared transactions; PostgreSQL in several. */
  dialect?: Dialect | undefined;
  events: EventBus;
  channels: ChannelsService;
  identity: Pick<IdentityService, 'resolve'>;
  adapters: ChannelAdapter[];
  threading: 'customer' | 'channel';
  attachments: AttachmentLimits;
  log?: FastifyBaseLogger | undefined;
  /** CSAT (csat.service.ts): true when the message answered an open survey; it then does not reopen. */
  captureSurveyAnswer?:
    | ((
        trx: Trx,
        input: { conversationId: string; messageId: string; text: string | null; now: number },
      ) => Promise<boolean>)
    | undefined;
}

export interface AcceptResult {
  inbound_id: string;
  /** The provider delivered this message before: nothing new was stored. */
  duplicate: boolean;
  status: 'processed' | 'failed' | 'pending';
  message_id: string | null;
  conversation_id: string | null;
}

type ConversationRowOf = Selectable<ConversationRow>;

export const newReplyToken = () => randomBytes(8).toString('hex');

export function createInbound(deps: InboundDeps) {
  const { db, events, channels } = deps;

  /**
   * Takes the row for one attempt with a guarded UPDATE, in the transaction that processes it: two workers never
   * process the same row at once (on PostgreSQL the second waits for the first to commit, then finds it processed).
   */
  async function claim(trx: Trx, id: string, now: number): Promise<boolean> {
    const result = await trx
      .updateTable('inbound_messages')
      .set({ status: 'processing', claimed_until: now + CLAIM_MS })
      .where('id', '=', id)
      .where((eb) =>
        eb.or([
          eb('status', 'in', ['pending', 'failed']),
          eb.and([eb('status', '=', 'processing'), eb('claimed_until', '<', now)]),
        ]),
      )
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async function fail(id: string, error: unknown): Promise<void> {
    const row = await db
      .selectFrom('inbound_messages')
      .select('attempts')
      .where('id', '=', id)
      .executeTakeFirst();
    const attempts = (row?.attempts ?? 0) + 1;
    const message = error instanceof Error ? error.message : String(error);
    await db
      .updateTable('inbound_messages')
      .set({
        status: 'failed',
        attempts,
        last_error: message.slice(0, 1000),
        next_attempt_at: Date.now() + backoffMs(attempts),
        claimed_until: null,
      })
      .where('id', '=', id)
      .execute();
    deps.log?.error(
      { inbound_id: id, attempts, err: message },
      'inbound message processing failed; kept for retry',
    );
  }

  /** A merged conversation's messages go to the one it was merged into (following a chain of merges). */
  async function survivorOf(trx: Trx, row: ConversationRowOf): Promise<ConversationRowOf> {
    let current = row;
    for (let hops = 0; current.merged_into_id && hops < 20; hops++) {
      const next = await findConversationRow(trx, current.merged_into_id);
      if (!next) break;
      current = next;
    }
    return current;
  }

  /**
   * Which conversation a message lands in: a thread it names, else the customer's continuous conversation. The
   * row comes back as read (or as just inserted) in this transaction, so the append does not read it again.
   */
  async function conversationFor(
    trx: Trx,
    customerId: string,
    channel: Channel,
    parsed: NormalizedInbound,
    now: number,
  ): Promise<{ row: ConversationRowOf; created: boolean }> {
    const token = parsed.thread?.replyToken;
    if (token) {
      const byToken = await findByReplyToken(trx, token);
      if (byToken) return { row: await survivorOf(trx, byToken), created: false };
    }
    const referenced = await conversationOfProviderIds(trx, channel.id, parsed.thread?.references ?? []);
    const referencedRow = referenced ? await findConversationRow(trx, referenced) : undefined;
    if (referencedRow) return { row: referencedRow, created: false };
    const threadKey = deps.threading === 'customer' ? 'customer' : channel.id;
    const existing = await findThread(trx, customerId, threadKey);
    if (existing) return { row: await survivorOf(trx, existing), created: false };
    const id = newId('cnv');
    // A concurrent first message of the same customer hits the unique (customer_id, thread_key) index; the
    // transaction is retried and finds this conversation.
    const row: ConversationRowOf = {
      id,
      customer_id: customerId,
      thread_key: threadKey,
      status: 'open',
      snoozed_until: null,
      priority: 'normal',
      labels: encodeJson([]),
      assignee_id: null,
      team_id: null,
      reply_token: newReplyToken(),
      last_inbound_channel_id: channel.id,
      first_inbound_at: now,
      last_inbound_at: now,
      first_response_at: null,
      last_response_at: null,
      waiting_since: now,
      last_message_at: now,
      resolved_at: null,
      created_at: now,
      updated_at: now,
      merged_into_id: null,
      merged_at: null,
    };
    await insertConversation(trx, row);
    await events.append(trx, {
      type: 'conversation.created',
      aggregate: { type: 'conversation', id },
      customerId,
      channelId: channel.id,
      actor: systemActor,
      data: { id, customer_id: customerId, channel_id: channel.id },
    });
    return { row, created: true };
  }

  /**
   * Who wrote. A WhatsApp account is a phone number, so a WhatsApp sender is also looked up by that number as an
   * unverified phone: she reaches the customer who has it on file (an SMS from it then joins her too). When the
   * identity rules keep two matched profiles apart (different verified people), the message goes to whoever holds
   * the WhatsApp number itself.
   */
  async function resolveSender(trx: Trx, channel: Channel, parsed: NormalizedInbound, now: number) {
    const own = { type: parsed.identifier.type, value: parsed.identifier.value };
    const input = {
      channelId: channel.id,
      seenAt: parsed.occurredAt ?? now,
      profile: parsed.profile,
      actor: systemActor,
      reason: `inbound ${channel.kind}`,
    };
    if (own.type !== 'whatsapp')
      return (await deps.identity.resolve({ ...input, identifiers: [own] }, trx)).customerId;
    const both = await deps.identity.resolve(
      { ...input, identifiers: [own, { type: 'phone', value: own.value, verified: false }] },
      trx,
    );
    if (both.conflicts.length === 0) return both.customerId;
    return (await deps.identity.resolve({ ...input, identifiers: [own] }, trx)).customerId;
  }

  /** Appends one claimed delivery in the caller's transaction: the message, its conversation, its events. */
  async function append(trx: Trx, inboundId: string, channel: Channel, parsed: NormalizedInbound) {
    const now = Date.now();
    const done = async (messageId: string, conversationId: string, customerId: string | null) => {
      await trx
        .updateTable('inbound_messages')
        .set({
          status: 'processed',
          processed_at: now,
          message_id: messageId,
          customer_id: customerId,
          claimed_until: null,
        })
        .where('id', '=', inboundId)
        .execute();
      return { message_id: messageId, conversation_id: conversationId };
    };
    if (parsed.providerMessageId) {
      const seen = await findByProviderId(trx, channel.id, parsed.providerMessageId);
      if (seen) return done(seen.id, seen.conversation_id, seen.customer_id);
    }
    const customerId = await resolveSender(trx, channel, parsed, now);
    const { row: current, created } = await conversationFor(trx, customerId, channel, parsed, now);
    const conversation = { id: current.id, created };
    const messageId = newId('msg');
    const attachments = parsed.attachments.map((a) => ({
      id: newId('att'),
      message_id: messageId,
      conversation_id: conversation.id,
      customer_id: customerId,
      filename: a.filename,
      content_type: a.contentType,
      size: a.content.length,
      content: a.content,
      created_at: now,
    }));
    await insertMessage(trx, {
      id: messageId,
      conversation_id: conversation.id,
      customer_id: customerId,
      direction: 'in',
      kind: 'message',
      channel_id: channel.id,
      channel_kind: channel.kind,
      provider_message_id: parsed.providerMessageId,
      author_type: 'customer',
      author_id: customerId,
      address: parsed.address,
      subject: parsed.subject ?? null,
      text: parsed.text,
      html: parsed.html ?? null,
      attachments: encodeJson(
        attachments.map((a) => ({
          id: a.id,
          filename: a.filename,
          content_type: a.content_type,
          size: a.size,
        })),
      ),
      meta: encodeJson(parsed.meta),
      delivery_status: 'received',
      delivery_error: null,
      created_at: now,
      updated_at: now,
    });
    await insertAttachments(trx, attachments);
    await touchContact(trx, {
      id: newId('cct'),
      conversation_id: conversation.id,
      customer_id: customerId,
      channel_id: channel.id,
      channel_kind: channel.kind,
      address: parsed.address,
      first_inbound_at: now,
      last_inbound_at: now,
    });
    // A rating sent in reply to the satisfaction survey is its answer: the conversation stays resolved.
    const surveyAnswer =
      current.status === 'resolved' && deps.captureSurveyAnswer
        ? await deps.captureSurveyAnswer(trx, {
            conversationId: conversation.id,
            messageId,
            text: parsed.text,
            now,
          })
        : false;
    // A customer writing again reopens a resolved, pending or snoozed conversation.
    const reopened = current.status !== 'open' && !surveyAnswer;
    await updateConversationRow(trx, conversation.id, {
      ...(surveyAnswer
        ? {}
        : {
            status: 'open',
            snoozed_until: null,
            resolved_at: null,
            waiting_since: current.waiting_since ?? now,
          }),
      last_inbound_channel_id: channel.id,
      first_inbound_at: current.first_inbound_at ?? now,
      last_inbound_at: now,
      last_message_at: now,
      updated_at: now,
    });
    if (reopened && !conversation.created)
      await events.append(trx, {
        type: 'conversation.status_changed',
        aggregate: { type: 'conversation', id: conversation.id },
        customerId: current.customer_id,
        channelId: channel.id,
        actor: systemActor,
        data: { id: conversation.id, from: current.status, to: 'open', reason: 'customer_wrote' },
      });
    await events.append(trx, {
      type: 'message.received',
      aggregate: { type: 'conversation', id: conversation.id },
      customerId,
      channelId: channel.id,
      actor: { type: 'customer', id: customerId, label: 'customer' },
      data: { id: messageId, conversation_id: conversation.id, channel_id: channel.id },
    });
    return done(messageId, conversation.id, customerId);
  }

  /** What processing made of a delivery; null when another worker holds the row. */
  type Appended = { message_id: string; conversation_id: string } | null;
  interface Parsed {
    id: string;
    channel: Channel;
    parsed: NormalizedInbound;
  }

  async function claimAndAppend(trx: Trx, d: Parsed): Promise<Appended> {
    if (!(await claim(trx, d.id, Date.now()))) return null;
    return append(trx, d.id, d.channel, d.parsed);
  }

  /**
   * Deliveries being processed at the same time share transactions (group commit). When one of them fails, its
   * group runs again one by one (group-commit.ts), so only its own delivery is recorded as failed.
   *
   * SQLite has one writer: one lane. PostgreSQL runs PG_LANES lanes side by side over the pool, each with its
   * own transaction at a time, and a sender's deliveries always take the same lane (by her address or id): two
   * transactions at once then hold different customers and conversations, so they do not wait on each other's
   * row locks. Two addresses of one person (SMS and WhatsApp from one number share the lane; an email and a
   * phone do not) can still meet in two lanes: row locks order them, and a deadlock or a lost race rolls the
   * group back and runs it again (inTransactionWithRetry, then one by one).
   */
  const lanes = Array.from({ length: deps.dialect === 'sqlite' ? 1 : PG_LANES }, () =>
    createGroupCommit<Parsed, Appended>({
      db,
      keyOf: () => 'inbound',
      weightOf: () => 1,
      maxWeight: PROCESS_GROUP_MAX,
      attempts: 4,
      async run(trx, items) {
        const results: Appended[] = [];
        for (const d of items) results.push(await claimAndAppend(trx, d));
        return results;
      },
    }),
  );
  const laneOf = (d: Parsed) => lanes[laneIndex(d.parsed.identifier.value, lanes.length)]!;

  /** Raw deliveries arriving together: one INSERT, one commit; a provider id seen before is not stored again. */
  const rawWriter = createGroupCommit<Insertable<InboundMessageRow>, boolean>({
    db,
    keyOf: () => 'inbound',
    // An email may weigh megabytes: a group carries at most about 4 MiB of payload, or 64 deliveries.
    weightOf: (row) => 1 + Math.floor((row.payload as Buffer).length / 65_536),
    maxWeight: RAW_GROUP_MAX,
    attempts: 4,
    async run(trx, rows) {
      const stored = await trx
        .insertInto('inbound_messages')
        .values(rows)
        .onConflict((oc) => oc.columns(['channel_id', 'provider_message_id']).doNothing())
        .returning('id')
        .execute();
      const ids = new Set(stored.map((r) => r.id));
      return rows.map((row) => ids.has(row.id));
    },
  });

  /** One attempt at a stored delivery whose payload is at hand; failures are recorded, never thrown. */
  async function processDelivery(
    id: string,
    channel: Channel,
    payload: Buffer,
  ): Promise<{ status: AcceptResult['status']; appended: Appended }> {
    try {
      const adapter = adapterFor(deps.adapters, channel);
      if (!adapter) throw new Error(`No adapter for channel kind ${channel.kind}`);
      // Parsed before any transaction: an adapter may fetch media over the network.
      const d = { id, channel, parsed: await adapter.parseInbound(payload, channel) };
      const appended = await laneOf(d).submit(d);
      return { status: appended ? 'processed' : 'pending', appended };
    } catch (err) {
      await fail(id, err);
      return { status: 'failed', appended: null };
    }
  }

  /** One attempt at a stored delivery; failures are recorded, never thrown. */
  async function processInbound(id: string): Promise<AcceptResult['status']> {
    let row;
    let channel;
    try {
      row = await db
        .selectFrom('inbound_messages')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      channel = await channels.retrieveChannel(row.channel_id);
    } catch (err) {
      await fail(id, err);
      return 'failed';
    }
    return (await processDelivery(id, channel, Buffer.from(row.payload))).status;
  }

  return {
    /**
     * Stores a provider's delivery, then processes it. Call it before acknowledging the provider: once it
     * returns, the message is safe whatever happened while processing.
     * @example await inbound.acceptInbound(channel, { providerMessageId: 'SM123', payload: Buffer.from(body) })
     */
    async acceptInbound(
      channel: Channel,
      input: {
        providerMessageId: string | null;
        payload: Buffer;
        attachments?: NormalizedInbound['attachments'];
        /** The sender's address or id as the adapter read it at the door (see `senderKey`). */
        sender?: string | null | undefined;
      },
    ): Promise<AcceptResult> {
      if (input.attachments) checkAttachments(input.attachments, deps.attachments, 'attachments');
      const now = Date.now();
      const id = newId('inb');
      const stored = await rawWriter.submit({
        id,
        channel_id: channel.id,
        channel_kind: channel.kind,
        provider_message_id: input.providerMessageId,
        payload: input.payload,
        status: 'pending',
        attempts: 0,
        last_error: null,
        next_attempt_at: now + CLAIM_MS,
        claimed_until: null,
        customer_id: null,
        message_id: null,
        received_at: now,
        processed_at: null,
        sender: senderKey(input.sender),
      });
      if (!stored) {
        const seen = await db
          .selectFrom('inbound_messages')
          .select('id')
          .where('channel_id', '=', channel.id)
          .where('provider_message_id', '=', input.providerMessageId)
          .executeTakeFirstOrThrow();
        return { ...(await resultOf(seen.id)), duplicate: true };
      }
      const { appended } = await processDelivery(id, channel, input.payload);
      return appended ? { inbound_id: id, duplicate: false, status: 'processed', ...appended } : resultOf(id);
    },

    processInbound,

    /**
     * The retry job's work: every stored delivery whose next attempt is due (failed ones, and pending ones a
     * crashed process never finished), oldest first. Returns how many were processed.
     */
    async retryDueInbound(now = Date.now(), limit = 100): Promise<number> {
      const due = await db
        .selectFrom('inbound_messages')
        .select('id')
        .where((eb) =>
          eb.or([
            eb.and([eb('status', 'in', ['pending', 'failed']), eb('next_attempt_at', '<=', now)]),
            eb.and([eb('status', '=', 'processing'), eb('claimed_until', '<', now)]),
          ]),
        )
        .orderBy('id')
        .limit(limit)
        .execute();
      let processed = 0;
      for (const { id } of due) if ((await processInbound(id)) === 'processed') processed++;
      return processed;
    },

    async retrieveInbound(id: string) {
      const row = await db.selectFrom('inbound_messages').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row) throw new AppError('not_found', `No inbound message with id ${id}.`);
      return row;
    },
  };

  async function resultOf(id: string): Promise<AcceptResult> {
    const row = await db
      .selectFrom('inbound_messages')
      .select(['id', 'status', 'message_id'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    const conversation = row.message_id
      ? await db
          .selectFrom('messages')
          .select('conversation_id')
          .where('id', '=', row.message_id)
          .executeTakeFirst()
      : undefined;
    return {
      inbound_id: row.id,
      duplicate: false,
      status: row.status === 'processed' ? 'processed' : row.status === 'failed' ? 'failed' : 'pending',
      message_id: row.message_id,
      conversation_id: conversation?.conversation_id ?? null,
    };
  }
}

export type InboundService = ReturnType<typeof createInbound>;
