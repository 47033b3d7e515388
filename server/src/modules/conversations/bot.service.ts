/**
 * @module The contact centre's bot. A durable event consumer queues a task for each customer message (and each
 * resolution, for CSAT) in the dispatcher's transaction; a worker runs the tasks outside any transaction, because
 * answering means network I/O. For a message, in order: a request for a human hands off; an external bot, when
 * configured, gets the message and decides; "where is my order 1042?" is answered from the order — only the
 * customer's own; the first matching rule answers; out of hours, a one-off "we are closed"; otherwise the miss is
 * counted ("could you say it another way?") and, after N misses, the conversation is handed to a human. A
 * conversation with an agent, or handed off, is left to people. Replies leave through the core's outbound, in the
 * customer's locale, on their channel.
 *
 * The bot goes before routing: while it is on, routing leaves an open, unassigned conversation to it (botHolds)
 * until it hands off (asked, misses, a rule, the external bot) or releases it — nothing to say to her first
 * message, closed hours, an external bot without replies, or its task failing for good — and then routes it at
 * once. A bot that is off holds nothing: routing places every conversation as it arrives.
 */
import type { FastifyBaseLogger } from 'fastify';
import { AppError } from '../../platform/errors';
import { decodeJson } from '../../platform/db/codecs';
import type { Db } from '../../platform/db/database';
import { afterCommit, inTransaction, type DbOrTrx } from '../../platform/db/transaction';
import type { EventConsumer } from '../../platform/events/dispatcher';
import type { EventBus } from '../../platform/events/outbox';
import { newWebhookSecret } from '../../platform/events/webhooks.service';
import type { CustomersService } from '../customers';
import { callExternalBot } from './bot.external';
import { alwaysOpen, isOpenAt, isValidZone } from './business-hours';
import {
  asksForHuman,
  botLines,
  orderAnswer,
  orderNumberAskedFor,
  renderTemplate,
  replyLocale,
  type BotLocale,
  type OrderStatusView,
} from './bot.intents';
import {
  claimTask,
  dueTaskIds,
  enqueueTask,
  readSettings,
  retrieveState,
  saveState,
  writeSettings,
  type BotRule,
  type BotSettings,
} from './bot.repository';
import { createBotRules, matchRule } from './bot.rules';
import { findConversationRow } from './conversation.repository';
import type { ConversationsService } from './conversation.service';
import { botActor, type CsatService } from './csat.service';
import { findMessageRow } from './message.repository';
import type { OutboundService } from './outbound';

const CLAIM_MS = 60_000;
const MAX_ATTEMPTS = 5;
/** An out-of-hours reply is sent at most once in this long per conversation. */
const OUT_OF_HOURS_EVERY_MS = 12 * 3_600_000;
const backoffMs = (attempts: number) => Math.min(5_000 * 2 ** Math.max(0, attempts - 1), 600_000);

/** Finds an order by its number for this customer; null when there is none (or it is someone else's). */
export type FindOrderForCustomer = (number: number, customerId: string) => Promise<OrderStatusView | null>;

export interface BotDeps {
  db: Db;
  events: EventBus;
  customers: Pick<CustomersService, 'retrieveCustomer'>;
  conversations: Pick<ConversationsService, 'updateConversation'>;
  reply: OutboundService['replyToConversation'];
  csat: CsatService;
  findOrder?: FindOrderForCustomer | undefined;
  /** Whether the conversation's team is open (routing's teams.isOpen); else the bot settings' business hours. */
  isOpen?:
    ((conversation: { id: string; team_id: string | null }, at: number) => Promise<boolean>) | undefined;
  /** Puts a handed-off conversation in front of people (routing); the "handoff" label flags it meanwhile. */
  route?: ((conversationId: string) => Promise<void>) | undefined;
  external: { timeoutMs: number; allowPrivateTargets: boolean };
  log?: FastifyBaseLogger | undefined;
}

export function createBot(deps: BotDeps) {
  const { db, events } = deps;
  const rules = createBotRules(db);
  let wakeWorker: () => void = () => undefined;

  const send = (conversationId: string, text: string) =>
    deps.reply(conversationId, { text }, botActor).then(() => undefined);

  /** Hands the conversation to people once: flags it, tells routing, says so to the customer. */
  async function handoff(
    conversationId: string,
    reason: 'asked' | 'failed_matches' | 'rule' | 'external',
    say: string | null,
  ): Promise<boolean> {
    const handed = await inTransaction(db, async (trx) => {
      const state = await retrieveState(trx, conversationId);
      if (state.handed_off_at) return false;
      await saveState(trx, conversationId, { handed_off_at: Date.now() });
      const conversation = (await findConversationRow(trx, conversationId))!;
      await events.append(trx, {
        type: 'conversation.handed_off',
        aggregate: { type: 'conversation', id: conversationId },
        customerId: conversation.customer_id,
        actor: botActor,
        data: { id: conversationId, reason },
      });
      return true;
    });
    if (!handed) return false;
    const conversation = (await findConversationRow(db, conversationId))!;
    const labels = [...new Set([...decodeJson<string[]>(conversation.labels), 'handoff'])];
    await deps.conversations.updateConversation(conversationId, { labels, priority: 'high' }, botActor);
    await deps.route?.(conversationId);
    if (say) await send(conversationId, say);
    return true;
  }

  /**
   * The bot lets people have the conversation without a handoff (it had nothing to say, or it failed): no label,
   * no priority, no message — routing places it as if the bot were off. Once only.
   */
  async function release(conversationId: string): Promise<void> {
    const state = await retrieveState(db, conversationId);
    if (state.released_at || state.handed_off_at) return;
    await saveState(db, conversationId, { released_at: Date.now() });
    await deps.route?.(conversationId);
  }

  const answered = (conversationId: string) =>
    saveState(db, conversationId, { failed_matches: 0, answered_at: Date.now() });

  async function openAt(
    conversation: { id: string; team_id: string | null },
    settings: BotSettings,
    at: number,
  ) {
    return deps.isOpen ? deps.isOpen(conversation, at) : isOpenAt(settings.business_hours ?? alwaysOpen, at);
  }

  /** One customer message through the bot (see the module comment for the order of things). */
  async function answerMessage(messageId: string): Promise<void> {
    const message = await findMessageRow(db, messageId);
    if (!message || message.direction !== 'in') return;
    const conversationId = message.conversation_id;
    const { settings, secret } = await readSettings(db);
    const customer = await deps.customers.retrieveCustomer(message.customer_id!);
    const locale: BotLocale = replyLocale(customer.locale ?? null, message.text ?? '');
    const rated = await deps.csat.surveyAnsweredBy(messageId);
    if (rated)
      return send(
        conversationId,
        botLines[rated.locale as BotLocale]?.csat_thanks ?? botLines.en.csat_thanks,
      );
    if (!settings.enabled) return;
    const conversation = (await findConversationRow(db, conversationId))!;
    const state = await retrieveState(db, conversationId);
    if (conversation.assignee_id || state.handed_off_at || conversation.status === 'resolved') return;
    const text = message.text ?? '';
    const now = Date.now();
    const open = await openAt(conversation, settings, now);

    if (asksForHuman(text)) {
      await handoff(conversationId, 'asked', botLines[locale][open ? 'handoff' : 'handoff_closed']);
      return;
    }
    if (settings.external_url && secret) {
      const answer = await callExternalBot(
        { url: settings.external_url, secret },
        {
          type: 'message.received',
          conversation_id: conversationId,
          locale,
          message: {
            id: messageId,
            text: message.text,
            channel_kind: message.channel_kind,
            created_at: new Date(Number(message.created_at)).toISOString(),
          },
          customer: { id: customer.id, locale: customer.locale ?? null },
        },
        deps.external,
      );
      for (const reply of answer.replies) await send(conversationId, reply);
      if (answer.replies.length) await answered(conversationId);
      if (answer.handoff) await handoff(conversationId, 'external', null);
      else if (!answer.replies.length) await release(conversationId);
      return;
    }
    const orderNumber = orderNumberAskedFor(text);
    if (orderNumber !== null && deps.findOrder) {
      const order = await deps.findOrder(orderNumber, customer.id);
      // Someone else's order gets the same answer as no order: the number alone proves nothing.
      await send(
        conversationId,
        order && order.customer_id === customer.id
          ? orderAnswer(locale, order)
          : renderTemplate(botLines[locale].order_unknown, { number: `#${orderNumber}` }),
      );
      await answered(conversationId);
      return;
    }
    const rule = matchRule(await rules.activeRules(), { text, locale, channelKind: message.channel_kind });
    if (rule) {
      await send(conversationId, ruleAnswer(rule, locale, { first_name: customer.first_name ?? '' }));
      await answered(conversationId);
      if (rule.handoff) await handoff(conversationId, 'rule', null);
      return;
    }
    if (!open && settings.out_of_hours_reply) {
      if (!state.out_of_hours_sent_at || now - state.out_of_hours_sent_at > OUT_OF_HOURS_EVERY_MS) {
        await saveState(db, conversationId, { out_of_hours_sent_at: now });
        await send(conversationId, botLines[locale].out_of_hours);
      }
      // Nothing more to say while closed: routing queues her for the team's opening.
      return release(conversationId);
    }
    // Already with people, who will answer: a miss is not the bot's to count.
    if (state.released_at) return;
    // Nothing to say to her first message: people take it at once rather than after N misses.
    if (!state.answered_at) return release(conversationId);
    const failed = state.failed_matches + 1;
    await saveState(db, conversationId, { failed_matches: failed });
    if (settings.handoff_after_failures > 0 && failed >= settings.handoff_after_failures)
      await handoff(conversationId, 'failed_matches', botLines[locale].handoff);
    else await send(conversationId, botLines[locale].not_understood);
  }

  async function runTask(id: string): Promise<void> {
    const task = await db.selectFrom('bot_tasks').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    try {
      if (task.kind === 'message') await answerMessage(task.subject_id);
      else await deps.csat.sendSurvey(task.conversation_id);
      await db
        .updateTable('bot_tasks')
        .set({ status: 'done', claimed_until: null })
        .where('id', '=', id)
        .execute();
    } catch (err) {
      const attempts = Number(task.attempts) + 1;
      const message = err instanceof Error ? err.message : String(err);
      deps.log?.warn({ task_id: id, attempts, err: message }, 'bot task failed');
      // A bot that cannot answer must not keep her from people: its last failure releases the conversation.
      if (attempts >= MAX_ATTEMPTS && task.kind === 'message')
        await release(task.conversation_id).catch((e: unknown) =>
          deps.log?.error({ err: e, task_id: id }, 'releasing a conversation the bot failed on failed'),
        );
      await db
        .updateTable('bot_tasks')
        .set({
          // A bot answer that comes hours late helps nobody: give up after a few tries.
          status: attempts >= MAX_ATTEMPTS ? 'dead' : 'failed',
          attempts,
          last_error: message.slice(0, 1000),
          next_attempt_at: Date.now() + backoffMs(attempts),
          claimed_until: null,
        })
        .where('id', '=', id)
        .execute();
    }
  }

  return {
    ...rules,

    async retrieveBotSettings(): Promise<BotSettings & { external_secret_set: boolean }> {
      const { settings, secret } = await readSettings(db);
      return { ...settings, external_secret_set: secret !== null };
    },

    /**
     * Changes the bot's settings. Setting an external bot URL creates its signing secret, returned once.
     * @example await bot.updateBotSettings({ enabled: true, handoff_after_failures: 3 })
     */
    async updateBotSettings(
      patch: Partial<BotSettings> & { rotate_external_secret?: boolean | undefined },
    ): Promise<BotSettings & { external_secret_set: boolean; external_secret?: string }> {
      const { rotate_external_secret: rotate, ...fields } = patch;
      if (fields.business_hours && !isValidZone(fields.business_hours.timezone))
        throw new AppError('validation_failed', 'Unknown time zone.', {
          errors: [{ field: 'body.business_hours.timezone', message: 'is not an IANA time zone' }],
        });
      return inTransaction(db, async (trx) => {
        const current = await readSettings(trx);
        const settings = { ...current.settings, ...fields };
        const fresh = settings.external_url && (rotate || !current.secret) ? newWebhookSecret() : null;
        const secret = settings.external_url ? (fresh ?? current.secret) : null;
        await writeSettings(trx, settings, secret);
        return {
          ...settings,
          external_secret_set: secret !== null,
          ...(fresh ? { external_secret: fresh } : {}),
        };
      });
    },

    /** Hands a conversation to people: the external bot's action, or an agent taking over. */
    async handOffConversation(conversationId: string): Promise<{ handed_off: boolean }> {
      if (!(await findConversationRow(db, conversationId)))
        throw new AppError('not_found', `No conversation with id ${conversationId}.`);
      return { handed_off: await handoff(conversationId, 'external', null) };
    },

    answerMessage,

    /** Runs every due task, oldest first; returns how many were attempted. */
    async runDueTasks(now = Date.now(), limit = 100): Promise<number> {
      let n = 0;
      for (const id of await dueTaskIds(db, now, limit)) {
        if (!(await claimTask(db, id, now, CLAIM_MS))) continue;
        await runTask(id);
        n++;
      }
      return n;
    },

    /** The durable consumer: queues bot and CSAT work in the dispatcher's transaction. */
    consumer: {
      name: 'bots',
      mode: 'durable',
      async handle(batch, trx: DbOrTrx) {
        const relevant = batch.filter(
          (e) =>
            e.type === 'message.received' ||
            (e.type === 'conversation.status_changed' && (e.data as { to?: string }).to === 'resolved'),
        );
        if (!relevant.length) return;
        const { settings } = await readSettings(trx);
        for (const e of relevant) {
          const conversationId = e.aggregate.id;
          if (e.type === 'message.received') {
            if (settings.enabled || settings.csat_enabled)
              await enqueueTask(trx, {
                kind: 'message',
                subject_id: (e.data as { id: string }).id,
                conversation_id: conversationId,
              });
          } else {
            // A resolved conversation starts afresh for the bot when the customer writes again.
            await saveState(trx, conversationId, {
              failed_matches: 0,
              handed_off_at: null,
              answered_at: null,
              released_at: null,
            });
            if (settings.csat_enabled)
              await enqueueTask(trx, { kind: 'csat', subject_id: e.id, conversation_id: conversationId });
          }
        }
        afterCommit(trx, () => wakeWorker());
      },
    } satisfies EventConsumer,

    /** Starts the worker (polling, and woken by the consumer); returns its stopper. */
    startJobs(log: FastifyBaseLogger, everyMs: number): () => void {
      let running = false;
      const tick = () => {
        if (running) return;
        running = true;
        this.runDueTasks()
          .catch((err: unknown) => log.error({ err }, 'bot worker failed'))
          .finally(() => (running = false));
      };
      wakeWorker = () => setImmediate(tick);
      const timer = setInterval(tick, everyMs);
      timer.unref();
      return () => {
        clearInterval(timer);
        wakeWorker = () => undefined;
      };
    },
  };
}

function ruleAnswer(rule: BotRule, locale: BotLocale, variables: Record<string, string>): string {
  const template = rule.answer[locale] ?? Object.values(rule.answer)[0] ?? '';
  return renderTemplate(template, variables);
}

export type BotService = ReturnType<typeof createBot>;
