/**
 * @module Customer satisfaction: after a conversation is resolved the customer gets a 1–5 survey on the channel
 * they last wrote on, in their language — "reply 1–5" on text channels (on web chat the message is marked with its
 * survey id and the widget shows it as a 1–5 scale with a comment box, answered over the visitor's socket), a
 * signed link to a tiny public page on email. The answer is stored
 * with the agent, team and channel of the resolution. A reply arriving as the customer's next message is captured
 * as the answer inside the inbound transaction and does not reopen the conversation.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import { AppError } from '../../platform/errors';
import type { Db } from '../../platform/db/database';
import { inTransaction, type Trx } from '../../platform/db/transaction';
import { newId } from '../../platform/ids';
import type { Actor } from '../../platform/auth/principal';
import type { EventBus } from '../../platform/events/outbox';
import type { CustomersService } from '../customers';
import { botLines, renderTemplate, replyLocale } from './bot.intents';
import type { BotSettings } from './bot.repository';
import type { CsatSurveyRow } from './bot.table';
import { findConversationRow } from './conversation.repository';
import type { OutboundService } from './outbound';

/** The bot's voice in events and messages (author_type "system", label "bot"). */
export const botActor: Actor = { type: 'system', id: 'bot', label: 'bot' };

/** The longest comment kept with an answer. */
const MAX_COMMENT = 2000;

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** "4", "4/5", "5 stars, quick and kind", "3 - ok" → rating and comment; anything else → null. */
export function parseRating(text: string | null): { rating: number; comment: string | null } | null {
  const m =
    /^\s*([1-5])(?![\d.,]\d)\s*(?:\/\s*5|⭐+|stars?|estrellas?|звезд\p{L}*)?\s*[.,!:;)–—-]*\s*([\s\S]*)$/iu.exec(
      text ?? '',
    );
  if (!m) return null;
  const comment = m[2]!.trim().slice(0, MAX_COMMENT);
  return { rating: Number(m[1]), comment: comment || null };
}

export interface CsatSurvey {
  id: string;
  conversation_id: string;
  customer_id: string;
  channel_id: string;
  channel_kind: string;
  agent_id: string | null;
  team_id: string | null;
  locale: string;
  status: string;
  rating: number | null;
  comment: string | null;
  sent_at: string;
  answered_at: string | null;
}

const surveyFromRow = (r: CsatSurveyRow): CsatSurvey => ({
  id: r.id,
  conversation_id: r.conversation_id,
  customer_id: r.customer_id,
  channel_id: r.channel_id,
  channel_kind: r.channel_kind,
  agent_id: r.agent_id,
  team_id: r.team_id,
  locale: r.locale,
  status: r.status,
  rating: r.rating === null ? null : Number(r.rating),
  comment: r.comment,
  sent_at: new Date(Number(r.sent_at)).toISOString(),
  answered_at: r.answered_at === null ? null : new Date(Number(r.answered_at)).toISOString(),
});

export interface CsatDeps {
  db: Db;
  events: EventBus;
  customers: Pick<CustomersService, 'retrieveCustomer'>;
  reply: OutboundService['replyToConversation'];
  settings: () => Promise<BotSettings>;
  publicUrl: () => string;
  log?: FastifyBaseLogger | undefined;
}

export function createCsat(deps: CsatDeps) {
  const { db, events } = deps;

  /** Records an answer on a survey still open; false when it was answered, expired or superseded meanwhile. */
  async function answer(
    trx: Trx,
    survey: CsatSurveyRow,
    input: { rating: number; comment: string | null; messageId: string | null; now: number },
  ): Promise<boolean> {
    const result = await trx
      .updateTable('csat_surveys')
      .set({
        status: 'answered',
        rating: input.rating,
        comment: input.comment,
        answer_message_id: input.messageId,
        answered_at: input.now,
      })
      .where('id', '=', survey.id)
      .where('status', '=', 'sent')
      .where('expires_at', '>', input.now)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) return false;
    await events.append(trx, {
      type: 'csat.answered',
      aggregate: { type: 'conversation', id: survey.conversation_id },
      customerId: survey.customer_id,
      channelId: survey.channel_id,
      actor: { type: 'customer', id: survey.customer_id, label: 'customer' },
      data: {
        id: survey.id,
        conversation_id: survey.conversation_id,
        rating: input.rating,
        agent_id: survey.agent_id,
        team_id: survey.team_id,
        channel_id: survey.channel_id,
      },
    });
    return true;
  }

  return {
    /**
     * Inside the inbound transaction: when the conversation has an open survey and the message reads as a
     * rating, it becomes the answer (true: keep the conversation resolved). Any other message closes the survey.
     */
    async captureSurveyAnswer(
      trx: Trx,
      input: { conversationId: string; messageId: string; text: string | null; now: number },
    ): Promise<boolean> {
      const survey = await trx
        .selectFrom('csat_surveys')
        .selectAll()
        .where('conversation_id', '=', input.conversationId)
        .where('status', '=', 'sent')
        .where('expires_at', '>', input.now)
        .orderBy('id', 'desc')
        .executeTakeFirst();
      if (!survey) return false;
      const parsed = parseRating(input.text);
      if (!parsed) {
        // The customer moved on to something else: a later "3 items" must not be taken for a rating.
        await trx
          .updateTable('csat_surveys')
          .set({ status: 'skipped' })
          .where('id', '=', survey.id)
          .execute();
        return false;
      }
      return answer(trx, survey, { ...parsed, messageId: input.messageId, now: input.now });
    },

    /** The survey a message answered, if it answered one (the bot thanks instead of answering it). */
    async surveyAnsweredBy(messageId: string): Promise<CsatSurvey | null> {
      const row = await db
        .selectFrom('csat_surveys')
        .selectAll()
        .where('answer_message_id', '=', messageId)
        .executeTakeFirst();
      return row ? surveyFromRow(row) : null;
    },

    /**
     * Sends the survey for a resolved conversation (the bot worker's `csat` task). Nothing when it was reopened
     * meanwhile, or the customer never wrote on a channel. A channel that refuses (consent, window) marks the
     * survey undeliverable rather than retrying forever.
     */
    async sendSurvey(conversationId: string, now = Date.now()): Promise<CsatSurvey | null> {
      const settings = await deps.settings();
      const conversation = await findConversationRow(db, conversationId);
      if (!settings.csat_enabled || !conversation || conversation.status !== 'resolved') return null;
      const last = await db
        .selectFrom('messages')
        .select(['channel_id', 'channel_kind', 'text'])
        .where('conversation_id', '=', conversationId)
        .where('direction', '=', 'in')
        .orderBy('id', 'desc')
        .executeTakeFirst();
      if (!last?.channel_id || !last.channel_kind) return null;
      const customer = await deps.customers.retrieveCustomer(conversation.customer_id);
      const locale = replyLocale(customer.locale ?? null, last.text ?? '');
      const token = randomBytes(24).toString('base64url');
      const id = newId('csat');
      await inTransaction(db, async (trx) => {
        await trx
          .updateTable('csat_surveys')
          .set({ status: 'superseded' })
          .where('conversation_id', '=', conversationId)
          .where('status', '=', 'sent')
          .execute();
        await trx
          .insertInto('csat_surveys')
          .values({
            id,
            conversation_id: conversationId,
            customer_id: conversation.customer_id,
            channel_id: last.channel_id!,
            channel_kind: last.channel_kind!,
            agent_id: conversation.assignee_id,
            team_id: conversation.team_id,
            locale,
            token_hash: hashToken(token),
            status: 'sent',
            rating: null,
            comment: null,
            answer_message_id: null,
            resolved_at: conversation.resolved_at ?? now,
            sent_at: now,
            expires_at: now + settings.csat_expires_hours * 3_600_000,
            answered_at: null,
          })
          .execute();
        await events.append(trx, {
          type: 'csat.requested',
          aggregate: { type: 'conversation', id: conversationId },
          customerId: conversation.customer_id,
          channelId: last.channel_id,
          actor: botActor,
          // What a widget needs to render the survey itself.
          data: { id, conversation_id: conversationId, scale: [1, 2, 3, 4, 5], locale },
        });
      });
      const lines = botLines[locale];
      const text =
        last.channel_kind === 'email'
          ? renderTemplate(lines.csat_email, { url: `${deps.publicUrl()}/csat/${token}` })
          : lines.csat_text;
      try {
        // The mark lets a channel that can (the web chat widget) show the survey as a 1–5 scale.
        await deps.reply(conversationId, { text, channel_id: last.channel_id }, botActor, {
          csat_survey_id: id,
        });
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        deps.log?.info({ conversation_id: conversationId, err: err.message }, 'CSAT survey not deliverable');
        await db.updateTable('csat_surveys').set({ status: 'undeliverable' }).where('id', '=', id).execute();
      }
      return surveyFromRow(
        (await db.selectFrom('csat_surveys').selectAll().where('id', '=', id).executeTakeFirstOrThrow())!,
      );
    },

    /** The survey behind an email link, for the public page (locale and whether it still takes an answer). */
    async retrieveSurveyByToken(token: string): Promise<CsatSurvey & { open: boolean }> {
      const row = await db
        .selectFrom('csat_surveys')
        .selectAll()
        .where('token_hash', '=', hashToken(token))
        .executeTakeFirst();
      if (!row) throw new AppError('not_found', 'No survey behind this link.');
      return { ...surveyFromRow(row), open: row.status === 'sent' && Number(row.expires_at) > Date.now() };
    },

    /** The public page's answer. */
    async answerSurveyByToken(token: string, input: { rating: number; comment: string | null }) {
      const ok = await inTransaction(db, async (trx) => {
        const row = await trx
          .selectFrom('csat_surveys')
          .selectAll()
          .where('token_hash', '=', hashToken(token))
          .executeTakeFirst();
        if (!row) throw new AppError('not_found', 'No survey behind this link.');
        return answer(trx, row, { ...input, messageId: null, now: Date.now() });
      });
      if (!ok) throw new AppError('conflict', 'This survey was already answered or has expired.');
    },

    /**
     * An answer given on the channel the survey went to, as a structured reply rather than text (the web chat
     * widget's 1–5 scale): the survey must be this customer's on this channel and still open. Recorded like every
     * answer (same row, same `csat.answered` event).
     * @example await csat.answerSurveyOnChannel({ surveyId: 'csat_01…', customerId, channelId, rating: 4, comment: null })
     */
    async answerSurveyOnChannel(input: {
      surveyId: string;
      customerId: string | null;
      channelId: string;
      rating: number;
      comment: string | null;
    }): Promise<CsatSurvey> {
      const refuse = (code: 'validation_failed' | 'not_found' | 'conflict', field: string, message: string) =>
        new AppError(code, message, { errors: [{ field, message }] });
      if (!Number.isInteger(input.rating) || input.rating < 1 || input.rating > 5)
        throw refuse('validation_failed', 'rating', 'must be a whole number from 1 to 5');
      const comment = input.comment?.trim() || null;
      if (comment && comment.length > MAX_COMMENT)
        throw refuse('validation_failed', 'comment', `must be at most ${MAX_COMMENT} characters`);
      return inTransaction(db, async (trx) => {
        const row = await trx
          .selectFrom('csat_surveys')
          .selectAll()
          .where('id', '=', input.surveyId)
          .executeTakeFirst();
        // Someone else's survey reads as no survey at all: its existence is not hers to learn.
        if (!row || row.customer_id !== input.customerId || row.channel_id !== input.channelId)
          throw refuse('not_found', 'survey_id', 'No survey of yours with this id.');
        const ok = await answer(trx, row, {
          rating: input.rating,
          comment,
          messageId: null,
          now: Date.now(),
        });
        if (!ok) throw refuse('conflict', 'survey_id', 'This survey was already answered or has expired.');
        const updated = await trx
          .selectFrom('csat_surveys')
          .selectAll()
          .where('id', '=', row.id)
          .executeTakeFirstOrThrow();
        return surveyFromRow(updated);
      });
    },

    /** Surveys by id (the web chat widget's resume: which of the surveys she was shown still take an answer). */
    async surveysById(ids: string[]): Promise<Array<CsatSurvey & { open: boolean }>> {
      if (!ids.length) return [];
      const now = Date.now();
      const rows = await db.selectFrom('csat_surveys').selectAll().where('id', 'in', ids).execute();
      return rows.map((r) => ({
        ...surveyFromRow(r),
        open: r.status === 'sent' && Number(r.expires_at) > now,
      }));
    },

    /** Every survey of a conversation, oldest first. */
    async listSurveys(conversationId: string): Promise<CsatSurvey[]> {
      const rows = await db
        .selectFrom('csat_surveys')
        .selectAll()
        .where('conversation_id', '=', conversationId)
        .orderBy('id')
        .execute();
      return rows.map(surveyFromRow);
    },
  };
}

export type CsatService = ReturnType<typeof createCsat>;
