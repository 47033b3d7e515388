/**
 * @module Turning API failures into words for people: the server's problem `detail` when it has one,
 * otherwise a translated sentence for the status; and field errors mapped onto form fields.
 */
import { ApiError, NETWORK_ERROR_STATUS } from '../api/client';
import i18n from '../i18n';

export function errorTitle(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === NETWORK_ERROR_STATUS) return i18n.t('errors.networkTitle');
    if (error.status === 403) return i18n.t('errors.forbiddenTitle');
    if (error.status === 404) return i18n.t('errors.notFoundTitle');
    if (error.status === 429) return i18n.t('errors.tooManyTitle');
    if (error.status >= 500) return i18n.t('errors.serverTitle');
  }
  return i18n.t('errors.genericTitle');
}

export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === NETWORK_ERROR_STATUS) return i18n.t('errors.network');
    // Codes that mean one thing whatever the request read in the user's language; others keep the server's detail.
    const coded = error.code ? `errorCodes.${error.code}` : null;
    if (coded && i18n.exists(coded)) return i18n.t(coded as 'errors.network');
    if (error.detail) return error.detail;
    if (error.status === 403) return i18n.t('errors.forbidden');
    if (error.status === 404) return i18n.t('errors.notFound');
    if (error.status >= 500) return i18n.t('errors.server');
    return error.title;
  }
  return i18n.t('errors.unexpected');
}

/** `body.config.url`, `/url` and `url` all name the form field `url`; nested paths keep their dots. */
export function formFieldName(field: string): string {
  return field
    .replace(/^\//, '')
    .replace(/\//g, '.')
    .replace(/^body\./, '');
}

interface FormWithErrors {
  setFieldError: (path: string, error: string) => void;
}

/** Puts each `errors[]` entry of a 400 on its form field; returns whether any landed. */
export function applyFieldErrors(form: FormWithErrors, error: unknown, fields: readonly string[]): boolean {
  if (!(error instanceof ApiError)) return false;
  let applied = false;
  for (const fieldError of error.errors) {
    const name = formFieldName(fieldError.field);
    const match = fields.find((field) => name === field || name.startsWith(`${field}.`));
    if (match) {
      form.setFieldError(match, fieldError.message);
      applied = true;
    }
  }
  return applied;
}
