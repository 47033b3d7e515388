/**
 * @module Privacy rights across modules. Each module registers a PrivacyHandler for the tables it owns that hold
 * customer data: it exports them for a data subject and erases or anonymizes them. A module's other tables are
 * declared free of customer data, with a reason; a test fails when a table is neither. Erasure runs every handler
 * in one transaction, so it happens everywhere or nowhere.
 */
import type { DbOrTrx, Trx } from '../db/transaction';

/** The person whose data is exported or erased: every profile id that is them, and the values to scrub. */
export interface PrivacySubject {
  /** The survivor and every profile merged into it. */
  customerIds: string[];
  /** Personal values (emails, phones, names, other identifier values) to remove from free text and JSON. */
  values: string[];
}

export interface PrivacyHandler {
  /** Module name, used as the section name in exports. */
  name: string;
  /** Tables this handler exports and erases. */
  tables: string[];
  export(db: DbOrTrx, subject: PrivacySubject): Promise<Record<string, unknown[]>>;
  erase(trx: Trx, subject: PrivacySubject): Promise<void>;
}

/** Tables a module owns that hold no customer data, each with the reason. */
export type NoCustomerData = Record<string, string>;

export const ERASED = '[erased]';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Replaces every occurrence of the subject's values in a string (case-insensitive; names only as whole words,
 * so erasing "Ana" leaves "Banana" alone).
 */
export function scrubText(text: string, values: string[]): string {
  let out = text;
  for (const value of values) {
    if (value.length < 2) continue;
    const word = /^[\p{L}\p{M}' -]+$/u.test(value);
    const pattern = new RegExp(
      word ? `(?<![\\p{L}\\p{M}])${escapeRegExp(value)}(?![\\p{L}\\p{M}])` : escapeRegExp(value),
      'giu',
    );
    out = out.replace(pattern, ERASED);
  }
  return out;
}

/** scrubText over every string inside a JSON value (keys too). */
export function scrubJson<T>(value: T, values: string[]): T {
  if (typeof value === 'string') return scrubText(value, values) as T;
  if (Array.isArray(value)) return value.map((v) => scrubJson(v, values)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [scrubText(k, values), scrubJson(v, values)]),
    ) as T;
  }
  return value;
}

/** Runs the export of every handler: one section per module, one array of rows per table. */
export async function exportSubject(
  db: DbOrTrx,
  handlers: PrivacyHandler[],
  subject: PrivacySubject,
): Promise<Record<string, Record<string, unknown[]>>> {
  const archive: Record<string, Record<string, unknown[]>> = {};
  for (const handler of handlers) archive[handler.name] = await handler.export(db, subject);
  return archive;
}

/** Runs every handler's erasure inside the caller's transaction. */
export async function eraseSubject(
  trx: Trx,
  handlers: PrivacyHandler[],
  subject: PrivacySubject,
): Promise<void> {
  for (const handler of handlers) await handler.erase(trx, subject);
}
