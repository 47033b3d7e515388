/**
 * @module Codecs between domain values and stored columns — the only code that knows that SQLite keeps
 * booleans as 0/1 and JSON as text, and that times are epoch milliseconds. Both encoders produce values that
 * both drivers accept: pg reads '1'/'0' as booleans and casts JSON text into jsonb.
 */

export const encodeJson = (value: unknown): string => JSON.stringify(value ?? null);

/** pg hands jsonb back parsed; SQLite hands back text. */
export function decodeJson<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

export const encodeBool = (value: boolean): number => (value ? 1 : 0);
export const decodeBool = (value: unknown): boolean => value === true || value === 1 || value === '1';

/** Epoch ms → ISO-8601 UTC for the API. */
export const toIso = (ms: number | null | undefined): string | null =>
  ms == null ? null : new Date(ms).toISOString();
export const toIsoRequired = (ms: number): string => new Date(ms).toISOString();
