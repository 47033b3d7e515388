/**
 * @module The fulfilment API (/v1/fulfilments): the queue of a location and the steps of each fulfilment —
 * pick, pack, ship with carrier and tracking, out for delivery, delivered, ready for pickup (issues the pickup
 * code, shown once) and collect (checks the code the customer presents).
 */
import { useMutation } from '@tanstack/react-query';
import { request } from './client';
import { useList } from './list';
import { commerceKeys, useInvalidateCommerce } from './orders';
import type { DeliveryMode, Fulfilment, FulfilmentStatus } from './orders-types';

export interface FulfilmentFilter {
  location_id?: string | undefined;
  status?: FulfilmentStatus | undefined;
  mode?: DeliveryMode | undefined;
  order_id?: string | undefined;
}

/** A location's queue, newest first; polled because orders arrive from every channel while the screen is open. */
export function useFulfilments(filter: FulfilmentFilter, options: { enabled?: boolean } = {}) {
  return useList<Fulfilment>(
    commerceKeys.fulfilments,
    '/v1/fulfilments',
    { ...filter },
    { refetchInterval: 15_000, ...options },
  );
}

/** Steps with no input; their URL segments as the server names them. */
export type SimpleStep = 'receive-transfer' | 'pick' | 'pack' | 'out-for-delivery' | 'deliver' | 'hand-over';

export interface ShipInput {
  carrier?: string;
  tracking_number?: string;
  tracking_url?: string;
}

const path = (id: string, step: string) => `/v1/fulfilments/${encodeURIComponent(id)}/${step}`;

/** One step; `onDone` runs even if the caller's card moved to another column before the answer came. */
export function useFulfilmentStep(onDone?: (step: SimpleStep) => void) {
  const invalidate = useInvalidateCommerce();
  return useMutation({
    mutationFn: ({ id, step }: { id: string; step: SimpleStep }) =>
      request<Fulfilment>(path(id, step), { method: 'POST', body: {} }),
    onSuccess: (_fulfilment, { step }) => {
      onDone?.(step);
      return invalidate();
    },
  });
}

/** Ships a parcel; `onDone` runs even if the caller's card left its column before the answer came. */
export function useShipFulfilment(onDone?: () => void) {
  const invalidate = useInvalidateCommerce();
  return useMutation({
    mutationFn: ({ id, input }: { id: string; input: ShipInput }) =>
      request<Fulfilment>(path(id, 'ship'), { method: 'POST', body: input }),
    onSuccess: () => {
      onDone?.();
      return invalidate();
    },
  });
}

export interface PickupReady {
  fulfilment: Fulfilment;
  pickup_code: string;
}

/**
 * Marks a pickup ready; the answer carries the new pickup code, which the server never shows again. `onIssued`
 * runs before the lists refresh and even if the button's row has moved away meanwhile, so the code is never lost.
 */
export function useReadyForPickup(onIssued?: (answer: PickupReady) => void) {
  const invalidate = useInvalidateCommerce();
  return useMutation({
    mutationFn: (id: string) =>
      request<PickupReady>(path(id, 'ready-for-pickup'), { method: 'POST', body: {} }),
    onSuccess: (answer) => {
      onIssued?.(answer);
      return invalidate();
    },
  });
}

export function useCollectPickup() {
  const invalidate = useInvalidateCommerce();
  return useMutation({
    mutationFn: ({ id, code }: { id: string; code: string }) =>
      request<Fulfilment>(path(id, 'collect'), { method: 'POST', body: { code } }),
    // A wrong code counts an attempt on the server: refresh either way so the desk shows the count.
    onSettled: invalidate,
  });
}
