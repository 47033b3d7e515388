/**
 * @module Type-checked translation of the `orders` section of the message catalogs. Like inventory's, its keys
 * stay out of i18next's shared key type (see i18n/i18next.d.ts) and get their own small union here:
 * `to('orders.list.empty')` compiles, a misspelt key does not.
 */
import i18n from '../../i18n';
import { areaTranslator, useAreaTranslation, type AreaKey } from '../../i18n/area-translation';

export type OrdersKey = AreaKey<'orders'>;

/** Translates an orders key in the current language. */
export const to = areaTranslator<'orders'>();

/** `to` for components: re-renders them when the language changes. */
export function useOrdersT(): { t: typeof to } {
  return { t: useAreaTranslation(to) };
}

/** A translated label for a value of one of the API's closed sets; an unknown value shows as itself. */
export function label(
  set: 'statuses' | 'sources' | 'modes' | 'fulfilmentStatuses' | 'paymentStatuses' | 'providers',
  value: string,
): string {
  const key = `orders.${set}.${value}`;
  return i18n.exists(key) ? to(key as OrdersKey) : value;
}
