/** @module The inventory module's one door: its services, routes, tables, migrations and event types. */
import type { NamedMigrations } from '../../platform/db/migrator';
import type { EventTypeDefinition } from '../../platform/events/envelope';
import type { LaneTables } from './lane.table';
import type { LocationTables } from './location.table';
import type { StockTables } from './stock.table';
import * as locations0200 from './migrations/2026-11-22-0200-locations';
import * as capabilities0500 from './migrations/2026-11-22-0500-location-capabilities';
import * as stock0510 from './migrations/2026-11-22-0510-stock';
import * as skuPrefix0520 from './migrations/2026-11-22-0520-stock-sku-prefix';
import * as reservationTransfer0200 from './migrations/2026-11-23-0200-reservation-transfer';
import * as transferLanes0735 from './migrations/2026-11-24-0735-transfer-lanes';

export {
  createLocationsService,
  type CreateLocationInput,
  type LocationsService,
  type UpdateLocationInput,
} from './location.service';
export { locationsRoutes } from './location.routes';
export {
  defaultCapabilities,
  locationCapabilities,
  locationKinds,
  weekdays,
  type Address,
  type Location,
  type LocationCapability,
  type LocationKind,
  type OpeningHours,
  type Weekday,
} from './location.repository';
export {
  createStockService,
  manualMovementKinds,
  type ReceiveStockInput,
  type RecordMovementsInput,
  type StockService,
} from './stock.service';
export { movementKinds, type MovementKind, type StockLevel, type StockMovement } from './stock.repository';
export { stockRoutes } from './stock.routes';
export { exportStockCsv, importStockCsv } from './stock.csv';
export { createAllocationService, type AllocationInput, type AllocationService } from './allocation.service';
export {
  createReservationsService,
  type ReserveInput,
  type ReserveResult,
  type ReservationsService,
} from './reservation.service';
export { type Reservation, type ReservationStatus } from './reservation.repository';
export { reservationsRoutes } from './reservation.routes';
export { createTransfersService, type TransfersService } from './transfer.service';
export { type Transfer } from './transfer.repository';
export { transfersRoutes } from './transfer.routes';
export {
  createTransferLanesService,
  type CreateLaneInput,
  type TransferLanesService,
  type UpdateLaneInput,
} from './lane.service';
export { type TransferLane } from './lane.repository';
export { transferLanesRoutes } from './lane.routes';
export {
  createAvailabilityService,
  type AvailabilityQuery,
  type AvailabilityResult,
  type AvailabilityService,
} from './availability.service';
export {
  createSourcingService,
  type SourcingInput,
  type SourcingPlan,
  type SourcingService,
} from './sourcing.service';
export { availabilityRoutes } from './availability.routes';
export { deliveryModes, type DeliveryMode, type DeliveryPromise } from './promise';
export { distanceKm, type Point } from './geo';

/** Every table the inventory module owns. */
export type InventoryTables = LocationTables & StockTables & LaneTables;

export const inventoryMigrations: NamedMigrations = {
  '2026-11-22-0200-locations': locations0200,
  '2026-11-22-0500-location-capabilities': capabilities0500,
  '2026-11-22-0510-stock': stock0510,
  '2026-11-22-0520-stock-sku-prefix': skuPrefix0520,
  '2026-11-23-0200-reservation-transfer': reservationTransfer0200,
  '2026-11-24-0735-transfer-lanes': transferLanes0735,
};

const read = 'inventory:read' as const;

export const inventoryEventTypes: EventTypeDefinition[] = [
  { type: 'location.created', description: 'A stock location was registered', permission: read },
  {
    type: 'location.updated',
    description:
      'A location changed (name, code, address, coordinates, hours, channel, capabilities, active)',
    permission: read,
  },
  { type: 'stock.received', description: 'Units were received into stock at a location', permission: read },
  {
    type: 'stock.adjusted',
    description: 'An adjustment, damage, POS sale or return restock changed on hand (data.kind says which)',
    permission: read,
  },
  {
    type: 'stock.counted',
    description: 'A cycle count set on hand; data.lines carry the variance',
    permission: read,
  },
  {
    type: 'stock.level_updated',
    description: 'Safety stock or the low-stock threshold of a level changed',
    permission: read,
  },
  {
    type: 'stock.low',
    description: 'Available fell below the low-stock threshold of a SKU at a location',
    permission: read,
  },
  { type: 'stock.reserved', description: 'Units were reserved for a cart or order', permission: read },
  {
    type: 'stock.reservation_confirmed',
    description: 'A reservation was confirmed (it no longer expires)',
    permission: read,
  },
  {
    type: 'stock.released',
    description: 'A reservation was released or expired (data.reason): its units are free again',
    permission: read,
  },
  {
    type: 'stock.fulfilled',
    description: 'A confirmed reservation left the location as a sale',
    permission: read,
  },
  {
    type: 'stock.allocation_changed',
    description: 'The locations a channel sells from changed',
    permission: read,
  },
  {
    type: 'transfer.shipped',
    description: 'A transfer left its source; its units are incoming at the destination',
    permission: read,
  },
  {
    type: 'transfer.received',
    description: 'A transfer arrived; data.lines carry any shortfall',
    permission: read,
  },
  {
    type: 'transfer_lane.created',
    description: 'A lead time was set for a pair of locations',
    permission: read,
  },
  {
    type: 'transfer_lane.updated',
    description: 'The lead time or departure days of a transfer lane changed',
    permission: read,
  },
  {
    type: 'transfer_lane.deleted',
    description: 'A transfer lane was removed: the pair uses the global lead time',
    permission: read,
  },
];

/** Locations are shops and warehouses; stock is goods. Reservations name carts and orders by id only. */
export const inventoryNoCustomerData = {
  locations: 'store and warehouse addresses, not people',
  stock_levels: 'units of goods per location',
  stock_movements: 'the stock ledger: goods, staff or system actors, order and cart ids',
  stock_allocations: 'which channels sell from which locations',
  stock_reservations: 'units held for carts and orders, referenced by id only',
  stock_transfers: 'goods moving between locations',
  stock_transfer_lines: 'goods moving between locations',
  transfer_lanes: 'lead times between locations',
};
