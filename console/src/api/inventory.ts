/**
 * @module The inventory API (/v1/locations, /v1/stock…, /v1/reservations, /v1/transfers, /v1/transfer-lanes,
 * /v1/availability,
 * /v1/sourcing/plan) as typed TanStack Query hooks. Shapes mirror the server's TypeBox response schemas
 * (server/src/modules/inventory/*.routes.ts); every write invalidates the whole `inventory` key so the grid,
 * the ledger and the reservations never disagree on screen.
 */
import {
  keepPreviousData,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import { useMemo } from 'react';
import { request } from './client';
import { useList, type ListOptions } from './list';
import type { Page } from './types';

import type {
  Allocation,
  Availability,
  DeliveryMode,
  Location,
  LocationInput,
  Movement,
  MovementKind,
  Point,
  Reservation,
  ReservationStatus,
  SourcingPlan,
  StockLevel,
  Transfer,
  TransferLane,
  TransferStatus,
  Weekday,
} from './inventory-types';

export * from './inventory-types';

const inventoryKey = ['inventory'] as const;
export const inventoryKeys = {
  all: inventoryKey,
  locations: [...inventoryKey, 'locations'] as const,
  stock: [...inventoryKey, 'stock'] as const,
  movements: [...inventoryKey, 'movements'] as const,
  reservations: [...inventoryKey, 'reservations'] as const,
  transfers: [...inventoryKey, 'transfers'] as const,
  lanes: [...inventoryKey, 'lanes'] as const,
  allocation: (channelId: string) => [...inventoryKey, 'allocation', channelId] as const,
  availability: [...inventoryKey, 'availability'] as const,
};

/** Every location, in one list: a business has tens of them, the map and every picker need them all. */
export function useLocations() {
  return useQuery({
    queryKey: inventoryKeys.locations,
    queryFn: async ({ signal }) => {
      const all: Location[] = [];
      let cursor: string | null = null;
      do {
        const page: { data: Location[]; next_cursor: string | null } = await request('/v1/locations', {
          query: { limit: 200, cursor },
          signal,
        });
        all.push(...page.data);
        cursor = page.next_cursor;
      } while (cursor);
      return all.sort((a, b) => a.code.localeCompare(b.code));
    },
  });
}

/** Invalidates everything inventory shows: one write can change levels, ledger, reservations and promises. */
function useInvalidateInventory() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: inventoryKeys.all });
}

export function useSaveLocation() {
  const invalidate = useInvalidateInventory();
  return useMutation({
    mutationFn: ({ id, input }: { id: string | null; input: Partial<LocationInput> }) =>
      id
        ? request<Location>(`/v1/locations/${encodeURIComponent(id)}`, { method: 'PATCH', body: input })
        : request<Location>('/v1/locations', { method: 'POST', body: input }),
    onSuccess: invalidate,
  });
}

export interface StockFilter {
  /** SKUs starting with this, ignoring case. */
  skuPrefix?: string;
  location_id?: string;
  low?: boolean;
}

/** Levels in SKU order, 200 a page: a page then holds whole SKU rows for a grid of a few dozen locations. */
export function useStockLevels(filter: StockFilter) {
  const query = useInfiniteQuery({
    queryKey: [...inventoryKeys.stock, filter],
    queryFn: ({ pageParam, signal }) =>
      request<Page<StockLevel>>('/v1/stock', {
        signal,
        query: {
          sku_prefix: filter.skuPrefix,
          location_id: filter.location_id,
          low: filter.low || undefined,
          limit: 200,
          cursor: pageParam,
        },
      }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  const items = useMemo(() => query.data?.pages.flatMap((page) => page.data) ?? [], [query.data]);
  return { ...query, items };
}

export interface MovementInput {
  location_id: string;
  kind: 'adjustment' | 'damage' | 'pos_sale' | 'return_restock';
  lines: Array<{ sku: string; quantity: number }>;
  reason?: string;
}

export function useRecordMovement() {
  const invalidate = useInvalidateInventory();
  return useMutation({
    mutationFn: (input: MovementInput) =>
      request<{ data: StockLevel[] }>('/v1/stock/movements', { method: 'POST', body: input }),
    onSuccess: invalidate,
  });
}

export interface CountResult {
  count_id: string;
  location_id: string;
  lines: Array<{ sku: string; expected: number; counted: number; variance: number }>;
}

export function useCountStock() {
  const invalidate = useInvalidateInventory();
  return useMutation({
    mutationFn: (input: {
      location_id: string;
      lines: Array<{ sku: string; counted: number }>;
      reason?: string;
    }) => request<CountResult>('/v1/stock/counts', { method: 'POST', body: input }),
    onSuccess: invalidate,
  });
}

export function useReceiveStock() {
  const invalidate = useInvalidateInventory();
  return useMutation({
    mutationFn: (input: {
      lines: Array<{ sku: string; location_id: string; quantity: number }>;
      reason?: string;
    }) => request<{ data: StockLevel[] }>('/v1/stock/receipts', { method: 'POST', body: input }),
    onSuccess: invalidate,
  });
}

export interface MovementFilter {
  sku?: string;
  location_id?: string;
  kind?: MovementKind;
}

export function useMovements(filter: MovementFilter, options: ListOptions = {}) {
  return useList<Movement>(inventoryKeys.movements, '/v1/stock/movements', { ...filter }, options);
}

export interface ReservationFilter {
  status?: ReservationStatus;
  sku?: string;
  location_id?: string;
  reference_id?: string;
}

export function useReservations(filter: ReservationFilter) {
  // Expiry happens on the server's clock: poll so a reservation turns "expired" without a reload.
  return useList<Reservation>(
    inventoryKeys.reservations,
    '/v1/reservations',
    { ...filter },
    { refetchInterval: 15_000 },
  );
}

export function useReservationAction() {
  const invalidate = useInvalidateInventory();
  return useMutation({
    mutationFn: ({ id, action }: { id: string; action: 'confirm' | 'release' | 'fulfil' }) =>
      request<Reservation>(`/v1/reservations/${encodeURIComponent(id)}/${action}`, {
        method: 'POST',
        // Release takes an optional body; confirm and fulfil none.
        body: action === 'release' ? { reason: 'released from the console' } : undefined,
      }),
    onSuccess: invalidate,
  });
}

export interface ReserveInput {
  channel_id: string;
  reference: { type: string; id: string };
  lines: Array<{ sku: string; quantity: number; location_id?: string }>;
  ttl_seconds?: number;
  delivery_mode?: DeliveryMode;
  near?: Point;
}

export function useReserve() {
  const invalidate = useInvalidateInventory();
  return useMutation({
    mutationFn: (input: ReserveInput) =>
      request<{ data: Reservation[] }>('/v1/reservations', { method: 'POST', body: input }),
    onSuccess: invalidate,
  });
}

export function useTransfers(filter: { status?: TransferStatus; location_id?: string }) {
  return useList<Transfer>(inventoryKeys.transfers, '/v1/transfers', { ...filter });
}

export interface TransferInput {
  from_location_id: string;
  to_location_id: string;
  eta: string;
  lines: Array<{ sku: string; quantity: number }>;
  reason?: string;
}

export function useCreateTransfer() {
  const invalidate = useInvalidateInventory();
  return useMutation({
    mutationFn: (input: TransferInput) => request<Transfer>('/v1/transfers', { method: 'POST', body: input }),
    onSuccess: invalidate,
  });
}

export function useReceiveTransfer() {
  const invalidate = useInvalidateInventory();
  return useMutation({
    mutationFn: ({ id, lines }: { id: string; lines?: Array<{ sku: string; quantity: number }> }) =>
      request<Transfer>(`/v1/transfers/${encodeURIComponent(id)}/receive`, {
        method: 'POST',
        body: lines ? { lines } : {},
      }),
    onSuccess: invalidate,
  });
}

export function useTransferLanes() {
  return useList<TransferLane>(inventoryKeys.lanes, '/v1/transfer-lanes');
}

export interface TransferLaneInput {
  from_location_id: string;
  to_location_id: string;
  lead_hours: number;
  departure_days: Weekday[] | null;
}

export function useSaveTransferLane() {
  const invalidate = useInvalidateInventory();
  return useMutation({
    mutationFn: ({ id, ...input }: TransferLaneInput & { id?: string }) =>
      id
        ? request<TransferLane>(`/v1/transfer-lanes/${encodeURIComponent(id)}`, {
            method: 'PATCH',
            body: { lead_hours: input.lead_hours, departure_days: input.departure_days },
          })
        : request<TransferLane>('/v1/transfer-lanes', { method: 'POST', body: input }),
    onSuccess: invalidate,
  });
}

export function useDeleteTransferLane() {
  const invalidate = useInvalidateInventory();
  return useMutation({
    mutationFn: (id: string) =>
      request<void>(`/v1/transfer-lanes/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    onSuccess: invalidate,
  });
}

export interface AvailabilityQuery {
  channel_id: string;
  skus: string[];
  near?: Point;
  radius_km?: number;
  mode?: DeliveryMode;
  quantity?: number;
}

/** Availability and the sourcing plan for the same question, asked together when `query` is set. */
export function useAvailabilityCheck(query: AvailabilityQuery | null) {
  const availability = useQuery({
    queryKey: [...inventoryKeys.availability, 'atp', query],
    enabled: query !== null,
    placeholderData: keepPreviousData,
    queryFn: ({ signal }) =>
      request<Availability>('/v1/availability', {
        signal,
        query: {
          channel_id: query!.channel_id,
          skus: query!.skus.join(','),
          latitude: query!.near?.latitude,
          longitude: query!.near?.longitude,
          radius_km: query!.radius_km,
          mode: query!.mode,
          quantity: query!.quantity,
        },
      }),
  });
  const plan = useQuery({
    queryKey: [...inventoryKeys.availability, 'plan', query],
    // A plan needs a mode; "any mode" availability has no single plan to propose.
    enabled: query !== null && query.mode !== undefined,
    placeholderData: keepPreviousData,
    queryFn: ({ signal }) =>
      request<SourcingPlan>('/v1/sourcing/plan', {
        method: 'POST',
        signal,
        body: {
          channel_id: query!.channel_id,
          mode: query!.mode,
          lines: query!.skus.map((sku) => ({ sku, quantity: query!.quantity ?? 1 })),
          near: query!.near,
          radius_km: query!.radius_km,
        },
      }),
  });
  return { availability, plan };
}

export function useAllocation(channelId: string | null) {
  return useQuery({
    queryKey: inventoryKeys.allocation(channelId ?? ''),
    enabled: channelId !== null,
    queryFn: ({ signal }) =>
      request<Allocation>(`/v1/stock/allocations/${encodeURIComponent(channelId!)}`, { signal }),
  });
}

export interface AllocationInput {
  locations: Array<{ location_id: string; priority: number; holdback: number }>;
}

/** Replaces which locations a channel sells from; availability and promises change with it. */
export function useSaveAllocation() {
  const invalidate = useInvalidateInventory();
  return useMutation({
    mutationFn: ({ channelId, input }: { channelId: string; input: AllocationInput }) =>
      request<Allocation>(`/v1/stock/allocations/${encodeURIComponent(channelId)}`, {
        method: 'PUT',
        body: input,
      }),
    onSuccess: invalidate,
  });
}
