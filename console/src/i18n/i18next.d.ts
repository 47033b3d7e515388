/**
 * @module Makes translation keys type-checked: `t('nav.customers')` compiles, a misspelt key does not.
 */
import 'i18next';
import type en from './en.json';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof en };
  }
}
