/**
 * @module Factories for payment tests: a channel, a customer, an authenticated request helper, and the money
 * invariant every payment must keep (refunded ≤ captured ≤ authorized ≤ amount).
 */
import { expect } from 'vitest';
import type { TestContext } from '../../../test/harness';
import { systemActor } from '../../platform/auth/principal';

let serial = 0;
export const unique = (prefix: string) => `${prefix}${++serial}-${Date.now().toString(36)}`;

export async function aChannel(t: TestContext) {
  return t.omnis.services.channels.createChannel({ kind: 'web', name: unique('Web ') }, systemActor);
}

export async function aCustomer(t: TestContext): Promise<string> {
  const res = await t.omnis.services.identity.resolve({
    identifiers: [{ type: 'email', value: `${unique('shopper')}@test.example` }],
    reason: 'test',
    actor: systemActor,
  } as Parameters<TestContext['omnis']['services']['identity']['resolve']>[0]);
  return res.customerId;
}

/** An HTTP call as a role, with optional headers. */
export function caller(t: () => TestContext) {
  return async (
    method: 'GET' | 'POST',
    url: string,
    payload?: unknown,
    role: 'admin' | 'associate' | 'analyst' = 'admin',
    headers: Record<string, string> = {},
  ) =>
    t().omnis.app.inject({
      method,
      url,
      headers: { ...(await t().as(role)), ...headers },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
}

/** Every payment keeps refunded ≤ captured ≤ authorized ≤ amount, whatever happened to it. */
export async function expectMoneyInvariant(t: TestContext) {
  const rows = await t.omnis.database.db.selectFrom('payments').selectAll().execute();
  for (const r of rows) {
    expect(Number(r.amount_refunded)).toBeLessThanOrEqual(Number(r.amount_captured));
    expect(Number(r.amount_captured)).toBeLessThanOrEqual(Number(r.amount_authorized));
    expect(Number(r.amount_authorized)).toBeLessThanOrEqual(Number(r.amount));
  }
}
