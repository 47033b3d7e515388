/**
 * @module Finding a return at any desk from what the customer brings: the return's id, the order's number or id,
 * or the customer's email, phone or name (through the customers module's lookup, as /v1/customers finds them). A
 * return opened online or by mail is then found in the store like one opened there.
 */
import type { Db } from '../../platform/db/database';
import type { Page } from '../../platform/http/pagination';
import type { CustomersService } from '../customers';
import { displayNumber } from './order.repository';
import { listReturnRows, type Return, type ReturnFilter, type ReturnMatch } from './return.repository';

/** How many matching customers a search follows: a name prefix may match many; the newest are enough. */
const customersPerSearch = 50;

export interface ReturnSearchFilter extends ReturnFilter {
  /** Return id, order number (#1042 or 1042), order id, or the customer's email, phone or name. */
  q?: string | undefined;
}

export function createReturnSearch(deps: { db: Db; customers: Pick<CustomersService, 'listCustomers'> }) {
  const { db } = deps;

  /** What `q` may name, each an exact indexed lookup. */
  async function resolve(text: string): Promise<ReturnMatch> {
    const number = /^#?(\d{1,12})$/.exec(text);
    const orderIds = number
      ? (await db.selectFrom('orders').select('id').where('number', '=', Number(number[1])).execute()).map(
          (r) => r.id,
        )
      : [];
    // An id pasted from elsewhere is matched as it is; it is not a customer's email, phone or name.
    const looksLikeId = /^[a-z]{2,5}_[0-9A-Za-z]{10,}$/.test(text);
    const customerIds = looksLikeId
      ? []
      : (await deps.customers.listCustomers({ q: text, limit: customersPerSearch })).data.map((c) => c.id);
    return {
      ids: looksLikeId ? [text] : [],
      orderIds: looksLikeId ? [...orderIds, text] : orderIds,
      customerIds,
    };
  }

  return {
    /**
     * Returns newest first, narrowed by the filters, each with its order's number; `q` finds them by what the
     * customer brings. Answers the customers the text matched too: finding them by email or phone is a read of
     * personal data, audited by the caller.
     * @example await search.listReturns({ q: 'ana@example.com', open: true })
     */
    async listReturns(
      filter: ReturnSearchFilter,
    ): Promise<Page<Return & { order_display_number: string }> & { customer_ids: string[] }> {
      const { q, ...rest } = filter;
      const text = q?.trim();
      const match = text ? await resolve(text) : undefined;
      const page = await listReturnRows(db, rest, match);
      // The desk names each return by its order's number, as the customer knows it: one query for the page.
      const orderIds = [...new Set(page.data.map((r) => r.order_id))];
      const numbers = new Map(
        orderIds.length
          ? (
              await db.selectFrom('orders').select(['id', 'number']).where('id', 'in', orderIds).execute()
            ).map((o) => [o.id, displayNumber(o.number)])
          : [],
      );
      return {
        data: page.data.map((r) => ({ ...r, order_display_number: numbers.get(r.order_id) ?? '' })),
        next_cursor: page.next_cursor,
        customer_ids: match?.customerIds ?? [],
      };
    },
  };
}

export type ReturnSearch = ReturnType<typeof createReturnSearch>;
