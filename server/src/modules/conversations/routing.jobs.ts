/**
 * @module The routing and SLA jobs: route conversations waiting for opening hours or a free agent, take back
 * unanswered assignments, and fire due SLA timers. Every step is a guarded UPDATE, so several processes may run
 * them at once.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { RoutingService } from './routing.service';
import type { SlaService } from './sla.service';

/** How often the jobs look: short enough for a chat, cheap when nothing is due. */
const EVERY_MS = 5_000;

export function startRoutingJobs(
  routing: RoutingService,
  sla: SlaService,
  log: FastifyBaseLogger,
): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    (async () => {
      await sla.fireDueTimers();
      await routing.reassignUnanswered();
      await routing.routeWaiting();
    })()
      .catch((err: unknown) => log.error({ err }, 'routing/SLA job failed'))
      .finally(() => (running = false));
  }, EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
