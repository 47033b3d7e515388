/**
 * @module Errors: one error type with a closed set of codes and one mapping to HTTP status. Services throw
 * AppError; the HTTP layer turns it into application/problem+json. The table below is documented in
 * docs/api.md; add a code here and there together.
 */

export const errorCodes = {
  validation_failed: { status: 400, title: 'The request is not valid' },
  malformed_json: { status: 400, title: 'The request body is not valid JSON' },
  unauthenticated: { status: 401, title: 'Authentication required' },
  payment_declined: { status: 402, title: 'The payment was declined' },
  invalid_credentials: { status: 401, title: 'Email or password is wrong' },
  forbidden: { status: 403, title: 'Not allowed' },
  not_found: { status: 404, title: 'Not found' },
  method_not_allowed: { status: 405, title: 'Method not allowed' },
  conflict: { status: 409, title: 'Conflict' },
  idempotency_in_progress: { status: 409, title: 'A request with this Idempotency-Key is still running' },
  insufficient_stock: { status: 409, title: 'Not enough stock' },
  checkout_price_changed: { status: 409, title: 'The price changed since the shopper saw it' },
  reservation_expired: { status: 409, title: 'The stock held for this checkout was released' },
  payload_too_large: { status: 413, title: 'The request body is too large' },
  unsupported_media_type: { status: 415, title: 'Unsupported media type' },
  idempotency_key_reused: { status: 422, title: 'Idempotency-Key was used with a different request' },
  unprocessable: { status: 422, title: 'The request cannot be processed' },
  pickup_code_mismatch: { status: 422, title: 'The pickup code does not match' },
  consent_refused: { status: 422, title: 'The customer has not allowed this message on this channel' },
  whatsapp_window_closed: {
    status: 422,
    title: 'WhatsApp allows only an approved template outside the 24-hour window',
  },
  messaging_window_closed: {
    status: 422,
    title: 'Messenger and Instagram allow only a tagged message outside the 24-hour window',
  },
  too_many_requests: { status: 429, title: 'Too many requests' },
  internal: { status: 500, title: 'Internal server error' },
  unavailable: { status: 503, title: 'Service unavailable' },
} as const;

export type ErrorCode = keyof typeof errorCodes;

export interface FieldError {
  /** JSON pointer-ish dotted path of the offending field, e.g. `body.config.url`. */
  field: string;
  message: string;
}

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: { errors?: FieldError[]; headers?: Record<string, string>; [k: string]: unknown } = {},
  ) {
    super(message);
    this.name = 'AppError';
  }

  get status(): number {
    return errorCodes[this.code].status;
  }
}

export const notFound = (what: string, id: string) => new AppError('not_found', `No ${what} with id ${id}.`);

/** An error whose message is written for the person at the terminal: the CLI prints it as is, without a stack. */
export class UserFacingError extends Error {}
