/**
 * @module Identifier rules: which identifier types exist, how each value is normalized before matching, which
 * values are junk that must never join two people, how many of each type one profile may hold, and which types
 * outrank others when profiles merge. Identity resolution reads these and nothing else.
 */
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

export const builtInIdentifierTypes = [
  'external_id',
  'email',
  'phone',
  'whatsapp',
  'loyalty_card',
  'pos_customer_no',
  'messenger_psid',
  'instagram_id',
  'telegram_id',
  'device_id',
  'anonymous_id',
] as const;

export interface IdentifierTypeRule {
  /** At most this many identifiers of the type on one profile (Infinity: no limit). */
  maxPerProfile: number;
  /** Higher wins: the profile matched by the strongest type survives a merge. */
  priority: number;
  /** Device-like identifiers may be shared by several people (a family tablet, a store kiosk). */
  shareable: boolean;
}

export const defaultIdentifierRules: Record<string, IdentifierTypeRule> = {
  external_id: { maxPerProfile: 1, priority: 100, shareable: false },
  loyalty_card: { maxPerProfile: 1, priority: 90, shareable: false },
  pos_customer_no: { maxPerProfile: 1, priority: 85, shareable: false },
  email: { maxPerProfile: 5, priority: 80, shareable: false },
  phone: { maxPerProfile: 3, priority: 70, shareable: false },
  whatsapp: { maxPerProfile: 3, priority: 70, shareable: false },
  telegram_id: { maxPerProfile: 2, priority: 60, shareable: false },
  messenger_psid: { maxPerProfile: 5, priority: 60, shareable: false },
  instagram_id: { maxPerProfile: 2, priority: 60, shareable: false },
  device_id: { maxPerProfile: Infinity, priority: 20, shareable: true },
  anonymous_id: { maxPerProfile: Infinity, priority: 10, shareable: true },
};

/** Rule for a type registered by an integration at run time (extensible types): unique-ish, mid priority. */
export const customTypeRule: IdentifierTypeRule = { maxPerProfile: 5, priority: 50, shareable: false };

export const IDENTIFIER_TYPE_PATTERN = /^[a-z][a-z0-9_]{1,39}$/;

/** Values that clients send when they have nothing; matching on them would merge strangers. */
const JUNK = new Set([
  '',
  'null',
  'undefined',
  'nil',
  'none',
  'n/a',
  'na',
  'anonymous',
  'unknown',
  'test',
  '0',
  '-',
  'false',
  'true',
]);

export class IdentifierError extends Error {}

export interface NormalizeOptions {
  /** Region for phone numbers written without +country code (ISO 3166 alpha-2), e.g. ES. */
  defaultPhoneRegion?: CountryCode | undefined;
}

/**
 * Normalizes a value for matching, or throws IdentifierError saying why it cannot identify anyone.
 * @example normalizeIdentifier('email', ' Ana@Shop.Example ') // 'ana@shop.example'
 * @example normalizeIdentifier('phone', '612 34 56 78', { defaultPhoneRegion: 'ES' }) // '+34612345678'
 */
export function normalizeIdentifier(type: string, raw: string, options: NormalizeOptions = {}): string {
  const value = raw.trim();
  if (
    JUNK.has(value.toLowerCase()) ||
    /^0+$/.test(value.replace(/[-\s]/g, '')) ||
    /^0{8}-0{4}-0{4}-0{4}-0{12}$/.test(value)
  ) {
    throw new IdentifierError(`"${raw}" is a placeholder, not an identifier`);
  }
  switch (type) {
    case 'email': {
      const email = value.toLowerCase();
      if (!/^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/.test(email) || email.length > 254)
        throw new IdentifierError('is not an email address');
      return email;
    }
    case 'phone':
    case 'whatsapp': {
      const phone = parsePhoneNumberFromString(value.replace(/^whatsapp:/i, ''), options.defaultPhoneRegion);
      if (!phone || !phone.isValid()) {
        throw new IdentifierError(
          options.defaultPhoneRegion
            ? 'is not a valid phone number'
            : 'is not a valid phone number in international format (+…)',
        );
      }
      return phone.number; // E.164
    }
    case 'telegram_id':
      // Telegram user ids are positive integers (up to 52 significant bits): anything else is not one.
      if (!/^[1-9]\d{0,15}$/.test(value)) throw new IdentifierError('is not a Telegram user id');
      return value;
    default:
      if (value.length > 200) throw new IdentifierError('is longer than 200 characters');
      return value;
  }
}

export function ruleFor(
  type: string,
  rules: Record<string, IdentifierTypeRule> = defaultIdentifierRules,
): IdentifierTypeRule {
  return rules[type] ?? customTypeRule;
}
