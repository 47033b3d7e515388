/**
 * @module Price lists: override or sale prices for some channels, segments (customer groups are segments) and a
 * time window, ranked by priority. A list may be created with its prices, all or nothing.
 */
import { notFound, type FieldError } from '../../platform/errors';
import { encodeBool, encodeJson } from '../../platform/db/codecs';
import type { Db } from '../../platform/db/database';
import { inTransaction, type Trx } from '../../platform/db/transaction';
import { newId } from '../../platform/ids';
import type { Page, PageRequest } from '../../platform/http/pagination';
import type { Actor } from '../../platform/auth/principal';
import {
  countPrices,
  deletePriceListRow,
  findPriceListRow,
  insertPriceList,
  insertPrices,
  listPriceListRows,
  priceListFromRow,
  updatePriceListRow,
  type PriceList,
  type PriceListStatus,
  type PriceListType,
} from './price.repository';

import {
  createPriceChecks,
  epoch,
  invalid,
  type PriceListInput,
  type PriceListPatch,
  type PricesDeps,
} from './price.checks';

export function createPriceListCrud(deps: PricesDeps) {
  const { db, events } = deps;
  const { checkListSettings, checkPrices } = createPriceChecks(deps);

  const listOf = async (
    row: Awaited<ReturnType<typeof findPriceListRow>>,
    trx: Db | Trx = db,
  ): Promise<PriceList> => priceListFromRow(row!, (await countPrices(trx, [row!.id])).get(row!.id) ?? 0);

  return {
    async listPriceLists(
      filter: PageRequest & { status?: PriceListStatus | undefined; type?: PriceListType | undefined },
    ): Promise<Page<PriceList>> {
      const page = await listPriceListRows(db, filter);
      const counts = await countPrices(
        db,
        page.data.map((r) => r.id),
      );
      return {
        data: page.data.map((r) => priceListFromRow(r, counts.get(r.id) ?? 0)),
        next_cursor: page.next_cursor,
      };
    },

    async retrievePriceList(id: string): Promise<PriceList> {
      const row = await findPriceListRow(db, id);
      if (!row) throw notFound('price list', id);
      return listOf(row);
    },

    /**
     * Creates a price list, with its prices when given (all or nothing).
     * @example await prices.createPriceList({ name: 'Madrid stores', channel_ids: ['cha_…'], priority: 10,
     *   prices: [{ variant_id: 'var_…', currency: 'EUR', amount: 2499 }] }, actor)
     */
    async createPriceList(input: PriceListInput, actor: Actor): Promise<PriceList> {
      const errors: FieldError[] = [];
      await checkListSettings(input, null, errors);
      const id = newId('prl');
      const priceInputs = (input.prices ?? []).map((p) => ({ ...p, price_list_id: id }));
      const flags = await checkPrices(priceInputs, (i, f) => `body.prices.${i}.${f}`, errors, {
        knownListIds: new Set([id]),
      });
      if (errors.length) throw invalid(errors);
      const now = Date.now();
      const row = {
        id,
        name: input.name.trim(),
        description: input.description ?? null,
        type: input.type ?? 'override',
        status: input.status ?? 'active',
        channel_ids: encodeJson([...new Set(input.channel_ids ?? [])]),
        segment_ids: encodeJson([...new Set(input.segment_ids ?? [])]),
        starts_at: epoch(input.starts_at),
        ends_at: epoch(input.ends_at),
        priority: input.priority ?? 0,
        created_at: now,
        updated_at: now,
      };
      const priceRows = priceInputs.map((p, i) => ({
        id: newId('pri'),
        variant_id: p.variant_id,
        currency: p.currency,
        amount: p.amount,
        tax_inclusive: encodeBool(flags[i]!),
        price_list_id: id,
        created_at: now,
        updated_at: now,
      }));
      await inTransaction(db, async (trx) => {
        await insertPriceList(trx, row);
        await insertPrices(trx, priceRows);
        await events.append(trx, {
          type: 'price_list.created',
          aggregate: { type: 'price_list', id },
          actor,
          data: {
            id,
            type: row.type,
            status: row.status,
            channel_ids: input.channel_ids ?? [],
            segment_ids: input.segment_ids ?? [],
            price_count: priceRows.length,
          },
        });
      });
      return priceListFromRow(row, priceRows.length);
    },

    /** Changes a list's settings; its type is fixed once created. */
    async updatePriceList(id: string, patch: PriceListPatch, actor: Actor): Promise<PriceList> {
      const current = await findPriceListRow(db, id);
      if (!current) throw notFound('price list', id);
      const errors: FieldError[] = [];
      await checkListSettings(
        patch,
        {
          starts_at: current.starts_at == null ? null : Number(current.starts_at),
          ends_at: current.ends_at == null ? null : Number(current.ends_at),
        },
        errors,
      );
      if (errors.length) throw invalid(errors);
      return inTransaction(db, async (trx) => {
        const changed = await updatePriceListRow(trx, id, {
          ...(patch.name !== undefined ? { name: patch.name.trim() } : {}),
          ...(patch.description !== undefined ? { description: patch.description } : {}),
          ...(patch.status !== undefined ? { status: patch.status } : {}),
          ...(patch.channel_ids !== undefined
            ? { channel_ids: encodeJson([...new Set(patch.channel_ids)]) }
            : {}),
          ...(patch.segment_ids !== undefined
            ? { segment_ids: encodeJson([...new Set(patch.segment_ids)]) }
            : {}),
          ...(patch.starts_at !== undefined ? { starts_at: epoch(patch.starts_at) } : {}),
          ...(patch.ends_at !== undefined ? { ends_at: epoch(patch.ends_at) } : {}),
          ...(patch.priority !== undefined ? { priority: patch.priority } : {}),
          updated_at: Date.now(),
        });
        if (!changed) throw notFound('price list', id);
        const fields = Object.keys(patch).filter((k) => patch[k as keyof PriceListPatch] !== undefined);
        await events.append(trx, {
          type: 'price_list.updated',
          aggregate: { type: 'price_list', id },
          actor,
          data: { id, fields },
        });
        return listOf(await findPriceListRow(trx, id), trx);
      });
    },

    /** Deletes a list and its prices. */
    async deletePriceList(id: string, actor: Actor): Promise<void> {
      await inTransaction(db, async (trx) => {
        if (!(await deletePriceListRow(trx, id))) throw notFound('price list', id);
        await events.append(trx, {
          type: 'price_list.deleted',
          aggregate: { type: 'price_list', id },
          actor,
          data: { id },
        });
      });
    },
  };
}
