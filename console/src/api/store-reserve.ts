/**
 * @module Reserve and try in store from the storefront (`POST /store/v1/carts/:id/reserve-in-store`): the whole
 * bag held at one store that has it now, nothing paid online. The stores offered are those the availability API
 * says have every line's units now (no transfer), nearest first.
 */
import { useMutation, useQuery } from '@tanstack/react-query';
import type { Availability, Point } from './inventory-types';
import { storeRequest, type Money } from './store';
import { rememberedCart } from './store-cart';
import { rememberOrderSecret } from './store-order';

export interface ReserveAnswer {
  order: { id: string; display_number: string; status: string; totals: { total: Money } };
  access_secret: string;
  hold_until: string;
}

/** Stores near `near` holding every line (`quantity` each) now, nearest first. */
export function useReserveStores(
  shopKey: string,
  lines: Array<{ sku: string; quantity: number }>,
  near: Point | null,
) {
  const skus = [...new Set(lines.map((l) => l.sku))].sort();
  return useQuery({
    queryKey: ['store', shopKey, 'reserve-stores', skus.join(','), near?.latitude, near?.longitude],
    enabled: skus.length > 0 && near !== null,
    queryFn: async () => {
      const answer = await storeRequest<Availability>(shopKey, '/store/v1/availability', {
        query: { skus: skus.join(','), latitude: near?.latitude, longitude: near?.longitude, mode: 'pickup' },
      });
      const need = new Map<string, number>();
      for (const l of lines) need.set(l.sku, (need.get(l.sku) ?? 0) + l.quantity);
      const bySku = new Map(answer.skus.map((s) => [s.sku, s.locations]));
      const first = bySku.get(skus[0]!) ?? [];
      return first
        .filter((loc) => loc.kind === 'store')
        .filter((loc) =>
          [...need].every(([sku, quantity]) =>
            (bySku.get(sku) ?? []).some(
              (l) =>
                l.location_id === loc.location_id && l.pickup === 'available_now' && l.available >= quantity,
            ),
          ),
        )
        .map((l) => ({ location_id: l.location_id, name: l.name, distance_km: l.distance_km }));
    },
  });
}

/** Reserves the remembered bag at a store; the order's secret is kept so its page opens on this device. */
export function useReserveInStore(shopKey: string) {
  return useMutation({
    mutationFn: async (body: { location_id: string; expected_total: Money; email?: string }) => {
      const cart = rememberedCart(shopKey);
      if (!cart) throw new Error('No bag to reserve');
      const answer = await storeRequest<ReserveAnswer>(
        shopKey,
        `/store/v1/carts/${cart.id}/reserve-in-store`,
        {
          method: 'POST',
          body,
          headers: { 'X-Cart-Secret': cart.secret, 'Idempotency-Key': `shop-${crypto.randomUUID()}` },
        },
      );
      rememberOrderSecret(answer.order.id, answer.access_secret);
      return answer;
    },
  });
}
