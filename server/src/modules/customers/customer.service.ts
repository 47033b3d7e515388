/**
 * @module Customer profiles: read (a merged-away id answers with its survivor), list and find, and rectify.
 * Reads of a profile are personal-data reads and are audited by the routes.
 */
import { AppError, notFound } from '../../platform/errors';
import { sql } from 'kysely';
import { decodeJson, encodeJson } from '../../platform/db/codecs';
import type { Db } from '../../platform/db/database';
import type { Dialect } from '../../platform/db/columns';
import { inTransaction } from '../../platform/db/transaction';
import { paginate, type Page, type PageRequest } from '../../platform/http/pagination';
import type { Actor } from '../../platform/auth/principal';
import type { EventBus } from '../../platform/events/outbox';
import {
  customerFromRow,
  identifiersOf,
  idsByNamePrefix,
  lockCustomerRows,
  nameSearchColumns,
  survivorOf,
  type Customer,
} from './customer.repository';
import { normalizeAll, type IdentityOptions } from './identity.service';

export interface RectifyInput {
  first_name?: string | null | undefined;
  last_name?: string | null | undefined;
  locale?: string | null | undefined;
  timezone?: string | null | undefined;
  addresses?: Array<Record<string, unknown>> | undefined;
  traits?: Record<string, unknown> | undefined;
}

export function createCustomersService(deps: {
  db: Db;
  dialect: Dialect;
  events: EventBus;
  identityOptions?: IdentityOptions;
}) {
  const { db, events } = deps;

  async function load(id: string): Promise<{ customer: Customer; requestedId: string }> {
    const row = await survivorOf(db, id);
    if (!row) throw notFound('customer', id);
    if (row.status === 'erased') throw new AppError('not_found', `Customer ${id} was erased.`);
    return { customer: customerFromRow(row, await identifiersOf(db, [row.id])), requestedId: id };
  }

  return {
    /**
     * The profile for an id; for a merged-away id, the survivor (`merged_from` says which id was asked for).
     * @example const { customer, merged_from } = await customers.retrieveCustomer('cus_01…')
     */
    async retrieveCustomer(id: string): Promise<Customer & { merged_from: string | null }> {
      const { customer, requestedId } = await load(id);
      return { ...customer, merged_from: customer.id === requestedId ? null : requestedId };
    },

    /**
     * Active profiles newest first; `q` finds by any identifier value (exact, normalized) or, when no identifier
     * matches, by the start of a name, ignoring case and accents ("alva" finds Álvaro, "ива" finds Иванов).
     * @example await customers.listCustomers({ q: 'garcía alv', limit: 20 })
     */
    async listCustomers(filter: PageRequest & { q?: string | undefined }): Promise<Page<Customer>> {
      let query = db.selectFrom('customers').selectAll().where('status', '=', 'active');
      const q = filter.q?.trim();
      if (q) {
        const values = new Set<string>([q]);
        for (const type of ['email', 'phone']) {
          try {
            values.add(normalizeAll([{ type, value: q }], deps.identityOptions ?? {})[0]!.value);
          } catch {
            // not an email or phone: the raw text still matches other identifier types and names
          }
        }
        // An identifier is an exact, indexed lookup: when it hits, that is the answer. Only otherwise are names
        // searched — OR-ing both made the database walk every profile to find one email.
        const byIdentifier = await db
          .selectFrom('customer_identifiers')
          .select('customer_id')
          .where('value', 'in', [...values])
          .execute();
        if (byIdentifier.length > 0) {
          query = query.where('id', 'in', [...new Set(byIdentifier.map((r) => r.customer_id))]);
        } else {
          // Names are matched on their folded search keys, so "alva", "Álva" and "ÁLVA" all find Álvaro.
          const byName = idsByNamePrefix(db, deps.dialect, q);
          query = byName ? query.where('id', 'in', byName) : query.where(sql<boolean>`1 = 0`);
        }
      }
      const page = await paginate(query, 'id', filter, (row) => row);
      const identifiers = await identifiersOf(
        db,
        page.data.map((r) => r.id),
      );
      return {
        data: page.data.map((row) =>
          customerFromRow(
            row,
            identifiers.filter((i) => i.customer_id === row.id),
          ),
        ),
        next_cursor: page.next_cursor,
      };
    },

    /** Rectification: staff or the customer correct profile data. Follows a merged id to its survivor. */
    async updateCustomer(id: string, patch: RectifyInput, actor: Actor): Promise<Customer> {
      const { customer } = await load(id);
      await inTransaction(db, async (trx) => {
        // Read again under a lock: the name keys and the merged traits are computed from the row as it is now.
        const [row] = await lockCustomerRows(trx, deps.dialect, [customer.id]);
        if (!row || row.status !== 'active')
          throw new AppError('conflict', `Customer ${id} was merged or erased meanwhile; read it again.`);
        const names = {
          first_name: patch.first_name !== undefined ? patch.first_name : row.first_name,
          last_name: patch.last_name !== undefined ? patch.last_name : row.last_name,
        };
        const traits = decodeJson<Record<string, unknown>>(row.traits) ?? {};
        await trx
          .updateTable('customers')
          .set({
            ...names,
            ...nameSearchColumns(names.first_name, names.last_name),
            ...(patch.locale !== undefined ? { locale: patch.locale } : {}),
            ...(patch.timezone !== undefined ? { timezone: patch.timezone } : {}),
            ...(patch.addresses !== undefined ? { addresses: encodeJson(patch.addresses) } : {}),
            ...(patch.traits !== undefined ? { traits: encodeJson({ ...traits, ...patch.traits }) } : {}),
            updated_at: Date.now(),
          })
          .where('id', '=', customer.id)
          .execute();
        const fields = Object.keys(patch).filter((k) => patch[k as keyof RectifyInput] !== undefined);
        await events.append(trx, {
          type: 'customer.updated',
          aggregate: { type: 'customer', id: customer.id },
          customerId: customer.id,
          actor,
          data: { id: customer.id, fields },
        });
      });
      return (await load(customer.id)).customer;
    },

    async identityLog(id: string, page: PageRequest) {
      const { customer } = await load(id);
      const q = db
        .selectFrom('identity_log')
        .selectAll()
        .where((eb) =>
          eb.or([eb('customer_id', '=', customer.id), eb('other_customer_id', '=', customer.id)]),
        );
      return paginate(q, 'id', page, (row) => ({
        id: row.id,
        kind: row.kind,
        customer_id: row.customer_id,
        other_customer_id: row.other_customer_id,
        reason: row.reason,
        undone: row.undone_by !== null,
        occurred_at: new Date(row.occurred_at).toISOString(),
      }));
    },
  };
}

export type CustomersService = ReturnType<typeof createCustomersService>;
