/**
 * @module WAL checkpoints off the event loop. SQLite in WAL mode appends every commit to the `-wal` file and copies
 * those pages back into the database file at a checkpoint, which by default the committing connection runs itself
 * once the log passes 1,000 pages: copying them and two fsyncs, on our single event loop, inside the request that
 * happened to commit last. Under write load (ingestion writes ~1,000 pages per group commit) that was a quarter of
 * the main thread's time. Here a worker thread with its own connection runs a PASSIVE checkpoint every
 * CHECKPOINT_INTERVAL_MS instead. PASSIVE never waits for, nor blocks, the writer; WAL lets the two work at once.
 *
 * Durability is unchanged (synchronous=NORMAL: the checkpoint syncs the log before copying); if anything, the log
 * now reaches the disk within an interval of a commit rather than after 1,000 pages. The main connection keeps
 * an automatic checkpoint at a much larger size: the log only starts over when a write begins with all of it
 * copied, which a writer that never pauses does not allow, so the main connection then copies the few pages the
 * worker has not yet and the log restarts (also the safety net, should the worker stop).
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** How often the worker checkpoints (it does nothing when the log holds no new pages). */
export const CHECKPOINT_INTERVAL_MS = 100;
/** The main connection's own automatic checkpoint, in pages (64 MiB at 4 KiB pages): where a busy log restarts. */
export const FALLBACK_AUTOCHECKPOINT_PAGES = 16_384;

/** What one checkpoint found: pages in the log, and how many of them are now in the database file. */
export interface CheckpointResult {
  logPages: number;
  checkpointedPages: number;
}

export interface Checkpointer {
  /** Runs a checkpoint now (in the worker) and reports it: for tests and for a clean shutdown. */
  checkpoint(): Promise<CheckpointResult>;
  /** Stops the worker and closes its connection. */
  stop(): Promise<void>;
}

/**
 * The worker, as plain CommonJS so it runs the same under tsx, vitest and node. One checkpoint repeats while the
 * writer added pages during it (bounded), so the log is wholly copied as soon as writes pause — which is what lets
 * the next transaction start the log over from its beginning instead of growing the file.
 */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 0');
parentPort.postMessage({ ready: true });
function checkpoint() {
  let result = { logPages: 0, checkpointedPages: 0 };
  for (let round = 0; round < 4; round++) {
    const [row] = db.pragma('wal_checkpoint(PASSIVE)');
    result = { logPages: Math.max(0, row.log), checkpointedPages: Math.max(0, row.checkpointed) };
    if (row.busy || result.checkpointedPages >= result.logPages) break;
  }
  return result;
}
const timer = setInterval(() => { try { checkpoint(); } catch {} }, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message.type === 'checkpoint') {
    try { parentPort.postMessage({ id: message.id, result: checkpoint() }); }
    catch (err) { parentPort.postMessage({ id: message.id, error: String(err && err.message || err) }); }
  } else if (message.type === 'stop') {
    clearInterval(timer);
    db.close();
    parentPort.close();
  }
});
`;

/**
 * Starts checkpointing the SQLite file at `filePath` from a worker thread. The caller sets the main connection's
 * `wal_autocheckpoint` to FALLBACK_AUTOCHECKPOINT_PAGES.
 * @example const checkpointer = startCheckpointer('/var/lib/omnis/omnis.db'); … await checkpointer.stop();
 */
export function startCheckpointer(filePath: string, intervalMs = CHECKPOINT_INTERVAL_MS): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  // Plain CommonJS needs none of the parent's loaders (tsx): without them the thread is up in milliseconds, and a
  // short-lived process (a CLI command) does not wait for it at close.
  const worker = new Worker(WORKER, {
    eval: true,
    execArgv: [],
    workerData: { file: filePath, driver, intervalMs },
  });
  // The checkpoints are housekeeping: they never keep a process (a CLI command, a test) alive.
  worker.unref();
  const waiting = new Map<number, { resolve: (r: CheckpointResult) => void; reject: (e: Error) => void }>();
  let nextId = 0;
  let failure: Error | undefined;
  let ready = false;
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  const failAll = (err: Error) => {
    failure = err;
    for (const w of waiting.values()) w.reject(err);
    waiting.clear();
  };
  worker.on('message', (m: { ready?: true; id: number; result?: CheckpointResult; error?: string }) => {
    if (m.ready) {
      ready = true;
      return;
    }
    const w = waiting.get(m.id);
    waiting.delete(m.id);
    if (m.error !== undefined) w?.reject(new Error(`WAL checkpoint failed: ${m.error}`));
    else w?.resolve(m.result!);
  });
  // A worker that cannot open the file leaves the main connection's fallback checkpoint in charge.
  worker.on('error', (err) => failAll(err));
  void exited.then(() => failAll(failure ?? new Error('The WAL checkpoint worker has stopped.')));

  return {
    checkpoint() {
      if (failure) return Promise.reject(failure);
      const id = nextId++;
      return new Promise<CheckpointResult>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        worker.postMessage({ type: 'checkpoint', id });
      });
    },
    async stop() {
      // Held while it closes its connection: a process whose last work is this close would otherwise end first.
      worker.ref();
      // A worker still starting has no connection worth closing gracefully: a short-lived process (a CLI
      // command, a test) need not wait for it to finish starting.
      if (failure) return;
      if (ready) worker.postMessage({ type: 'stop' });
      else void worker.terminate();
      await exited;
    },
  };
}
