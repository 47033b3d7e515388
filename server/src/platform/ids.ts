/**
 * @module Ids: prefixed, time-sortable identifiers (`cha_01J…`). The ULID body sorts by creation time, which
 * keyset pagination relies on; the monotonic factory keeps ids made in the same millisecond in order.
 */
import { randomFillSync } from 'node:crypto';
import { monotonicFactory } from 'ulid';

/**
 * Cryptographic randomness drawn from a pooled buffer: ulid's default asks the crypto API once per character,
 * which showed up in ingestion profiles (16 calls per new millisecond). A byte / 256 is uniform over [0, 1) in
 * steps of 1/256, and ulid takes floor(x × 32) of it, so every character stays uniform.
 */
const pool = Buffer.alloc(4096);
let offset = pool.length;
function pooledRandom(): number {
  if (offset >= pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  return pool[offset++]! / 256;
}

const nextUlid = monotonicFactory(pooledRandom);

/** Creates an id such as `newId('cha')` → `cha_01JD3…`. */
export function newId(prefix: string): string {
  return `${prefix}_${nextUlid()}`;
}
