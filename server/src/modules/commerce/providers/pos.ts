/**
 * @module The point-of-sale providers: `cash` (tendered amount and change due) and `card_terminal` (the
 * terminal's approval code, last 4 digits and brand only), both captured at once, and `manual` (invoice or bank
 * transfer: authorized while the money is on its way, captured when staff mark it received). The money moves
 * outside Omnis — in the till, on the terminal, by bank — so these providers record it and never refuse a refund.
 */
import type { PaymentProvider } from './provider';
import { methodError } from './provider';

export const cardBrands = ['visa', 'mastercard', 'amex', 'maestro', 'discover', 'jcb', 'unionpay', 'other'];

/** Recording providers: capture, refund and void change only the payment's own row. */
const recorded = {
  remote: false,
  async capture() {},
  async refund() {
    return null;
  },
  async void() {},
} as const;

export const cashProvider: PaymentProvider = {
  ...recorded,
  name: 'cash',
  validate(method, amount) {
    if (method.tendered === undefined) return [methodError('tendered', 'is required for cash')];
    if (method.tendered < amount)
      return [methodError('tendered', `must cover the amount (${amount}); got ${method.tendered}`)];
    return [];
  },
  async authorize({ payment }, method) {
    const tendered = method.tendered!;
    return {
      status: 'captured',
      amount: payment.amount.amount,
      details: { tendered, change_due: tendered - payment.amount.amount },
    };
  },
};

export const cardTerminalProvider: PaymentProvider = {
  ...recorded,
  name: 'card_terminal',
  validate(method) {
    const errors = [];
    if (!method.approval_code || !/^[A-Za-z0-9-]{1,32}$/.test(method.approval_code))
      errors.push(methodError('approval_code', 'is required: the approval code the terminal printed'));
    if (method.last4 !== undefined && !/^\d{4}$/.test(method.last4))
      errors.push(methodError('last4', 'must be exactly 4 digits'));
    if (method.brand !== undefined && !cardBrands.includes(method.brand))
      errors.push(methodError('brand', `must be one of ${cardBrands.join(', ')}`));
    return errors;
  },
  async authorize({ payment }, method) {
    return {
      status: 'captured',
      amount: payment.amount.amount,
      reference: method.approval_code!,
      details: { last4: method.last4 ?? null, brand: method.brand ?? null },
    };
  },
};

export const manualProvider: PaymentProvider = {
  ...recorded,
  name: 'manual',
  validate() {
    return [];
  },
  async authorize({ payment }, method) {
    return {
      status: 'authorized',
      amount: payment.amount.amount,
      reference: method.note ?? null,
      details: {},
    };
  },
};
