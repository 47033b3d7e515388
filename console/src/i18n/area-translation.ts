/**
 * @module Type-checked translation for the catalog sections kept out of i18next's shared key type. That type's
 * cost grows with the square of the key count and is paid in the first statement that calls `t`; past ~700 keys
 * it exceeds TypeScript's instantiation limit (TS2589). Each large area therefore gets its own small key union
 * from here: `areaTranslator<'catalog'>()('catalog.products.title')` compiles, a misspelt key does not.
 */
import { useTranslation } from 'react-i18next';
import type en from './en.json';
import i18n from './index';

/** The catalog sections typed here rather than in the shared key type (see i18next.d.ts). */
export type SeparatelyTyped =
  | 'segments'
  | 'catalog'
  | 'customerActions'
  | 'inventory'
  | 'shop'
  | 'orders'
  | 'pos'
  | 'timelineSummaries'
  | 'inbox'
  | 'errorCodes';

type Leaves<T, Prefix extends string> = {
  [K in keyof T & string]: T[K] extends string ? `${Prefix}${K}` : Leaves<T[K], `${Prefix}${K}.`>;
}[keyof T & string];
type WithoutPlural<K> = K extends `${infer Base}_${'zero' | 'one' | 'two' | 'few' | 'many' | 'other'}`
  ? Base
  : K;

/** Every key of one area, plural suffixes folded (`catalog.products.matching`, not `…matching_one`). */
export type AreaKey<Area extends SeparatelyTyped> = WithoutPlural<Leaves<(typeof en)[Area], `${Area}.`>>;

export type AreaTranslate<Area extends SeparatelyTyped> = (
  key: AreaKey<Area>,
  options?: Record<string, unknown>,
) => string;

/** A translate function for one area, in the current language. */
export function areaTranslator<Area extends SeparatelyTyped>(): AreaTranslate<Area> {
  const translate = i18n.t as unknown as (key: string, options?: Record<string, unknown>) => string;
  return (key, options) => translate(key, options);
}

/** For components: returns `translate` and re-renders the caller when the language changes. */
export function useAreaTranslation<T>(translate: T): T {
  useTranslation();
  return translate;
}
