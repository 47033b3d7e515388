/**
 * @module The outbound-webhook interface for external bots: each customer message is POSTed to the bot's URL,
 * signed exactly like the platform's webhooks (Standard Webhooks: `webhook-id`, `webhook-timestamp`,
 * `webhook-signature`). The bot may answer synchronously with `{ "replies": [{ "text": "…" }], "handoff": true }`,
 * or reply later through `POST /v1/conversations/:id/messages` with an API key and hand off through
 * `POST /v1/conversations/:id/handoff`.
 */
import { Webhook } from 'standardwebhooks';
import { resolvedTargetProblem } from '../../platform/events/webhook-target';

export interface ExternalBotRequest {
  type: 'message.received';
  conversation_id: string;
  locale: string;
  message: { id: string; text: string | null; channel_kind: string | null; created_at: string };
  customer: { id: string; locale: string | null };
}

export interface ExternalBotAnswer {
  replies: string[];
  handoff: boolean;
}

/** Posts one message to the external bot; throws when it cannot be reached or refuses (the task is retried). */
export async function callExternalBot(
  target: { url: string; secret: string },
  request: ExternalBotRequest,
  options: { timeoutMs: number; allowPrivateTargets: boolean },
): Promise<ExternalBotAnswer> {
  const url = new URL(target.url);
  if (!options.allowPrivateTargets) {
    const problem = await resolvedTargetProblem(url);
    if (problem) throw new Error(`External bot URL ${problem}`);
  }
  const body = JSON.stringify(request);
  const sentAt = new Date();
  // The message id is the webhook id: stable across retries, so the bot can deduplicate.
  const signature = new Webhook(target.secret).sign(request.message.id, sentAt, body);
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'webhook-id': request.message.id,
      'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
      'webhook-signature': signature,
    },
    body,
    redirect: 'manual',
    signal: AbortSignal.timeout(options.timeoutMs),
  });
  if (res.status < 200 || res.status >= 300) throw new Error(`External bot answered HTTP ${res.status}`);
  const text = await res.text();
  if (res.status !== 200 || !text.trim()) return { replies: [], handoff: false };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // A bot that acknowledges with a non-JSON body answers later through the API.
    return { replies: [], handoff: false };
  }
  const answer = (parsed ?? {}) as { replies?: unknown; handoff?: unknown };
  const replies = Array.isArray(answer.replies)
    ? answer.replies
        .map((r) => (typeof r === 'string' ? r : (r as { text?: unknown })?.text))
        .filter((t): t is string => typeof t === 'string' && t.trim().length > 0)
        .map((t) => t.slice(0, 20_000))
        .slice(0, 5)
    : [];
  return { replies, handoff: answer.handoff === true };
}
