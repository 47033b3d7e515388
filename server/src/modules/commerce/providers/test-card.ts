/**
 * @module The `test` card provider: Omnis's side of the test processor (providers/test-processor.ts), spoken
 * over HTTP at a configurable base URL. Cards arrive as processor tokens only — never numbers. An asynchronous
 * confirmation (3-D Secure) comes back as a Standard Webhooks–signed POST to /hooks/payments/test, verified with
 * the same library the platform signs its own outbound webhooks with.
 */
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { AppError } from '../../../platform/errors';
import type { Intent } from './test-processor';
import {
  methodError,
  ProviderRefusal,
  type AuthorizeOutcome,
  type PaymentProvider,
  type WebhookNotice,
} from './provider';

export interface TestCardOptions {
  /** The processor's base URL (started on first use when it is the in-process one). */
  processorUrl: () => Promise<string>;
  /** Where the processor should POST its webhooks: Omnis's public URL + /hooks/payments/test. */
  webhookUrl: () => string;
  webhookSecret: string;
}

/** What an intent means for the payment. */
function outcomeOf(intent: Intent): AuthorizeOutcome {
  const details = { brand: intent.card.brand, last4: intent.card.last4 };
  switch (intent.status) {
    case 'succeeded':
      return { status: 'captured', amount: intent.amount_received, reference: intent.id, details };
    case 'requires_capture':
      return { status: 'authorized', amount: intent.amount_capturable, reference: intent.id, details };
    case 'requires_action':
      // Where the shopper approves it: the shop sends their browser there (checkout's 202 `next_action`).
      return {
        status: 'requires_action',
        reference: intent.id,
        details: { ...details, next_action_url: intent.next_action?.url ?? null },
      };
    default:
      return {
        status: 'failed',
        code: intent.last_payment_error?.code ?? 'card_declined',
        message: intent.last_payment_error?.message ?? 'The card was declined.',
        reference: intent.id,
        details,
      };
  }
}

export function testCardProvider(options: TestCardOptions): PaymentProvider {
  const verifier = new Webhook(options.webhookSecret);

  async function call<T>(path: string, body: Record<string, unknown>): Promise<T> {
    const res = await fetch(`${await options.processorUrl()}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    const payload = (await res.json()) as T & { error?: { code: string } };
    if (!res.ok)
      throw new ProviderRefusal(payload.error?.code ?? `http_${res.status}`, 'The processor refused.');
    return payload;
  }

  return {
    name: 'test',
    remote: true,
    validate(method) {
      return method.token && /^tok_[a-z0-9_]{1,60}$/.test(method.token)
        ? []
        : [methodError('token', 'is required: a card token of the test processor, e.g. tok_visa')];
    },
    async authorize({ payment }, method, capture) {
      try {
        const intent = await call<Intent>('/v1/payment_intents', {
          amount: payment.amount.amount,
          currency: payment.amount.currency,
          token: method.token,
          capture_method: capture ? 'automatic' : 'manual',
          webhook_url: options.webhookUrl(),
          return_url: method.return_url,
          metadata: { payment_id: payment.id },
        });
        return outcomeOf(intent);
      } catch (err) {
        if (err instanceof ProviderRefusal) return { status: 'failed', code: err.code, message: err.message };
        throw err;
      }
    },
    async capture({ payment }, amount) {
      await call(`/v1/payment_intents/${payment.provider_reference}/capture`, { amount_to_capture: amount });
    },
    async refund({ payment }, amount) {
      const refund = await call<{ id: string }>('/v1/refunds', {
        payment_intent: payment.provider_reference,
        amount,
      });
      return refund.id;
    },
    async void({ payment }) {
      await call(`/v1/payment_intents/${payment.provider_reference}/cancel`, {});
    },
    readWebhook(rawBody, headers): WebhookNotice {
      const flat = Object.fromEntries(
        Object.entries(headers).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v]] : [])),
      );
      let event: { id: string; type: string; data: { object: Intent } };
      try {
        event = verifier.verify(rawBody, flat) as typeof event;
      } catch (err) {
        if (err instanceof WebhookVerificationError || err instanceof SyntaxError)
          throw new AppError('unauthenticated', `The webhook signature does not verify: ${err.message}.`);
        throw err;
      }
      const intent = event.data?.object;
      if (!intent?.id)
        throw new AppError('validation_failed', 'The webhook carries no payment intent.', {
          errors: [{ field: 'body.data.object', message: 'is required' }],
        });
      return {
        webhook_id: flat['webhook-id']!,
        event_type: event.type,
        payment_id: intent.metadata?.payment_id ?? null,
        reference: intent.id,
        outcome: outcomeOf(intent),
      };
    },
  };
}
