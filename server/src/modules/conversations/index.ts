/**
 * @module The conversations module's one door: the contact centre's conversations, messages, inbound pipeline and
 * replies; its routes, tables, migrations, events and privacy handler. Channel adapters plug in through
 * ChannelAdapter.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../../config';
import type { NamedMigrations } from '../../platform/db/migrator';
import type { Dialect } from '../../platform/db/columns';
import type { Db } from '../../platform/db/database';
import type { EventTypeDefinition } from '../../platform/events/envelope';
import type { EventBus } from '../../platform/events/outbox';
import type { ChannelsService } from '../channels';
import type { ConsentService, CustomersService, IdentityService } from '../customers';
import type { ChannelAdapter } from './channel-adapter';
import { createConversationsService } from './conversation.service';
import { createInbound } from './inbound.service';
import { createOutbound } from './outbound';
import { routingNoCustomerData } from './routing.privacy';
import { createRouting } from './routing.service';
import { createSla } from './sla.service';
import { createTeamsService } from './team.service';
import { routingEventTypes } from './routing.events';
import { startRoutingJobs } from './routing.jobs';
import * as conversations0700 from './migrations/2026-11-22-0700-conversations';
import * as routing0730 from './migrations/2026-11-22-0730-routing-sla';
import { createBot, type FindOrderForCustomer } from './bot.service';
import { alwaysOpen, isOpenAt } from './business-hours';
import { createCsat } from './csat.service';
import { createReports } from './report.service';
import * as botsCsat0750 from './migrations/2026-11-22-0750-bots-csat';
import * as inbox0500 from './migrations/2026-11-23-0500-mentions-merge-canned';
import * as inboundSender0600 from './migrations/2026-11-23-0600-inbound-sender';
import * as botFirst0610 from './migrations/2026-11-23-0610-bot-first';
import * as agentConnections0620 from './migrations/2026-11-23-0620-agent-connections';
import * as mergeUndo1140 from './migrations/2026-11-24-1140-merge-undo';
import { createMerge } from './conversation.merge';
import { createUnmerge } from './conversation.unmerge';
import { createCanned } from './canned.service';

export {
  adapterFor,
  checkAttachments,
  senderKey,
  typeAllowed,
  type AttachmentLimits,
  type ChannelAdapter,
  type InboundAttachment,
  type NormalizedInbound,
  type OutboundMessage,
  type SendResult,
} from './channel-adapter';
export { conversationsRoutes } from './conversation.routes';
export { routingRoutes } from './routing.routes';
export { routingEventTypes } from './routing.events';
export { isOpenAt, nextOpening, type BusinessCalendar } from './business-hours';
export { conversationsPrivacyHandler } from './conversation.privacy';
export { InboundAckSchema } from './conversation.schemas';
export type { AcceptResult } from './inbound.service';
export type { Conversation } from './conversation.repository';
export type { ConversationMerge } from './merge.repository';
export type { ChannelMessage, Message } from './message.repository';
export type { ConversationsTables } from './conversation.table';
export type { BotTables } from './bot.table';
export { botRoutes } from './bot.routes';
export { csatPrivacyHandler, csatRoutes } from './csat.routes';
export { reportRoutes } from './report.routes';
export { cannedRoutes } from './canned.routes';
export { cannedVariables } from './canned.template';
export type { CannedResponse } from './canned.repository';
export type { FindOrderForCustomer } from './bot.service';
export type { OrderStatusView } from './bot.intents';

export const conversationsMigrations: NamedMigrations = {
  '2026-11-22-0700-conversations': conversations0700,
  '2026-11-22-0730-routing-sla': routing0730,
  '2026-11-22-0750-bots-csat': botsCsat0750,
  '2026-11-23-0500-mentions-merge-canned': inbox0500,
  '2026-11-23-0600-inbound-sender': inboundSender0600,
  '2026-11-23-0610-bot-first': botFirst0610,
  '2026-11-23-0620-agent-connections': agentConnections0620,
  '2026-11-24-1140-merge-undo': mergeUndo1140,
};

/** The core tables hold customer data (the privacy handler covers them); routing and SLA tables do not. */
export const conversationsNoCustomerData = {
  ...routingNoCustomerData,
  bot_rules: 'Auto-reply rules written by staff',
  bot_settings: 'The business’s bot settings and the external bot’s signing secret',
  canned_responses: 'Reply templates written by staff ({{variables}}, no customer values)',
};

export interface ConversationsDeps {
  db: Db;
  /** Which database: on SQLite concurrent inbound deliveries share transactions (inbound.service.ts). */
  dialect?: Dialect | undefined;
  events: EventBus;
  config: Config;
  channels: ChannelsService;
  identity: Pick<IdentityService, 'resolve'>;
  consent: Pick<ConsentService, 'can'>;
  customers: Pick<CustomersService, 'retrieveCustomer'>;
  userExists: (id: string) => Promise<boolean>;
  adapters: ChannelAdapter[];
  log?: FastifyBaseLogger | undefined;
  /** The bot's "where is my order" lookup (commerce orders, wired in app.ts); without it the intent is off. */
  findOrder?: FindOrderForCustomer | undefined;
  /** The server's public base URL, for the CSAT link in emails. */
  publicUrl?: (() => string) | undefined;
  /** Active staff users allowed to read conversations: whom a note may @mention (users service, app.ts). */
  mentionable?: (() => Promise<Array<{ id: string; name: string }>>) | undefined;
  /** A staff user's name, for {{agent.name}} in canned responses. */
  staffName?: ((userId: string) => Promise<string | null>) | undefined;
  /** The customer's latest order, for {{order.number}} in canned responses (commerce, app.ts). */
  latestOrder?: ((customerId: string) => Promise<{ number: string; status: string } | null>) | undefined;
}

/**
 * The contact centre's services: the agent's verbs, the inbound pipeline and replies, and the retry job.
 * @example const conversations = createConversations({ db, events, config, channels, identity, consent, customers, userExists, adapters: [email, twilio] })
 */
export function createConversations(deps: ConversationsDeps) {
  const attachments = { maxBytes: deps.config.attachmentMaxBytes, types: deps.config.attachmentTypes };
  const service = createConversationsService(deps);
  const outbound = createOutbound({ ...deps, attachments });
  const csat = createCsat({
    ...deps,
    reply: outbound.replyToConversation,
    settings: () => bot.retrieveBotSettings(),
    publicUrl: deps.publicUrl ?? (() => deps.config.publicUrl ?? `http://localhost:${deps.config.port}`),
  });
  const teams = createTeamsService(deps);
  const routing = createRouting({
    ...deps,
    customerLocale: async (id) => (await deps.customers.retrieveCustomer(id)).locale,
  });
  const bot = createBot({
    ...deps,
    conversations: service,
    reply: outbound.replyToConversation,
    csat,
    // Open means the conversation's team is open; before routing has given it a team (the bot goes first), a team
    // that would take it is open; with no such team, the bot's own hours.
    isOpen: async (conversation, at) => {
      if (conversation.team_id) {
        const team = await teams.isOpen(conversation.team_id, at).catch(() => null); // null: team deleted
        if (team) return team.open;
      }
      const serving = await routing.servingTeamOpen(conversation.id, at);
      if (serving !== null) return serving;
      return isOpenAt((await bot.retrieveBotSettings()).business_hours ?? alwaysOpen, at);
    },
    // A handoff puts the conversation in front of people now rather than at the routing job's next sweep.
    route: async (id) => void (await routing.routeConversation(id)),
    external: {
      timeoutMs: deps.config.webhookTimeoutMs,
      allowPrivateTargets: deps.config.webhookAllowPrivateTargets,
    },
  });
  const inbound = createInbound({
    ...deps,
    threading: deps.config.conversationThreading,
    attachments,
    captureSurveyAnswer: csat.captureSurveyAnswer,
  });
  const sla = createSla(deps);
  return {
    ...service,
    ...createMerge(deps),
    ...createUnmerge(deps),
    ...inbound,
    ...outbound,
    /** Canned responses (reply templates with variables); `cannedRoutes(conversations.canned)` serves them. */
    canned: createCanned(deps),
    attachmentLimits: attachments,
    bot,
    csat,
    /** Teams, presence, capacity and `isOpen(team, at)`. */
    teams,
    /** Assignment, take-next, transfer, reassignment; `routing.consumer` joins the dispatcher. */
    routing,
    /** SLA policies and timers; `sla.consumer` joins the dispatcher. */
    sla,
    reports: createReports({
      db: deps.db,
      calendar: async () => (await bot.retrieveBotSettings()).business_hours,
    }),
    /** Starts the durable retry of inbound messages whose processing failed; returns the stopper. */
    startJobs(log: FastifyBaseLogger): () => void {
      let running = false;
      const timer = setInterval(() => {
        if (running) return;
        running = true;
        inbound
          .retryDueInbound()
          .catch((err: unknown) => log.error({ err }, 'inbound retry job failed'))
          .finally(() => (running = false));
      }, deps.config.inboundRetryEveryMs);
      timer.unref();
      const stopBot = bot.startJobs(log, deps.config.dispatcherPollMs);
      const stopRouting = startRoutingJobs(routing, sla, log);
      return () => {
        clearInterval(timer);
        stopBot();
        stopRouting();
      };
    },
  };
}

export type Conversations = ReturnType<typeof createConversations>;

const read = 'conversations:read' as const;
export const conversationsEventTypes: EventTypeDefinition[] = [
  ...routingEventTypes,
  {
    type: 'conversation.created',
    description: 'A customer’s first message opened a conversation',
    permission: read,
  },
  {
    type: 'conversation.assigned',
    description: 'A conversation was assigned to an agent (and team)',
    permission: read,
  },
  { type: 'conversation.unassigned', description: 'A conversation lost its agent', permission: read },
  {
    type: 'conversation.status_changed',
    description: 'Open, pending, snoozed or resolved (data.from, data.to)',
    permission: read,
  },
  {
    type: 'conversation.updated',
    description: 'Labels or priority changed, or another conversation was merged in (data.merged_from)',
    permission: read,
  },
  {
    type: 'conversation.merged',
    description: 'This conversation was merged into another (data.into); it is read-only from now on',
    permission: read,
  },
  {
    type: 'conversation.unmerged',
    description:
      'A merge of this conversation was undone: its messages came back from data.from and it is active again',
    permission: read,
  },
  {
    type: 'conversation.split',
    description: 'Messages of this conversation started a new one (data.into, data.messages)',
    permission: read,
  },
  {
    type: 'conversation.mentioned',
    description: 'A private note mentioned a staff user (data.user_id, data.message_id)',
    permission: read,
    // Only the mentioned agent's consoles hear it live; webhooks still carry every mention.
    recipient: (event) => (event.data as { user_id?: unknown }).user_id,
  },
  {
    type: 'message.received',
    description: 'A customer’s message arrived on a channel (ids only)',
    permission: read,
  },
  { type: 'message.queued', description: 'An agent’s reply was stored and is being sent', permission: read },
  { type: 'message.sent', description: 'The channel’s provider accepted a reply', permission: read },
  {
    type: 'message.failed',
    description: 'The provider refused a reply or could not be reached',
    permission: read,
  },
  {
    type: 'message.delivery_updated',
    description: 'The provider reported delivery, reading or failure of a reply',
    permission: read,
  },
  { type: 'message.note_added', description: 'An agent wrote a private note', permission: read },
  {
    type: 'conversation.handed_off',
    description:
      'The bot handed the conversation to people (data.reason: asked, failed_matches, rule, external)',
    permission: read,
  },
  {
    type: 'csat.requested',
    description: 'A 1–5 satisfaction survey went to the customer after resolution (data.scale, data.locale)',
    permission: read,
  },
  {
    type: 'csat.answered',
    description: 'The customer rated the help (data.rating, agent_id, team_id, channel_id)',
    permission: read,
  },
];
