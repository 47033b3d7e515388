/**
 * @module Meta's webhook signature (X-Hub-Signature-256): `sha256=` and the hex HMAC-SHA256 of the exact request
 * bytes, keyed with the app secret. It is checked over the raw body before a single field is read, in constant
 * time. Meta publishes no signing package; tests sign with node:crypto exactly as Meta documents.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** @example metaSignature('app-secret', Buffer.from('{"object":"page"}')) // 'sha256=5f…' */
export function metaSignature(appSecret: string, body: Buffer): string {
  return `sha256=${createHmac('sha256', appSecret).update(body).digest('hex')}`;
}

/** Compares two secrets without leaking where they differ (length differences answer false at once). */
export function sameSecret(expected: string, given: string | undefined): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Whether `header` is Meta's signature of `body` (the hex part compared case-insensitively, as hex is). */
export function verifyMetaSignature(appSecret: string, header: string | undefined, body: Buffer): boolean {
  if (!header) return false;
  return sameSecret(metaSignature(appSecret, body), header.trim().toLowerCase());
}
