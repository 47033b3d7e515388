/**
 * @module The commerce module assembled: one factory builds its services from the other modules' services, one
 * plugin registers its routes. Each entity adds its service and routes here.
 */
import type { FastifyBaseLogger, FastifyPluginAsync } from 'fastify';
import type { Config } from '../../config';
import type { Db } from '../../platform/db/database';
import type { Dialect } from '../../platform/db/columns';
import type { EventBus } from '../../platform/events/outbox';
import type { ChannelsService } from '../channels';
import type { CatalogService, PricesService, PromotionsService } from '../catalog';
import type {
  AvailabilityService,
  ReservationsService,
  SourcingService,
  StockService,
  LocationsService,
} from '../inventory';
import type { ConsentService, CustomersService, IdentityService } from '../customers';

export interface CommerceDeps {
  db: Db;
  dialect: Dialect;
  events: EventBus;
  config: Config;
  channels: ChannelsService;
  identity: IdentityService;
  customers: CustomersService;
  consent: ConsentService;
  catalog: CatalogService;
  prices: PricesService;
  promotions: PromotionsService;
  locations: LocationsService;
  stock: StockService;
  availability: AvailabilityService;
  sourcing: SourcingService;
  reservations: ReservationsService;
  /** The server's own base URL (links in messages), known once it listens. */
  publicUrl: () => string;
}

export function createCommerce(deps: CommerceDeps) {
  void deps;
  return {
    /** Starts the module's durable jobs; returns their stopper. */
    startJobs(log: FastifyBaseLogger): () => void {
      void log;
      return () => undefined;
    },
  };
}

export type Commerce = ReturnType<typeof createCommerce>;

export function commerceRoutes(commerce: Commerce): FastifyPluginAsync {
  return async (app) => {
    void commerce;
    void app;
  };
}
