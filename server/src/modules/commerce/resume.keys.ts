/**
 * @module HMAC signing for carts: the cart secret a storefront keeps, and resume link tokens. The key is random,
 * made on first use and kept in the database (like webhook signing secrets) so every server process signs and
 * verifies alike; no API ever returns it. Cart secrets are derived (HMAC of the cart id), not stored: the
 * database holds nothing a storefront could present.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Db } from '../../platform/db/database';

const PURPOSE = 'carts';
export const CART_SECRET_PREFIX = 'cs_';
export const RESUME_TOKEN_PREFIX = 'rsm_';

export interface CartSigner {
  /** The secret that opens one cart on the storefront API (X-Cart-Secret). */
  cartSecret(cartId: string): Promise<string>;
  verifyCartSecret(cartId: string, secret: string): Promise<boolean>;
  /** `rsm_<payload>.<signature>`, base64url. */
  signResume(payload: ResumePayload): Promise<string>;
  /** The payload of a token signed here, or null when it is forged, damaged or not a resume token. */
  verifyResume(token: string): Promise<ResumePayload | null>;
}

export interface ResumePayload {
  /** Resume link id. */
  r: string;
  /** Cart id. */
  c: string;
  /** The one customer the link is for. */
  u: string;
  /** Expiry, epoch ms. */
  e: number;
}

const equal = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

export function createCartSigner(db: Db): CartSigner {
  let key: Promise<Buffer> | null = null;

  async function loadKey(): Promise<Buffer> {
    // Two processes making the key at once: the primary key keeps the first, and both read that one back.
    await db
      .insertInto('commerce_signing_keys')
      .values({ purpose: PURPOSE, secret: randomBytes(32).toString('base64url'), created_at: Date.now() })
      .onConflict((oc) => oc.column('purpose').doNothing())
      .execute();
    const row = await db
      .selectFrom('commerce_signing_keys')
      .select('secret')
      .where('purpose', '=', PURPOSE)
      .executeTakeFirstOrThrow();
    return Buffer.from(row.secret, 'base64url');
  }

  async function mac(message: string): Promise<string> {
    key ??= loadKey().catch((err: unknown) => {
      key = null; // a failed first read must not poison every later call
      throw err;
    });
    return createHmac('sha256', await key)
      .update(message)
      .digest('base64url');
  }

  return {
    async cartSecret(cartId) {
      return `${CART_SECRET_PREFIX}${await mac(`cart:${cartId}`)}`;
    },
    async verifyCartSecret(cartId, secret) {
      return equal(secret, await this.cartSecret(cartId));
    },
    async signResume(payload) {
      const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
      return `${RESUME_TOKEN_PREFIX}${body}.${await mac(`resume:${body}`)}`;
    },
    async verifyResume(token) {
      const match = /^rsm_([A-Za-z0-9_-]{1,400})\.([A-Za-z0-9_-]{43})$/.exec(token.trim());
      if (!match) return null;
      if (!equal(match[2]!, await mac(`resume:${match[1]}`))) return null;
      try {
        const p = JSON.parse(Buffer.from(match[1]!, 'base64url').toString('utf8')) as ResumePayload;
        return typeof p.r === 'string' &&
          typeof p.c === 'string' &&
          typeof p.u === 'string' &&
          Number.isFinite(p.e)
          ? p
          : null;
      } catch {
        return null;
      }
    },
  };
}

/** Crockford base32: no I, L, O or U, so a code read aloud or typed from a screen survives. */
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** 8 characters = 40 random bits: `7K3QX9MD`. */
export function newResumeCode(): string {
  const bytes = randomBytes(5);
  let bits = 0n;
  for (const b of bytes) bits = (bits << 8n) | BigInt(b);
  let out = '';
  for (let i = 7; i >= 0; i--) out += CROCKFORD[Number((bits >> BigInt(i * 5)) & 31n)];
  return out;
}

/**
 * A typed or scanned code in canonical form: upper case, hyphens and spaces dropped, and Crockford's look-alikes
 * read as digits (O → 0, I and L → 1). Null when it cannot be a code.
 * @example normalizeResumeCode('7k3q-x9md') // '7K3QX9MD'
 */
export function normalizeResumeCode(input: string): string | null {
  const code = input.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  return /^[0-9A-HJKMNP-TV-Z]{8}$/.test(code) ? code : null;
}
