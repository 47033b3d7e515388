/**
 * @module Raw card numbers are never accepted: a hook on every payment route looks through the request body for
 * anything shaped like a card number (13–19 digits, spaces or dashes allowed, Luhn-valid) and refuses the request
 * with a 422 naming the field, before validation, idempotency or any write — so the number is stored nowhere,
 * not even as a replayable idempotent response. Cards reach Omnis only as processor tokens or terminal receipts.
 */
import type { FastifyRequest } from 'fastify';
import { AppError, type FieldError } from '../../platform/errors';

/** Digit runs of 13–19 digits, each optionally separated by one space or dash. */
const CANDIDATE = /(?<!\d)\d(?:[ -]?\d){12,18}(?!\d)/g;

/** Luhn's check (ISO/IEC 7812): every card number passes it; most other digit strings do not. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** Whether a text holds something that looks like a card number anywhere in it. */
export function containsCardNumber(text: string): boolean {
  for (const match of text.matchAll(CANDIDATE)) if (luhnValid(match[0].replace(/[ -]/g, ''))) return true;
  return false;
}

/** Every field of a JSON value (keys included) that holds a card number, as dotted paths under `path`. */
export function cardNumberFields(value: unknown, path = 'body'): string[] {
  if (typeof value === 'string') return containsCardNumber(value) ? [path] : [];
  if (typeof value === 'number')
    return Number.isInteger(value) && containsCardNumber(String(value)) ? [path] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => cardNumberFields(v, `${path}.${i}`));
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => [
      ...(containsCardNumber(k) ? [`${path}.${k}`] : []),
      ...cardNumberFields(v, `${path}.${k}`),
    ]);
  return [];
}

/** preValidation hook of the payment routes. */
export async function refuseCardNumbers(request: FastifyRequest): Promise<void> {
  const fields = cardNumberFields(request.body);
  if (fields.length === 0) return;
  const errors: FieldError[] = fields.map((field) => ({
    field,
    message: 'looks like a card number; send a processor token or the terminal receipt, never the number',
  }));
  throw new AppError('unprocessable', 'Card numbers are never accepted: nothing was stored.', { errors });
}
