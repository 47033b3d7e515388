/**
 * @module Builds the Omnis application from a Config: database, services, HTTP routes, event dispatch and
 * workers. No globals: tests build as many apps as they like; `listen()` is the caller's business (cli.ts).
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import fastifyWebsocket from '@fastify/websocket';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import FindMyWay, { type HTTPMethod } from 'find-my-way';
import type { Config } from './config';
import { openDatabase, type DatabaseHandle } from './platform/db/database';
import { installErrorHandling } from './platform/http/problem';
import { installIdempotency, purgeIdempotencyKeys } from './platform/http/idempotency';
import { installMetrics } from './platform/http/metrics';
import { installValidation } from './platform/http/validation';
import { systemRoutes } from './platform/http/system.routes';
import { installAuth } from './platform/auth/auth.hook';
import { roleHas, type Access } from './platform/auth/permissions';
import { createUsersService } from './platform/auth/users.service';
import { createSessionsService } from './platform/auth/sessions.service';
import { createApiKeysService } from './platform/auth/api-keys.service';
import { authRoutes } from './platform/auth/auth.routes';
import { usersRoutes } from './platform/auth/users.routes';
import { apiKeysRoutes } from './platform/auth/api-keys.routes';
import { installAuditHook } from './platform/audit/audit';
import { auditRoutes } from './platform/audit/audit.routes';
import { createEventBus } from './platform/events/outbox';
import { platformEventTypes, type EventTypeDefinition } from './platform/events/envelope';
import { createDispatcher } from './platform/events/dispatcher';
import { createWebhooksService, webhookFanOut } from './platform/events/webhooks.service';
import { createWebhookSender } from './platform/events/webhook-sender';
import { webhooksRoutes } from './platform/events/webhooks.routes';
import { createRealtimeHub } from './platform/events/realtime';
import { actorOf, systemActor } from './platform/auth/principal';
import { startHousekeeping } from './platform/jobs/housekeeping';
import {
  channelsEventTypes,
  channelsNoCustomerData,
  channelsRoutes,
  createChannelsService,
} from './modules/channels';
import {
  consentPrivacyHandler,
  consentRoutes,
  createConsentService,
  createCustomersService,
  createIdentityService,
  customersEventTypes,
  customersRoutes,
  customersNoCustomerData,
  createRetention,
  createIngestService,
  createTimelineService,
  ingestRoutes,
  timelineRoutes,
  trackingPrivacyHandler,
  createCustomerPrivacyService,
  privacyRoutes,
  profilePrivacyHandler,
  createSegmentsService,
  segmentsRoutes,
  segmentsPrivacyHandler,
  createAccessTokens,
  createSelfService,
  selfServicePrivacyHandler,
  selfServiceRoutes,
  selfServiceStaffRoutes,
} from './modules/customers';
import {
  conversationsEventTypes,
  conversationsNoCustomerData,
  conversationsPrivacyHandler,
  conversationsRoutes,
  cannedRoutes,
  createConversations,
  routingRoutes,
  botRoutes,
  csatPrivacyHandler,
  csatRoutes,
  reportRoutes,
} from './modules/conversations';
import { createEmailChannel, emailHooksRoutes } from './modules/channels/email';
import { createTwilioChannel, twilioHooksRoutes } from './modules/channels/twilio';
import { createMetaChannel, metaHooksRoutes } from './modules/channels/meta';
import { createTelegramChannel, telegramHooksRoutes } from './modules/channels/telegram';
import { createWebchatChannel, webchatPrivacyHandler } from './modules/channels/webchat';
import { platformNoCustomerData, platformPrivacyHandler } from './platform/privacy/platform.privacy';
import type { PrivacyHandler } from './platform/privacy/privacy';
import {
  availabilityRoutes,
  createAllocationService,
  createAvailabilityService,
  createLocationsService,
  createReservationsService,
  createSourcingService,
  createStockService,
  createTransferLanesService,
  createTransfersService,
  inventoryEventTypes,
  inventoryNoCustomerData,
  locationsRoutes,
  reservationsRoutes,
  stockRoutes,
  exportStockCsv,
  importStockCsv,
  transferLanesRoutes,
  transfersRoutes,
} from './modules/inventory';
import {
  commerceEventTypes,
  commerceNoCustomerData,
  commercePrivacyHandlers,
  commerceRoutes,
  createCommerce,
} from './modules/commerce';
import {
  catalogEventTypes,
  catalogNoCustomerData,
  catalogRoutes,
  createCatalogService,
} from './modules/catalog';
import {
  createPricesService,
  createPromotionsService,
  pricesRoutes,
  pricingLookups,
  promotionsPrivacyHandler,
  promotionsRoutes,
  createFeedService,
  feedRoutes,
  csvRoutes,
  exportPricesCsv,
  exportProductsCsv,
  importPricesCsv,
  importProductsCsv,
  variantsBySku,
  type CsvService,
} from './modules/catalog';

/** How often a process refreshes its agents' presence rows; three missed beats (plus the grace) and they expire. */
const PRESENCE_HEARTBEAT_MS = 10_000;

export interface BuildOptions {
  /** An already open (and migrated) database; otherwise one is opened from config. */
  database?: DatabaseHandle;
  /** Fastify logger options; false silences logs (tests). */
  logger?: FastifyServerOptions['logger'];
  /** Start the dispatcher, webhook sender and housekeeping (default true). Tests may drive them by hand. */
  workers?: boolean;
}

/** Paths served by plugins (docs UI, console files) rather than our route modules: public by nature. */
const PUBLIC_PLUGIN_PREFIXES = ['/docs'];
const API_PREFIXES = [
  '/v1/',
  '/store/',
  '/hooks/',
  '/chat/',
  '/openapi.json',
  '/docs',
  '/healthz',
  '/readyz',
  '/metrics',
];

export type OmnisApp = Awaited<ReturnType<typeof buildApp>>;

export async function buildApp(config: Config, options: BuildOptions = {}) {
  const database =
    options.database ?? (await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir }));
  const { db, dialect } = database;

  const app = Fastify({
    logger: options.logger ?? { level: config.logLevel },
    bodyLimit: config.bodyLimitBytes,
    requestIdHeader: 'x-request-id',
    genReqId: requestIds(),
    forceCloseConnections: true,
  }).withTypeProvider<TypeBoxTypeProvider>();

  installValidation(app);

  // Every route must declare its access; plugin routes under known public prefixes are declared here.
  const router = FindMyWay();
  const routes: Array<{ method: string; url: string; access: Access }> = [];
  app.addHook('onRoute', (route) => {
    if (
      PUBLIC_PLUGIN_PREFIXES.some((p) => route.url.startsWith(p)) ||
      (route.config?.access === undefined &&
        route.prefix === '' &&
        isStaticRoute(route.url, config.consoleDir))
    ) {
      route.config = { ...route.config, access: route.config?.access ?? 'public' };
    }
    if (route.config?.access === undefined)
      throw new Error(`Route ${String(route.method)} ${route.url} declares no access (config.access).`);
    for (const method of [route.method].flat()) {
      routes.push({ method: String(method), url: route.url, access: route.config.access });
      if (!router.hasRoute(method as HTTPMethod, route.url))
        router.on(method as HTTPMethod, route.url, () => undefined);
    }
  });
  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('x-request-id', request.id);
    return payload;
  });

  const allowedMethods = (method: string, url: string) =>
    (['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const).filter(
      (m) => m !== method && router.find(m, url) !== null,
    );
  const consoleIndex = existsSync(path.join(config.consoleDir, 'index.html'));
  installErrorHandling(app, allowedMethods, (request) =>
    consoleIndex && request.method === 'GET' && !API_PREFIXES.some((p) => request.url.startsWith(p))
      ? 'index.html'
      : null,
  );

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Omnis API',
        version: '0.1.0',
        description: 'One backend for every channel. Errors are RFC 9457 problem details.',
      },
      components: {
        securitySchemes: {
          bearer: {
            type: 'http',
            scheme: 'bearer',
            description: 'Session token, sk_… secret key or pk_… publishable key',
          },
          basic: {
            type: 'http',
            scheme: 'basic',
            description:
              'Segment tracking: the write key (a pk_… publishable key) as user name, empty password',
          },
          customerToken: {
            type: 'apiKey',
            in: 'header',
            name: 'X-Customer-Token',
            description: 'Self-service: the ctk_… token from a customer’s preference link (/store/v1/me…)',
          },
        },
      },
      security: [{ bearer: [] }],
    },
  });
  await app.register(fastifySwaggerUi, {
    routePrefix: '/docs',
    uiConfig: { docExpansion: 'list', deepLinking: true },
  });
  await app.register(fastifyWebsocket, { options: { maxPayload: 64 * 1024 } });

  // Services
  const eventTypes = (): EventTypeDefinition[] => [
    ...platformEventTypes,
    ...channelsEventTypes,
    ...inventoryEventTypes,
    ...customersEventTypes,
    ...catalogEventTypes,
    ...commerceEventTypes,
    ...conversationsEventTypes,
  ];
  const events = createEventBus(dialect);
  const channels = createChannelsService({ db, events });
  const identity = createIdentityService({ db, dialect, events });
  const customers = createCustomersService({ db, dialect, events });
  const ingest = createIngestService({ db, identity });
  const timeline = createTimelineService({ db });
  // Every module that keeps customer data registers its handler here; the privacy test checks none is missing.
  const privacyHandlers = (): PrivacyHandler[] => [
    platformPrivacyHandler,
    profilePrivacyHandler,
    consentPrivacyHandler,
    trackingPrivacyHandler,
    segmentsPrivacyHandler,
    selfServicePrivacyHandler,
    promotionsPrivacyHandler,
    ...commercePrivacyHandlers,
    // Before the conversations handler: its erasure finds the person's bot state by conversation.
    csatPrivacyHandler,
    conversationsPrivacyHandler,
    webchatPrivacyHandler,
  ];
  const privacy = createCustomerPrivacyService({ db, events, handlers: privacyHandlers });
  const retention = createRetention({ db, privacy, config });
  const consent = createConsentService({
    db,
    events,
    confirmationTtlMs: config.consentConfirmationTtlMs,
    channelExists: channels.channelExists,
  });
  const accessTokens = createAccessTokens({
    db,
    events,
    ttlMs: config.customerTokenTtlMs,
    publicUrl: () => config.publicUrl ?? `http://localhost:${listeningPort(app) ?? config.port}`,
    channelExists: channels.channelExists,
  });
  const selfService = createSelfService({ db, events, tokens: accessTokens, customers, consent, privacy });
  const segments = createSegmentsService({ db, dialect, events, listChannels: channels.listChannels });
  const locations = createLocationsService({ db, events, channelExists: channels.channelExists });
  const stock = createStockService({ db, events, channelExists: channels.channelExists });
  const allocations = createAllocationService({ db, events, channelExists: channels.channelExists });
  const availability = createAvailabilityService({
    db,
    shipTransitDays: config.shipTransitDays,
    transferLeadHours: config.transferLeadHours,
  });
  const sourcing = createSourcingService({ db, shipTransitDays: config.shipTransitDays });
  const reservations = createReservationsService({
    db,
    events,
    sourcing,
    channelExists: channels.channelExists,
    ttlMs: config.reservationTtlMs,
    batchMax: config.reservationBatchMax,
  });
  const transfers = createTransfersService({ db, events });
  const transferLanes = createTransferLanesService({ db, events });
  const catalog = createCatalogService({ db, dialect, events, channelExists: channels.channelExists });
  const pricingDeps = {
    db,
    events,
    channelExists: channels.channelExists,
    ...pricingLookups({
      listCustomerSegments: segments.listCustomerSegments,
      retrieveSegment: segments.retrieveSegment,
      listChannels: channels.listChannels,
    }),
  };
  const prices = createPricesService(pricingDeps);
  const promotions = createPromotionsService({ ...pricingDeps, pricing: prices });
  // The search's price facet is the range of what priceFor computes for the matching products; its price filter
  // keeps those priced within the range asked, computed the same way.
  catalog.setPriceFacet(prices.priceRange);
  catalog.setPriceFilter(prices.productsPricedWithin);
  const feeds = createFeedService({
    catalog,
    prices,
    channel: async (id) => ((await channels.channelExists(id)) ? channels.retrieveChannel(id) : null),
    availableUnits: async (channelId, skus) =>
      new Map(
        (await availability.checkAvailability({ channel_id: channelId, skus })).skus.map((s) => [
          s.sku,
          s.available,
        ]),
      ),
  });
  const catalogDeps = { db, dialect, events, channelExists: channels.channelExists };
  const csv: CsvService = {
    products: {
      import: (text, actor, opts) => importProductsCsv(catalogDeps, text, actor, opts),
      export: () => exportProductsCsv(catalogDeps),
      read: 'catalog:read',
      write: 'catalog:write',
    },
    prices: {
      import: (text, actor, opts) => importPricesCsv({ db, prices }, text, actor, opts),
      export: () => exportPricesCsv({ db, prices }),
      read: 'catalog:read',
      write: 'catalog:write',
    },
    stock: {
      import: (text, actor, opts) =>
        importStockCsv(
          {
            db,
            events,
            channelExists: channels.channelExists,
            knownSkus: async (skus) => new Set((await variantsBySku(db, skus)).map((v) => v.sku)),
          },
          text,
          actor,
          opts,
        ),
      export: () => exportStockCsv({ db }),
      read: 'inventory:read',
      write: 'inventory:write',
    },
  };
  const commerce = createCommerce({
    db,
    dialect,
    events,
    config,
    channels,
    identity,
    customers,
    consent,
    catalog,
    prices,
    promotions,
    locations,
    stock,
    availability,
    sourcing,
    reservations,
    transfers,
    publicUrl: () => config.publicUrl ?? `http://localhost:${listeningPort(app) ?? config.port}`,
    customerToken: accessTokens.authenticate,
    notify: {
      adapters: () => [emailChannel.adapter, twilioChannel.adapter],
      preferenceLink: async (customerId, channelId) =>
        (await accessTokens.createPreferenceLink(customerId, { channel_id: channelId }, systemActor)).url,
      log: app.log,
    },
  });
  const users = createUsersService({ db, events });
  // Channel adapters take the pipeline's door late: conversations need the adapters first.
  const publicUrl = () => config.publicUrl ?? `http://localhost:${listeningPort(app) ?? config.port}`;
  const emailChannel = createEmailChannel({
    config,
    channels,
    acceptInbound: (channel, input) => conversations.acceptInbound(channel, input),
    log: app.log,
  });
  const twilioChannel = createTwilioChannel({
    config,
    channels,
    publicUrl,
    acceptInbound: (channel, input) => conversations.acceptInbound(channel, input),
    // One status callback URL per channel serves agents' replies and customer notifications (order confirmations,
    // receipts, pickup codes): the MessageSid is one or the other. `queued` only matters to notifications (a reply
    // is stored queued already).
    recordDelivery: async (channelId, sid, status, error) =>
      (status !== 'queued' && (await conversations.recordDelivery(channelId, sid, status, error))) ||
      commerce.notifications.recordDelivery(channelId, sid, status, error),
  });
  const metaChannel = createMetaChannel({
    config,
    channels,
    acceptInbound: (channel, input) => conversations.acceptInbound(channel, input),
    recordDelivery: (...args) => conversations.recordDelivery(...args),
  });
  const telegramChannel = createTelegramChannel({
    config,
    channels,
    acceptInbound: (channel, input) => conversations.acceptInbound(channel, input),
  });
  const webchatChannel = createWebchatChannel({
    db,
    config,
    channels,
    identity,
    consent,
    conversations: () => conversations,
    hub: () => realtime,
    agentsAvailable: () => conversations.teams.agentsAvailable('webchat'),
    emailAdapter: () => emailChannel.adapter,
    log: app.log,
  });
  const conversations = createConversations({
    db,
    dialect,
    events,
    config,
    channels,
    identity,
    consent,
    customers,
    userExists: (id) =>
      users.retrieveUser(id).then(
        (u) => u.active,
        () => false,
      ),
    // Whom a note may @mention: active staff whose role reads conversations.
    mentionable: async () => {
      const found: Array<{ id: string; name: string }> = [];
      let cursor: string | undefined;
      do {
        const page = await users.listUsers({ limit: 200, cursor });
        for (const u of page.data)
          if (u.active && roleHas(u.role, 'conversations:read')) found.push({ id: u.id, name: u.name });
        cursor = page.next_cursor ?? undefined;
      } while (cursor);
      return found;
    },
    staffName: (id) =>
      users.retrieveUser(id).then(
        (u) => u.name,
        () => null,
      ),
    latestOrder: async (customerId) => {
      const order = (await commerce.orders.listOrders({ customer_id: customerId, limit: 1 })).data[0];
      return order ? { number: String(order.number), status: order.status } : null;
    },
    adapters: [
      emailChannel.adapter,
      twilioChannel.adapter,
      webchatChannel.adapter,
      ...metaChannel.adapters,
      telegramChannel.adapter,
    ],
    log: app.log,
    publicUrl,
    // The bot's "where is my order": the customer's own order with that number, through commerce's service.
    findOrder: async (number, customerId) => {
      const page = await commerce.orders.listOrders({
        number: String(number),
        customer_id: customerId,
        limit: 1,
      });
      return page.data[0] ? commerce.orders.retrieveOrder(page.data[0].id) : null;
    },
  });
  const sessions = createSessionsService({ db, config });
  const apiKeys = createApiKeysService({ db, events, channelExists: channels.channelExists });
  const webhookSender = createWebhookSender({
    db,
    dialect,
    timeoutMs: config.webhookTimeoutMs,
    retryScheduleMs: config.webhookRetryScheduleMs,
    allowPrivateTargets: config.webhookAllowPrivateTargets,
    pollMs: config.dispatcherPollMs,
    log: app.log,
  });
  const webhooks = createWebhooksService({
    db,
    events,
    eventTypes,
    allowPrivateTargets: config.webhookAllowPrivateTargets,
    wakeSender: () => webhookSender.wake(),
  });
  const realtime = createRealtimeHub({
    eventTypes,
    authenticate: sessions.authenticate,
    recheckMs: config.realtimeRecheckMs,
    presenceGraceMs: config.presenceGraceMs,
  });
  webchatChannel.listen(realtime);
  // An agent is online while her console is open (unless she chose "away"), offline soon after she closes it —
  // her last console on any process: each process keeps a heartbeated row (agent_connections) per agent whose
  // sockets it holds, and she goes offline when none is left or fresh (a process that died stops vouching).
  const presenceNode = {
    id: `node_${randomBytes(8).toString('hex')}`,
    ttlMs: 3 * PRESENCE_HEARTBEAT_MS + config.presenceGraceMs,
  };
  const presenceHeldHere = new Set<string>();
  realtime.onPresence(async (principal, online) => {
    if (!principal.permissions.includes('conversations:write')) return;
    if (online) presenceHeldHere.add(principal.userId);
    else presenceHeldHere.delete(principal.userId);
    await conversations.teams
      .presenceFromConnection(principal.userId, online, actorOf(principal), presenceNode)
      .catch((err: unknown) => app.log.error({ err, user_id: principal.userId }, 'presence update failed'));
  });
  const dispatcher = createDispatcher({
    db,
    consumers: [
      webhookFanOut(() => webhookSender.wake()),
      realtime.consumer,
      segments.consumer,
      conversations.bot.consumer,
      conversations.routing.consumer,
      conversations.sla.consumer,
      commerce.notifications.consumer,
    ],
    pollMs: config.dispatcherPollMs,
    log: app.log,
  });
  events.onAppended(() => dispatcher.wake());

  installAuth(app, {
    session: sessions.authenticate,
    apiKey: apiKeys.authenticate,
    customerToken: accessTokens.authenticate,
  });
  installIdempotency(app, db, config.idempotencyTtlMs);
  installAuditHook(app, db);
  const metrics = installMetrics(app, {
    outboxLag: dispatcher.lag,
    pendingWebhookDeliveries: async () =>
      Number(
        (
          await db
            .selectFrom('webhook_deliveries')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('status', '=', 'pending')
            .executeTakeFirst()
        )?.n ?? 0,
      ),
    realtimeConnections: realtime.connectionCount,
  });

  await app.register(systemRoutes({ db, metrics: () => metrics }));
  await app.register(authRoutes({ db, sessions, users }));
  await app.register(usersRoutes(users));
  await app.register(apiKeysRoutes(apiKeys));
  await app.register(auditRoutes(db));
  await app.register(webhooksRoutes(webhooks, eventTypes));
  await app.register(async (scope) => realtime.register(scope));
  await app.register(channelsRoutes(channels));
  await app.register(customersRoutes({ db, customers, identity }));
  await app.register(ingestRoutes(ingest));
  await app.register(timelineRoutes({ db, timeline }));
  await app.register(privacyRoutes({ db, privacy }));
  await app.register(consentRoutes(consent));
  await app.register(segmentsRoutes({ db, segments }));
  await app.register(selfServiceRoutes({ db, selfService, tokens: accessTokens }));
  await app.register(selfServiceStaffRoutes({ selfService, tokens: accessTokens }));
  await app.register(locationsRoutes(locations));
  await app.register(stockRoutes({ stock, allocations }));
  await app.register(reservationsRoutes(reservations));
  await app.register(transfersRoutes(transfers));
  await app.register(transferLanesRoutes(transferLanes));
  await app.register(availabilityRoutes({ availability, sourcing }));
  await app.register(catalogRoutes(catalog));
  await app.register(pricesRoutes(prices));
  await app.register(promotionsRoutes(promotions));
  await app.register(feedRoutes(feeds));
  await app.register(csvRoutes(csv));
  await app.register(commerceRoutes(commerce));
  await app.register(conversationsRoutes({ db, conversations, outbound: conversations }));
  await app.register(botRoutes(conversations.bot));
  await app.register(routingRoutes({ ...conversations, conversations }));
  await app.register(csatRoutes(conversations.csat));
  await app.register(reportRoutes(conversations.reports));
  await app.register(cannedRoutes(conversations.canned));
  await app.register(emailHooksRoutes(emailChannel, config.emailMaxBytes));
  await app.register(twilioHooksRoutes(twilioChannel));
  await app.register(metaHooksRoutes(metaChannel));
  await app.register(telegramHooksRoutes(telegramChannel));
  await app.register(webchatChannel.routes());

  if (consoleIndex) {
    await app.register(fastifyStatic, { root: config.consoleDir, wildcard: false, index: ['index.html'] });
  }

  let stopHousekeeping: () => void = () => undefined;
  let stopSegmentJobs: () => void = () => undefined;
  let stopReservationExpiry: () => void = () => undefined;
  let stopCommerceJobs: () => void = () => undefined;
  let stopConversationJobs: () => void = () => undefined;
  let presenceTimer: NodeJS.Timeout | undefined;
  const startWorkers = () => {
    presenceTimer = setInterval(() => {
      conversations.teams
        .heartbeatPresence(presenceNode.id, [...presenceHeldHere])
        .then(() => conversations.teams.expirePresence(presenceNode.ttlMs, systemActor))
        .catch((err: unknown) => app.log.error({ err }, 'presence heartbeat failed'));
    }, PRESENCE_HEARTBEAT_MS);
    presenceTimer.unref();
    dispatcher.start();
    webhookSender.start();
    stopSegmentJobs = segments.startJobs(app.log);
    stopReservationExpiry = reservations.startJobs(app.log, config.reservationExpiryEveryMs);
    stopCommerceJobs = commerce.startJobs(app.log);
    stopConversationJobs = conversations.startJobs(app.log);
    // A port already taken must not stop the API: mail can still come in through POST /hooks/email/:channel.
    if (config.smtpEnabled)
      emailChannel.startSmtp().then(
        (port) => app.log.info(`SMTP listener for inbound email on ${config.smtpHost}:${port}`),
        (err: unknown) =>
          app.log.error({ err }, `SMTP listener could not start on ${config.smtpHost}:${config.smtpPort}`),
      );
    stopHousekeeping = startHousekeeping(
      [
        sessions.purgeExpired,
        () => purgeIdempotencyKeys(db),
        async () => void (await retention.purgeExpired()),
      ],
      3_600_000,
      app.log,
    );
  };
  if (options.workers ?? true) app.addHook('onReady', async () => startWorkers());

  app.addHook('onClose', async () => {
    clearInterval(presenceTimer);
    stopHousekeeping();
    stopSegmentJobs();
    stopReservationExpiry();
    stopCommerceJobs();
    stopConversationJobs();
    await emailChannel.close();
    webchatChannel.close();
    realtime.closeAll();
    await dispatcher.stop();
    await webhookSender.stop();
    if (!options.database) await database.close();
  });

  return {
    app: app as unknown as FastifyInstance,
    database,
    config,
    services: {
      users,
      sessions,
      apiKeys,
      channels,
      locations,
      stock,
      allocations,
      availability,
      sourcing,
      reservations,
      transfers,
      transferLanes,
      catalog,
      webhooks,
      events,
      customers,
      identity,
      ingest,
      timeline,
      consent,
      privacy,
      segments,
      prices,
      promotions,
      csv,
      accessTokens,
      selfService,
      commerce,
      conversations,
      emailChannel,
      twilioChannel,
      webchatChannel,
      metaChannel,
      telegramChannel,
    },
    privacyHandlers,
    retention,
    /** Tables each module declares free of customer data, with the reason (the privacy test reads this). */
    noCustomerData: {
      ...platformNoCustomerData,
      ...channelsNoCustomerData,
      ...inventoryNoCustomerData,
      ...customersNoCustomerData,
      ...catalogNoCustomerData,
      ...commerceNoCustomerData,
      ...conversationsNoCustomerData,
    },
    dispatcher,
    webhookSender,
    eventTypes,
    /** Every registered route with its declared access (the permission walk test reads this). */
    routes: routes as ReadonlyArray<{ method: string; url: string; access: Access }>,
  };
}

/**
 * Request ids: a random per-process prefix and a counter — unique across processes, and far cheaper than a ULID
 * (which needs fresh random bytes) on every request.
 */
function requestIds(): () => string {
  const prefix = `req_${randomBytes(6).toString('base64url')}`;
  let counter = 0;
  return () => `${prefix}${(counter++).toString(36)}`;
}

function isStaticRoute(url: string, consoleDir: string): boolean {
  if (url === '/' || url === '/*') return true;
  return existsSync(path.join(consoleDir, url));
}

/** The port the server listens on (it differs from the configured one when that is 0), or null before listen. */
function listeningPort(app: FastifyInstance): number | null {
  const address = app.server.address();
  return address && typeof address === 'object' ? address.port : null;
}
