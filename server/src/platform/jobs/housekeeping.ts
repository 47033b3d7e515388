/**
 * @module Housekeeping: periodic clean-up of expired sessions, old login attempts and expired idempotency keys.
 * Every statement is an idempotent DELETE, so several processes may run it without coordination.
 */
import type { FastifyBaseLogger } from 'fastify';

export function startHousekeeping(
  tasks: Array<() => Promise<void>>,
  everyMs: number,
  log: FastifyBaseLogger,
): () => void {
  const run = () => {
    for (const task of tasks) task().catch((err: unknown) => log.warn({ err }, 'housekeeping task failed'));
  };
  const timer = setInterval(run, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
