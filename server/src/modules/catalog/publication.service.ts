/**
 * @module Channel publication: which channels sell a product, and what a channel shows differently (title,
 * description, media, status) — each override an explicit row, listed with the product, so "the store shows a
 * different title than the web" is visible rather than implied.
 */
import type { Actor } from '../../platform/auth/principal';
import type { Dialect } from '../../platform/db/columns';
import type { Db } from '../../platform/db/database';
import { inTransaction, type Trx } from '../../platform/db/transaction';
import { AppError, notFound, type FieldError } from '../../platform/errors';
import type { EventBus } from '../../platform/events/outbox';
import { channelView, type ChannelView } from './channel-view';
import type { LocalizedText, Media } from './localized';
import { invalid } from './product.checks';
import {
  encodeOverride,
  findProductRow,
  loadProducts,
  overrideFields,
  type ChannelStatus,
  type OverrideField,
} from './product.repository';
import { checkLocalized } from './product.rules';
import { reindexProducts } from './search.index';

/** A value sets the override, null removes it (the channel shows the default again), absent leaves it. */
export interface OverridesPatch {
  title?: LocalizedText | null | undefined;
  description?: LocalizedText | null | undefined;
  media?: Media[] | null | undefined;
  status?: ChannelStatus | null | undefined;
}

export function createPublicationService(deps: {
  db: Db;
  dialect: Dialect;
  events: EventBus;
  /** The channels service's check: only channels that exist can sell. */
  channelExists: (id: string) => Promise<boolean>;
}) {
  const { db, dialect, events } = deps;

  /** Reports every unknown channel at once; runs before the transaction (another service's read). */
  async function checkChannels(ids: string[], field: string): Promise<void> {
    const errors: FieldError[] = [];
    for (const [i, id] of ids.entries()) {
      if (!(await deps.channelExists(id)))
        errors.push({ field: `${field}.${i}`, message: `${id} is not a known channel` });
    }
    if (errors.length > 0) throw invalid(errors);
  }

  async function productRow(trx: Trx, id: string) {
    const row = await findProductRow(trx, id);
    if (!row) throw notFound('product', id);
    return row;
  }

  async function view(productId: string, channelId: string): Promise<ChannelView> {
    const row = await findProductRow(db, productId);
    if (!row) throw notFound('product', productId);
    return channelView((await loadProducts(db, [row]))[0]!, channelId);
  }

  return {
    /** The product as one channel shows it, with what differs from the default. */
    retrieveChannelView: view,

    /**
     * Publishes a product to channels (already published ones stay as they are). An archived product cannot be
     * published: unarchive it first.
     * @example await publication.publish('prd_…', ['cha_web', 'cha_pos_madrid'], actor)
     */
    async publish(productId: string, channelIds: string[], actor: Actor): Promise<ChannelView[]> {
      const ids = [...new Set(channelIds)];
      await checkChannels(ids, 'body.channel_ids');
      await inTransaction(db, async (trx) => {
        const row = await productRow(trx, productId);
        if (row.status === 'archived')
          throw new AppError('unprocessable', 'An archived product cannot be published.', {
            errors: [{ field: 'status', message: 'is archived' }],
          });
        const now = Date.now();
        for (const channelId of ids) {
          // Only a real change is an event: publishing twice announces nothing the second time. RETURNING gives a
          // row only when the insert happened, the same way on both dialects.
          const inserted = await trx
            .insertInto('catalog_publications')
            .values({ product_id: productId, channel_id: channelId, published_at: now })
            .onConflict((oc) => oc.columns(['product_id', 'channel_id']).doNothing())
            .returning('channel_id')
            .executeTakeFirst();
          if (inserted) {
            await events.append(trx, {
              type: 'product.published',
              aggregate: { type: 'product', id: productId },
              channelId,
              actor,
              data: { id: productId, channel_id: channelId },
            });
          }
        }
      });
      return Promise.all(ids.map((c) => view(productId, c)));
    },

    /** Withdraws a product from channels; its overrides there are kept for when it returns. */
    async unpublish(productId: string, channelIds: string[], actor: Actor): Promise<ChannelView[]> {
      const ids = [...new Set(channelIds)];
      await inTransaction(db, async (trx) => {
        await productRow(trx, productId);
        for (const channelId of ids) {
          const deleted = await trx
            .deleteFrom('catalog_publications')
            .where('product_id', '=', productId)
            .where('channel_id', '=', channelId)
            .executeTakeFirst();
          if (Number(deleted.numDeletedRows) > 0) {
            await events.append(trx, {
              type: 'product.unpublished',
              aggregate: { type: 'product', id: productId },
              channelId,
              actor,
              data: { id: productId, channel_id: channelId },
            });
          }
        }
      });
      return Promise.all(ids.map((c) => view(productId, c)));
    },

    /**
     * Sets or removes a channel's overrides of a product.
     * @example await publication.setOverrides('prd_…', 'cha_pos', { title: { es: 'Camisa lino (tienda)' }, media: null }, actor)
     */
    async setOverrides(
      productId: string,
      channelId: string,
      patch: OverridesPatch,
      actor: Actor,
    ): Promise<ChannelView> {
      const errors: FieldError[] = [];
      checkLocalized(patch.title, 'body.title', errors);
      checkLocalized(patch.description, 'body.description', errors);
      if (errors.length > 0) throw invalid(errors);
      if (!(await deps.channelExists(channelId)))
        throw invalid([{ field: 'params.channel_id', message: `${channelId} is not a known channel` }]);
      await inTransaction(db, async (trx) => {
        await productRow(trx, productId);
        const set: OverrideField[] = [];
        const cleared: OverrideField[] = [];
        const now = Date.now();
        for (const field of overrideFields) {
          const value = patch[field];
          if (value === undefined) continue;
          if (value === null) {
            const deleted = await trx
              .deleteFrom('catalog_channel_overrides')
              .where('product_id', '=', productId)
              .where('channel_id', '=', channelId)
              .where('field', '=', field)
              .executeTakeFirst();
            if (Number(deleted.numDeletedRows) > 0) cleared.push(field);
            continue;
          }
          await trx
            .insertInto('catalog_channel_overrides')
            .values({
              product_id: productId,
              channel_id: channelId,
              field,
              value: encodeOverride(value),
              updated_at: now,
            })
            .onConflict((oc) =>
              oc
                .columns(['product_id', 'channel_id', 'field'])
                .doUpdateSet({ value: encodeOverride(value), updated_at: now }),
            )
            .execute();
          set.push(field);
        }
        if (
          set.includes('title') ||
          set.includes('description') ||
          cleared.includes('title') ||
          cleared.includes('description')
        )
          await reindexProducts(trx, dialect, [productId]);
        if (set.length + cleared.length > 0) {
          await events.append(trx, {
            type: 'product.channel_overrides_changed',
            aggregate: { type: 'product', id: productId },
            channelId,
            actor,
            data: { id: productId, channel_id: channelId, set, cleared },
          });
        }
      });
      return view(productId, channelId);
    },
  };
}

export type PublicationService = ReturnType<typeof createPublicationService>;
