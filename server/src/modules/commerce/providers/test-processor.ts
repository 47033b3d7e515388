/**
 * @module The test card processor: a small HTTP service that behaves like a payment processor's test mode, so the
 * `test` provider is exercised over a real network hop. Card tokens pick the outcome (`tok_visa` succeeds,
 * `tok_declined` and `tok_insufficient_funds` decline, `tok_async` needs the customer to authenticate first).
 * When the customer authenticates — on the processor's own approval page (GET …/authenticate, Approve / Decline),
 * which then sends their browser back to the shop's `return_url` — the processor POSTs the result to the
 * merchant's webhook URL, signed per Standard Webhooks. Its state lives in memory: it stands for someone else's system, not for Omnis data.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

interface TestCard {
  brand: string;
  last4: string;
  decline?: { code: string; message: string };
  /** 3-D Secure: the customer must authenticate; `deny` makes that fail. */
  action?: 'approve' | 'deny';
}

/** The tokens the processor knows, like a processor's documented test cards. */
export const testCards: Record<string, TestCard> = {
  tok_visa: { brand: 'visa', last4: '4242' },
  tok_mastercard: { brand: 'mastercard', last4: '4444' },
  tok_amex: { brand: 'amex', last4: '8431' },
  tok_declined: {
    brand: 'visa',
    last4: '0002',
    decline: { code: 'card_declined', message: 'The card was declined.' },
  },
  tok_insufficient_funds: {
    brand: 'visa',
    last4: '9995',
    decline: { code: 'insufficient_funds', message: 'The card has insufficient funds.' },
  },
  tok_expired_card: {
    brand: 'visa',
    last4: '0069',
    decline: { code: 'expired_card', message: 'The card has expired.' },
  },
  tok_async: { brand: 'visa', last4: '3184', action: 'approve' },
  tok_async_declined: { brand: 'visa', last4: '3220', action: 'deny' },
};

export interface Intent {
  id: string;
  status: 'requires_action' | 'requires_capture' | 'succeeded' | 'requires_payment_method' | 'canceled';
  amount: number;
  currency: string;
  capture_method: 'automatic' | 'manual';
  amount_capturable: number;
  amount_received: number;
  amount_refunded: number;
  card: { brand: string; last4: string };
  last_payment_error: { code: string; message: string } | null;
  next_action: { type: 'redirect'; url: string } | null;
  metadata: Record<string, string>;
  webhook_url: string | null;
  /** Where the approval page sends the shopper back (the shop's checkout page). */
  return_url: string | null;
}

export interface TestProcessor {
  url: string;
  close(): Promise<void>;
}

class Problem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
  ) {
    super(code);
  }
}

/** A page for the shopper's browser (the approval page), not JSON. */
class Html {
  constructor(readonly body: string) {}
}

/** Sends the shopper's browser on (back to the shop after approving). */
class Redirect {
  constructor(readonly url: string) {}
}

/** JSON from the merchant's server; a form post (urlencoded) from the shopper's browser on the approval page. */
async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return {};
  if ((req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded'))
    return { ...Object.fromEntries(new URLSearchParams(text)), form: true };
  return JSON.parse(text) as Record<string, unknown>;
}

const escapeHtml = (v: string | number) => String(v).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The processor's 3-D Secure page: what is being paid, and the shopper's two answers. */
function approvalPage(intent: Intent): Html {
  const amount = `${(intent.amount / 100).toFixed(2)} ${intent.currency}`;
  const button = (decision: string, label: string, colour: string) =>
    `<form method="post"><input type="hidden" name="decision" value="${decision}">` +
    `<button type="submit" data-testid="processor-${decision}" style="background:${colour}">${label}</button></form>`;
  return new Html(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Confirm your payment</title>
<style>body{font-family:system-ui,sans-serif;max-width:420px;margin:4rem auto;padding:0 1rem;color:#222}
.card{border:1px solid #ddd;border-radius:12px;padding:1.5rem}form{display:inline}
button{color:#fff;border:0;border-radius:8px;padding:.7rem 1.4rem;margin-right:.5rem;font-size:1rem;cursor:pointer}</style>
</head><body><div class="card" data-testid="processor-approval">
<p style="color:#777;margin:0">Test processor · 3-D Secure</p>
<h1 style="font-size:1.3rem">Confirm a payment of <span data-testid="processor-amount">${escapeHtml(amount)}</span></h1>
<p>Card ${escapeHtml(intent.card.brand)} ending ${escapeHtml(intent.card.last4)}</p>
${button('approve', 'Approve', '#2b8a3e')}${button('decline', 'Decline', '#c92a2a')}
</div></body></html>`);
}

/** The shop's return URL with the outcome added, as processors do (`payment_intent`, `redirect_status`). */
function returnTo(intent: Intent): string | null {
  if (!intent.return_url) return null;
  const url = new URL(intent.return_url);
  url.searchParams.set('payment_intent', intent.id);
  url.searchParams.set(
    'redirect_status',
    intent.status === 'requires_payment_method' ? 'failed' : 'succeeded',
  );
  return url.toString();
}

/** Starts the processor on loopback (port 0: any free port). */
export async function startTestProcessor(options: {
  webhookSecret: string;
  port?: number;
}): Promise<TestProcessor> {
  const intents = new Map<string, Intent>();
  const cards = new Map<string, TestCard>();
  const sent = new Map<string, { url: string; body: string }>();
  const signer = new Webhook(options.webhookSecret);
  let base = '';

  /** Posts one event to the merchant, signed; the same event id on every resend, so the merchant can dedupe. */
  async function deliver(eventId: string): Promise<number> {
    const event = sent.get(eventId)!;
    const at = new Date();
    const res = await fetch(event.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'webhook-id': eventId,
        'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
        'webhook-signature': signer.sign(eventId, at, event.body),
      },
      body: event.body,
      signal: AbortSignal.timeout(10_000),
    });
    await res.arrayBuffer();
    return res.status;
  }

  function intentOf(id: string | undefined): Intent {
    const intent = id ? intents.get(id) : undefined;
    if (!intent) throw new Problem(404, 'resource_missing');
    return intent;
  }

  async function route(method: string, path: string, body: Record<string, unknown>): Promise<unknown> {
    const [, v1, noun, id, verb] = path.split('/');
    if (v1 !== 'v1') throw new Problem(404, 'not_found');
    if (method === 'POST' && noun === 'payment_intents' && !id) {
      const card = testCards[String(body.token)];
      if (!card) throw new Problem(400, 'invalid_token');
      const amount = Number(body.amount);
      const manual = body.capture_method === 'manual';
      const intent: Intent = {
        id: `pi_${randomUUID().replace(/-/g, '')}`,
        status: 'requires_payment_method',
        amount,
        currency: String(body.currency),
        capture_method: manual ? 'manual' : 'automatic',
        amount_capturable: 0,
        amount_received: 0,
        amount_refunded: 0,
        card: { brand: card.brand, last4: card.last4 },
        last_payment_error: card.decline ?? null,
        next_action: null,
        metadata: (body.metadata as Record<string, string>) ?? {},
        webhook_url: typeof body.webhook_url === 'string' ? body.webhook_url : null,
        return_url:
          typeof body.return_url === 'string' && /^https?:\/\//.test(body.return_url)
            ? body.return_url
            : null,
      };
      if (card.action) {
        intent.status = 'requires_action';
        // The page the shopper's browser opens to approve or decline (GET), as a processor's 3-D Secure redirect.
        intent.next_action = {
          type: 'redirect',
          url: `${base}/v1/payment_intents/${intent.id}/authenticate`,
        };
      } else if (!card.decline) succeed(intent);
      intents.set(intent.id, intent);
      cards.set(intent.id, card);
      return intent;
    }
    if (method === 'GET' && noun === 'payment_intents' && verb === 'authenticate') {
      const intent = intentOf(id);
      if (intent.status !== 'requires_action') {
        // Answered already (a reload, the back button): send the shopper back to the shop once more.
        const back = returnTo(intent);
        if (back) return new Redirect(back);
        throw new Problem(409, 'payment_intent_unexpected_state');
      }
      return approvalPage(intent);
    }
    if (method === 'GET' && noun === 'payment_intents') return intentOf(id);
    if (method === 'POST' && noun === 'payment_intents' && verb === 'authenticate') {
      // The customer finishing 3-D Secure at the processor; the merchant learns of it by webhook only. The
      // approval page's buttons say `decision`; a call without one follows the card (tok_async_declined fails).
      const intent = intentOf(id);
      if (intent.status !== 'requires_action') throw new Problem(409, 'payment_intent_unexpected_state');
      const card = cards.get(intent.id)!;
      intent.next_action = null;
      const deny = body.decision === 'decline' || (body.decision !== 'approve' && card.action === 'deny');
      let type: string;
      if (deny) {
        intent.status = 'requires_payment_method';
        intent.last_payment_error = {
          code: 'authentication_failed',
          message: 'The customer failed to authenticate.',
        };
        type = 'payment_intent.payment_failed';
      } else {
        succeed(intent);
        // succeed() changed the status; TypeScript still narrows it to requires_action.
        type =
          (intent.status as Intent['status']) === 'succeeded'
            ? 'payment_intent.succeeded'
            : 'payment_intent.amount_capturable_updated';
      }
      const eventId = `evt_${randomUUID().replace(/-/g, '')}`;
      let webhook: { id: string; status: number } | null = null;
      if (intent.webhook_url) {
        sent.set(eventId, {
          url: intent.webhook_url,
          body: JSON.stringify({ id: eventId, type, created: Date.now(), data: { object: intent } }),
        });
        // Delivered before the shopper is sent back, so the shop finds the payment settled on return.
        webhook = { id: eventId, status: await deliver(eventId).catch(() => 0) };
      }
      const back = body.form ? returnTo(intent) : null;
      return back ? new Redirect(back) : { intent, webhook };
    }
    if (method === 'POST' && noun === 'events' && verb === 'resend') {
      if (!id || !sent.has(id)) throw new Problem(404, 'resource_missing');
      return { id, status: await deliver(id) };
    }
    if (method === 'POST' && noun === 'payment_intents' && verb === 'capture') {
      const intent = intentOf(id);
      const amount =
        body.amount_to_capture === undefined ? intent.amount_capturable : Number(body.amount_to_capture);
      if (intent.status !== 'requires_capture') throw new Problem(409, 'payment_intent_unexpected_state');
      if (amount > intent.amount_capturable) throw new Problem(400, 'amount_too_large');
      intent.status = 'succeeded';
      intent.amount_received = amount;
      intent.amount_capturable = 0;
      return intent;
    }
    if (method === 'POST' && noun === 'payment_intents' && verb === 'cancel') {
      const intent = intentOf(id);
      if (intent.status === 'succeeded' || intent.status === 'canceled')
        throw new Problem(409, 'payment_intent_unexpected_state');
      intent.status = 'canceled';
      intent.amount_capturable = 0;
      return intent;
    }
    if (method === 'POST' && noun === 'refunds' && !id) {
      const intent = intentOf(String(body.payment_intent));
      const amount = Number(body.amount);
      if (intent.status !== 'succeeded') throw new Problem(409, 'charge_not_captured');
      if (amount > intent.amount_received - intent.amount_refunded)
        throw new Problem(400, 'amount_too_large');
      intent.amount_refunded += amount;
      return {
        id: `re_${randomUUID().replace(/-/g, '')}`,
        status: 'succeeded',
        amount,
        payment_intent: intent.id,
      };
    }
    throw new Problem(404, 'not_found');
  }

  function succeed(intent: Intent) {
    intent.last_payment_error = null;
    if (intent.capture_method === 'manual') {
      intent.status = 'requires_capture';
      intent.amount_capturable = intent.amount;
    } else {
      intent.status = 'succeeded';
      intent.amount_received = intent.amount;
    }
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const reply = (status: number, payload: unknown) => {
      if (payload instanceof Html) {
        res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
        res.end(payload.body);
      } else if (payload instanceof Redirect) {
        res.writeHead(303, { location: payload.url });
        res.end();
      } else {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(payload));
      }
    };
    readBody(req)
      .then((body) => route(req.method ?? 'GET', new URL(req.url ?? '/', base).pathname, body))
      .then(
        (payload) => reply(200, payload),
        (err: unknown) =>
          err instanceof Problem
            ? reply(err.status, { error: { code: err.code } })
            : reply(500, { error: { code: 'api_error', message: (err as Error).message } }),
      );
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  // The processor must never keep a process alive that is otherwise done (tests, `omnis migrate`).
  server.unref();
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
