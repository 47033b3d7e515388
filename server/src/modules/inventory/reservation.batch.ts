/**
 * @module Coalescing of concurrent reservations of the same level. While one transaction reserving a SKU at a
 * location runs, the requests for that SKU and location that arrive meanwhile wait in a queue; when it commits,
 * the whole queue goes in the next transaction — one guarded UPDATE for all of them, one commit. A lone request
 * starts on the next turn of the event loop; under a flash sale the batch grows with the load, so a hot SKU is no
 * longer bound by one commit per reservation. Group commit, per level.
 */

interface Waiting<C, R> {
  claim: C;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

/**
 * @param run carries out a batch and answers each claim with its result or its error, in order; if it throws,
 *   every claim of the batch fails with that error.
 * @example const reserve = coalesce((claims) => reserveMany(claims), (c) => `${c.location_id}:${c.sku}`)
 */
export function coalesce<C, R>(
  run: (claims: C[]) => Promise<Array<R | Error>>,
  keyOf: (claim: C) => string,
  maxBatch = 256,
): (claim: C) => Promise<R> {
  const queues = new Map<string, Array<Waiting<C, R>>>();

  async function drain(key: string, queue: Array<Waiting<C, R>>): Promise<void> {
    try {
      while (queue.length > 0) {
        const batch = queue.splice(0, maxBatch);
        let results: Array<R | Error>;
        try {
          results = await run(batch.map((w) => w.claim));
        } catch (err) {
          results = batch.map(() => err as Error);
        }
        batch.forEach((w, i) => {
          const result = results[i];
          if (result instanceof Error) w.reject(result);
          else w.resolve(result as R);
        });
      }
    } finally {
      queues.delete(key);
    }
  }

  return (claim: C) =>
    new Promise<R>((resolve, reject) => {
      const key = keyOf(claim);
      const queue = queues.get(key);
      if (queue) {
        queue.push({ claim, resolve, reject });
        return;
      }
      const fresh = [{ claim, resolve, reject }];
      queues.set(key, fresh);
      // Start on the next turn of the event loop rather than now: the requests that arrived in the same burst
      // reach this point first and ride in the same transaction (a turn costs microseconds when idle).
      setImmediate(() => void drain(key, fresh));
    });
}
