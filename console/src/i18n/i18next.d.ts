/**
 * @module Makes translation keys type-checked: `t('nav.customers')` compiles, a misspelt key does not.
 */
import 'i18next';
import type en from './en.json';
import type { SeparatelyTyped } from './area-translation';

// Large areas are typed by area-translation.ts instead: the shared union's cost grows with the square of its keys.

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: Omit<typeof en, SeparatelyTyped> };
  }
}
