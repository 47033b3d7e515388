/**
 * @module Expired SMS receipt links are deleted: a link stops opening at `expires_at` (90 days), and is kept
 * `RECEIPT_LINK_GRACE_DAYS` longer — so a customer who says the link in her text stopped working can still be
 * traced to it (its order, read count and last read) — then removed by the hourly cart expiry job. Each batch is
 * one DELETE of at most `batch` rows by the expiry index, so SQLite's single writer is never held long; the DELETE
 * is idempotent, so several processes may run it together (a row another process removed is counted by that one).
 */
import type { DbOrTrx } from '../../platform/db/transaction';

/** Days a receipt link is kept after it stopped opening. */
export const RECEIPT_LINK_GRACE_DAYS = 30;

/** Links deleted per statement. */
const BATCH = 500;

/**
 * Deletes every receipt link that expired more than `graceDays` before `now`, a batch at a time; returns how many.
 * @example await purgeExpiredReceiptLinks(db) // → 12
 */
export async function purgeExpiredReceiptLinks(
  db: DbOrTrx,
  now = Date.now(),
  graceDays = RECEIPT_LINK_GRACE_DAYS,
  batch = BATCH,
): Promise<number> {
  const cutoff = now - graceDays * 86_400_000;
  let deleted = 0;
  for (;;) {
    const result = await db
      .deleteFrom('receipt_links')
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('receipt_links')
          .select('id')
          .where('expires_at', '<', cutoff)
          .orderBy('expires_at')
          .limit(batch),
      )
      .executeTakeFirst();
    const n = Number(result.numDeletedRows);
    deleted += n;
    // Only an empty batch ends the run: a short one may have met another process deleting the same rows, and
    // that process goes on until it finds none — so when both are done no long-expired link is left.
    if (n === 0) return deleted;
  }
}
