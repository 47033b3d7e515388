/**
 * @module Type-checked translation of the `inbox` section of the message catalogs. Like the orders', its keys
 * stay out of i18next's shared key type (see i18n/i18next.d.ts) and get their own small union here:
 * `tx('inbox.views.mine')` compiles, a misspelt key does not.
 */
import i18n from '../../i18n';
import { areaTranslator, useAreaTranslation, type AreaKey } from '../../i18n/area-translation';

export type InboxKey = AreaKey<'inbox'>;

/** Translates an inbox key in the current language. */
export const tx = areaTranslator<'inbox'>();

/** `tx` for components: re-renders them when the language changes. */
export function useInboxT(): { t: typeof tx } {
  return { t: useAreaTranslation(tx) };
}

/** A translated label for a value of one of the API's closed sets; an unknown value shows as itself. */
export function label(
  set: 'statuses' | 'priorities' | 'delivery' | 'views' | 'authors' | 'sla' | 'slaMetrics' | 'presence',
  value: string,
): string {
  const key = `inbox.${set}.${value}`;
  return i18n.exists(key) ? tx(key as InboxKey) : value;
}
