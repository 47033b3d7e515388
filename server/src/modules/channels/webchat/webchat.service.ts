/**
 * @module Web chat visitors: a browser gets a visitor token (only its hash is stored) bound to one webchat channel;
 * she is anonymous, known by the page's Segment anonymous id (or, without one, her visitor id) until she gives an
 * email, when identity resolution joins the two. Her messages go into the shared inbound pipeline like any
 * channel's (stored raw first, deduplicated by her client message id); files she attaches are uploaded first,
 * checked against the attachment limits, and referenced by id.
 */
import type { FastifyBaseLogger } from 'fastify';
import { AppError } from '../../../platform/errors';
import { encodeBool } from '../../../platform/db/codecs';
import type { Db } from '../../../platform/db/database';
import { newId } from '../../../platform/ids';
import { hashToken, newToken } from '../../../platform/auth/secrets';
import { systemActor } from '../../../platform/auth/principal';
import type { Channel, ChannelsService } from '../index';
import type { IdentityService } from '../../customers';
import {
  checkAttachments,
  type AcceptResult,
  type AttachmentLimits,
  type ChannelMessage,
  type NormalizedInbound,
} from '../../conversations';
import {
  findUploads,
  findVisitorByTokenHash,
  findVisitorRow,
  insertUpload,
  insertVisitor,
  updateVisitorRow,
  visitorFromRow,
  type Visitor,
} from './webchat.repository';

/** What the pipeline stores for a visitor's message: enough to process it again on retry, bytes excluded. */
export interface WebchatPayload {
  visitor_id: string;
  client_id: string;
  text: string | null;
  upload_ids: string[];
  identifier: NormalizedInbound['identifier'];
  name: string | null;
}

export interface WebchatConversations {
  acceptInbound(
    channel: Channel,
    input: { providerMessageId: string | null; payload: Buffer; sender?: string | null },
  ): Promise<AcceptResult>;
  retrieveConversation(id: string): Promise<{ customer_id: string }>;
  listChannelMessages(
    customerId: string,
    channelId: string,
    afterId: string | null,
  ): Promise<ChannelMessage[]>;
  /** The CSAT service's structured answer and its surveys' state (conversations' `csat`). */
  csat: {
    answerSurveyOnChannel(input: {
      surveyId: string;
      customerId: string | null;
      channelId: string;
      rating: number;
      comment: string | null;
    }): Promise<{ id: string; rating: number | null; comment: string | null }>;
    surveysById(ids: string[]): Promise<Array<{ id: string; open: boolean; rating: number | null }>>;
  };
}

/** A message as the widget replays it: a CSAT survey carries its id, whether it still takes an answer, the rating. */
export type WidgetMessage = ChannelMessage & {
  csat: { survey_id: string; open: boolean; rating: number | null } | null;
};

export interface WebchatServiceDeps {
  db: Db;
  channels: ChannelsService;
  identity: Pick<IdentityService, 'resolve'>;
  /** Bound late: the conversations core takes this channel's adapter first. */
  conversations: () => WebchatConversations;
  attachments: AttachmentLimits;
  log?: FastifyBaseLogger | undefined;
}

export interface SessionInput {
  visitor_token?: string | undefined;
  anonymous_id?: string | undefined;
  locale?: string | undefined;
  name?: string | undefined;
  email?: string | undefined;
}

const MAX_TEXT = 10_000;
const field = (name: string, message: string) =>
  new AppError('validation_failed', message, { errors: [{ field: name, message }] });

export function createWebchatService(deps: WebchatServiceDeps) {
  const { db } = deps;

  /**
   * The web chat channel behind a publishable key: its own, or the one a web shop's channel names in
   * `config.webchat_channel_id` (so the shop's key also opens its chat).
   */
  async function webchatChannel(id: string): Promise<Channel> {
    let channel = await deps.channels.retrieveChannel(id);
    const linked = channel.config.webchat_channel_id;
    if (
      channel.kind !== 'webchat' &&
      typeof linked === 'string' &&
      (await deps.channels.channelExists(linked))
    )
      channel = await deps.channels.retrieveChannel(linked);
    if (channel.kind !== 'webchat' || !channel.active)
      throw new AppError('forbidden', 'This key does not belong to an active web chat channel.');
    return channel;
  }

  const identifierOf = (v: Visitor): NormalizedInbound['identifier'] =>
    v.email ? { type: 'email', value: v.email } : { type: 'anonymous_id', value: v.anonymousId ?? v.id };

  async function reload(id: string): Promise<Visitor> {
    return visitorFromRow((await findVisitorRow(db, id))!);
  }

  /**
   * Names the visitor: her anonymous id and email are resolved together, so the chat joins the profile her
   * tracking (and any earlier order) built.
   */
  async function identify(
    visitor: Visitor,
    input: { email: string; name?: string | undefined },
  ): Promise<Visitor> {
    const email = input.email.trim();
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw field('email', 'must be an email address');
    const [first, ...rest] = (input.name ?? '').trim().split(/\s+/).filter(Boolean);
    const { customerId } = await deps.identity.resolve({
      identifiers: [
        { type: 'anonymous_id', value: visitor.anonymousId ?? visitor.id },
        { type: 'email', value: email },
      ],
      channelId: visitor.channelId,
      profile: first
        ? { first_name: first, ...(rest.length ? { last_name: rest.join(' ') } : {}) }
        : undefined,
      actor: systemActor,
      reason: 'web chat pre-chat form',
    });
    await updateVisitorRow(db, visitor.id, {
      email,
      name: input.name?.trim() || visitor.name,
      customer_id: customerId,
      last_seen_at: Date.now(),
    });
    return reload(visitor.id);
  }

  return {
    webchatChannel,
    identify,

    /**
     * Starts or resumes a visitor's session. A token from another channel or an unknown one starts afresh.
     * @example await webchat.startSession('cha_01…', { anonymous_id: 'ajs-123', locale: 'es' })
     */
    async startSession(channelId: string, input: SessionInput): Promise<{ token: string; visitor: Visitor }> {
      channelId = (await webchatChannel(channelId)).id;
      const now = Date.now();
      const locale = input.locale?.slice(0, 2).toLowerCase() ?? null;
      const anonymousId = input.anonymous_id?.trim().slice(0, 200) || null;
      let row = input.visitor_token
        ? await findVisitorByTokenHash(db, hashToken(input.visitor_token))
        : undefined;
      let token = input.visitor_token ?? '';
      if (!row || row.channel_id !== channelId) {
        token = newToken('wvt_');
        const id = newId('vis');
        await insertVisitor(db, {
          id,
          channel_id: channelId,
          token_hash: hashToken(token),
          anonymous_id: anonymousId,
          customer_id: null,
          conversation_id: null,
          name: null,
          email: null,
          locale,
          email_fallback: encodeBool(false),
          created_at: now,
          last_seen_at: now,
        });
        row = (await findVisitorRow(db, id))!;
      } else {
        // The page's analytics may have set its anonymous id since the last visit: keep the first, and link the
        // new one to her profile once she has one.
        if (anonymousId && row.anonymous_id !== anonymousId && row.customer_id)
          await deps.identity.resolve({
            identifiers: [
              { type: 'anonymous_id', value: row.anonymous_id ?? row.id },
              { type: 'anonymous_id', value: anonymousId },
            ],
            channelId,
            actor: systemActor,
            reason: 'web chat visitor returned',
          });
        await updateVisitorRow(db, row.id, {
          last_seen_at: now,
          locale: locale ?? row.locale,
          anonymous_id: row.anonymous_id ?? anonymousId,
        });
      }
      let visitor = await reload(row.id);
      if (input.email) visitor = await identify(visitor, { email: input.email, name: input.name });
      return { token, visitor };
    },

    /** The visitor a token belongs to, or null. */
    async authenticate(token: string): Promise<Visitor | null> {
      if (!token.startsWith('wvt_')) return null;
      const row = await findVisitorByTokenHash(db, hashToken(token));
      return row ? visitorFromRow(row) : null;
    },

    /**
     * No agent was available: the conversation continues by email while she is away — at the address she leaves
     * now, or (none given) the one her pre-chat form already collected, so she is never asked twice.
     * @example await webchat.continueByEmail(visitor, undefined) // uses visitor.email
     */
    async continueByEmail(visitor: Visitor, email: string | undefined): Promise<Visitor> {
      const address = email?.trim() || visitor.email;
      if (!address) throw field('email', 'is required: the visitor has not given an email address');
      const named = address === visitor.email ? visitor : await identify(visitor, { email: address });
      await updateVisitorRow(db, visitor.id, { email_fallback: encodeBool(true) });
      return { ...named, emailFallback: true };
    },

    /**
     * A visitor's message through the shared inbound pipeline; the same client id twice is one message.
     * @example await webchat.sendMessage(visitor, { client_id: 'c1', text: 'Hola' })
     */
    async sendMessage(
      visitor: Visitor,
      input: { client_id: string; text?: string | null | undefined; upload_ids?: string[] | undefined },
    ): Promise<AcceptResult> {
      const text = input.text?.trim() || null;
      const uploadIds = [...new Set(input.upload_ids ?? [])].slice(0, 10);
      if (!/^[\w-]{1,64}$/.test(input.client_id))
        throw field('client_id', 'must be 1–64 letters, digits, - or _');
      if (!text && !uploadIds.length) throw field('text', 'a message needs text or an attachment');
      if (text && text.length > MAX_TEXT) throw field('text', `must be at most ${MAX_TEXT} characters`);
      const found = await findUploads(db, visitor.id, uploadIds);
      if (found.length !== uploadIds.length) throw field('attachments', 'names an upload that is not yours');
      const channel = await webchatChannel(visitor.channelId);
      const payload: WebchatPayload = {
        visitor_id: visitor.id,
        client_id: input.client_id,
        text,
        upload_ids: uploadIds,
        identifier: identifierOf(visitor),
        name: visitor.name,
      };
      const result = await deps.conversations().acceptInbound(channel, {
        providerMessageId: `${visitor.id}:${input.client_id}`,
        payload: Buffer.from(JSON.stringify(payload)),
        sender: payload.identifier.value,
      });
      if (result.conversation_id && result.conversation_id !== visitor.conversationId) {
        const conversation = await deps.conversations().retrieveConversation(result.conversation_id);
        await updateVisitorRow(db, visitor.id, {
          conversation_id: result.conversation_id,
          customer_id: conversation.customer_id,
        });
        visitor.conversationId = result.conversation_id;
        visitor.customerId = conversation.customer_id;
      }
      return result;
    },

    /**
     * What she missed: her messages and the replies on this channel after `since`, oldest first; a CSAT survey
     * among them says whether it still takes an answer (answered by typing, skipped, expired: it does not).
     */
    async history(visitor: Visitor, since: string | null): Promise<WidgetMessage[]> {
      const current = await reload(visitor.id);
      if (!current.customerId) return [];
      const messages = await deps
        .conversations()
        .listChannelMessages(current.customerId, current.channelId, since);
      const ids = messages.flatMap((m) => (m.csat_survey_id ? [m.csat_survey_id] : []));
      const surveys = new Map(
        (await deps.conversations().csat.surveysById(ids)).map((survey) => [survey.id, survey]),
      );
      return messages.map((m) => {
        const survey = m.csat_survey_id ? surveys.get(m.csat_survey_id) : undefined;
        return {
          ...m,
          csat: survey ? { survey_id: survey.id, open: survey.open, rating: survey.rating } : null,
        };
      });
    },

    /**
     * Her answer to a CSAT survey from the widget's 1–5 scale, recorded by the CSAT service: the survey must be
     * hers on this channel and still open.
     * @example await webchat.answerSurvey(visitor, { survey_id: 'csat_01…', rating: 4, comment: 'Quick' })
     */
    async answerSurvey(visitor: Visitor, input: { survey_id: unknown; rating: unknown; comment: unknown }) {
      if (typeof input.survey_id !== 'string' || !/^[\w-]{1,64}$/.test(input.survey_id))
        throw field('survey_id', 'must name the survey (csat_…)');
      if (typeof input.rating !== 'number') throw field('rating', 'must be a whole number from 1 to 5');
      if (input.comment !== undefined && input.comment !== null && typeof input.comment !== 'string')
        throw field('comment', 'must be text');
      const current = await reload(visitor.id);
      return deps.conversations().csat.answerSurveyOnChannel({
        surveyId: input.survey_id,
        customerId: current.customerId,
        channelId: current.channelId,
        rating: input.rating,
        comment: typeof input.comment === 'string' ? input.comment : null,
      });
    },

    /** Stores a file for a later message, refused when over the size limit or of a type not allowed. */
    async upload(visitor: Visitor, file: { filename: string; contentType: string; content: Buffer }) {
      checkAttachments([file], deps.attachments, 'file');
      const row = {
        id: newId('wup'),
        visitor_id: visitor.id,
        channel_id: visitor.channelId,
        filename: file.filename.slice(0, 200) || 'attachment',
        content_type: file.contentType,
        size: file.content.length,
        content: file.content,
        created_at: Date.now(),
      };
      await insertUpload(db, row);
      return { id: row.id, filename: row.filename, content_type: row.content_type, size: row.size };
    },

    /** The pipeline's parse step: the stored payload back into a message, uploads read again. */
    async normalize(payload: Buffer): Promise<NormalizedInbound> {
      const p = JSON.parse(payload.toString('utf8')) as WebchatPayload;
      const files = await findUploads(db, p.visitor_id, p.upload_ids);
      const [first, ...rest] = (p.name ?? '').split(/\s+/).filter(Boolean);
      return {
        providerMessageId: `${p.visitor_id}:${p.client_id}`,
        identifier: p.identifier,
        address: p.visitor_id,
        profile: first ? { first_name: first, last_name: rest.join(' ') || undefined } : undefined,
        text: p.text,
        attachments: files.map((f) => ({
          filename: f.filename,
          contentType: f.content_type,
          content: Buffer.from(f.content),
        })),
        meta: { client_id: p.client_id },
      };
    },
  };
}

export type WebchatService = ReturnType<typeof createWebchatService>;
