/**
 * @module Ids: prefixed, time-sortable identifiers (`cha_01J…`). The ULID body sorts by creation time, which
 * keyset pagination relies on; the monotonic factory keeps ids made in the same millisecond in order.
 */
import { monotonicFactory } from 'ulid';

const nextUlid = monotonicFactory();

/** Creates an id such as `newId('cha')` → `cha_01JD3…`. */
export function newId(prefix: string): string {
  return `${prefix}_${nextUlid()}`;
}
