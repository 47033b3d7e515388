/**
 * @module The one payment provider interface: authorize, capture, refund, void and an inbound webhook. A local
 * provider (cash, card terminal, manual, gift card, store credit) does its work in the database and is called
 * inside the payment's transaction, so a gift card debit and the payment's state commit together. A remote one
 * (the test card processor) talks to a peer over HTTP and is called outside any transaction (SQLite serializes
 * transactions in-process; a network wait inside one would stall every writer).
 */
import type { Actor } from '../../../platform/auth/principal';
import type { FieldError } from '../../../platform/errors';
import type { DbOrTrx } from '../../../platform/db/transaction';
import type { Payment, PaymentDetails } from '../payment.repository';

/** Provider-specific input of a new payment; each provider says which fields it needs (`body.method.…`). */
export interface PaymentMethodInput {
  /** cash: what the customer handed over, minor units. */
  tendered?: number | undefined;
  /** card_terminal: the terminal's approval code. */
  approval_code?: string | undefined;
  /** card_terminal: last 4 digits and brand printed by the terminal. */
  last4?: string | undefined;
  brand?: string | undefined;
  /** test: a card token of the test processor (`tok_visa`, `tok_declined`, `tok_async`, …). */
  token?: string | undefined;
  /** test: where the processor's approval page (3-D Secure) sends the shopper back, e.g. the shop's checkout. */
  return_url?: string | undefined;
  /** gift_card: the code printed on the card. */
  code?: string | undefined;
  /** manual: the invoice or transfer reference staff will look for. */
  note?: string | undefined;
}

export interface ProviderCall {
  /** The transaction (local providers) or the database (remote providers). */
  db: DbOrTrx;
  payment: Payment;
  actor: Actor;
}

export type AuthorizeOutcome =
  | {
      status: 'authorized' | 'captured';
      amount: number;
      reference?: string | null | undefined;
      details?: PaymentDetails | undefined;
    }
  | {
      status: 'requires_action';
      reference: string;
      details?: PaymentDetails | undefined;
    }
  | {
      status: 'failed';
      code: string;
      message: string;
      reference?: string | null | undefined;
      details?: PaymentDetails | undefined;
    };

/** A provider refused an operation (not a decline at authorize time: those are outcomes). */
export class ProviderRefusal extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** An inbound webhook, verified and read: which payment it concerns and what happened to it. */
export interface WebhookNotice {
  webhook_id: string;
  event_type: string;
  payment_id: string | null;
  reference: string;
  outcome: AuthorizeOutcome;
}

export interface PaymentProvider {
  name: string;
  remote: boolean;
  /** Checks the provider's fields of a new payment before anything is written. */
  validate(method: PaymentMethodInput, amount: number): FieldError[];
  authorize(call: ProviderCall, method: PaymentMethodInput, capture: boolean): Promise<AuthorizeOutcome>;
  /** Takes `amount` (≤ authorized) of an authorized payment. Throws ProviderRefusal when the provider says no. */
  capture(call: ProviderCall, amount: number): Promise<void>;
  /** Gives `amount` back; returns the provider's refund reference. Throws ProviderRefusal when it says no. */
  refund(call: ProviderCall, amount: number, refundId: string): Promise<string | null>;
  /** Releases an authorization that was not captured. */
  void(call: ProviderCall): Promise<void>;
  /** Verifies and reads an inbound webhook; throws AppError('unauthenticated') when the signature is bad. */
  readWebhook?(rawBody: string, headers: Record<string, string | string[] | undefined>): WebhookNotice;
}

/** Field errors of a provider's fields. */
export const methodError = (field: keyof PaymentMethodInput, message: string): FieldError => ({
  field: `body.method.${field}`,
  message,
});
