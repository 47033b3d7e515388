/**
 * @module Type-checked translation of the `inventory` section of the message catalogs. Like the catalog's, its
 * keys stay out of i18next's shared key type (see i18n/i18next.d.ts) and get their own small union here:
 * `ti('inventory.grid.title')` compiles, a misspelt key does not.
 */
import i18n from '../../i18n';
import { areaTranslator, useAreaTranslation, type AreaKey } from '../../i18n/area-translation';

export type InventoryKey = AreaKey<'inventory'>;

/** Translates an inventory key in the current language. */
export const ti = areaTranslator<'inventory'>();

/** `ti` for components: re-renders them when the language changes. */
export function useInventoryT(): { t: typeof ti } {
  return { t: useAreaTranslation(ti) };
}

/** A translated label for a value of one of the API's closed sets (kind, capability, status, movement). */
export function label(
  set:
    | 'kinds'
    | 'capabilities'
    | 'modes'
    | 'movementKinds'
    | 'reservationStatuses'
    | 'transferStatuses'
    | 'factors'
    | 'reasons'
    | 'weekdays'
    | 'weekdaysShort',
  value: string,
): string {
  const key = `inventory.${set}.${value}`;
  return i18n.exists(key) ? ti(key as InventoryKey) : value;
}
