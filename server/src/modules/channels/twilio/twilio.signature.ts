/**
 * @module Twilio's request signature (X-Twilio-Signature): base64 HMAC-SHA1, keyed with the account's auth
 * token, over the full URL Twilio requested followed by every POST parameter name and value, sorted by name.
 * Checked in constant time; tests sign with the official `twilio` package to prove we compute the same thing.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * @example twilioSignature('token', 'https://shop.example/hooks/twilio/cha_1', { Body: 'hi', From: '+34…' })
 */
export function twilioSignature(authToken: string, url: string, params: Record<string, string>): string {
  const data = Object.keys(params)
    .sort()
    .reduce((acc, key) => acc + key + params[key], url);
  return createHmac('sha1', authToken).update(Buffer.from(data, 'utf8')).digest('base64');
}

/** Whether `signature` is Twilio's for this request (any of the URLs it may have used: with and without port). */
export function verifyTwilioSignature(
  authToken: string,
  signature: string | undefined,
  urls: string[],
  params: Record<string, string>,
): boolean {
  if (!signature) return false;
  const given = Buffer.from(signature);
  return urls.some((url) => {
    const expected = Buffer.from(twilioSignature(authToken, url, params));
    return expected.length === given.length && timingSafeEqual(expected, given);
  });
}
