/**
 * @module The checks every cart write makes before its transaction, reporting every bad field at once: variants
 * (by SKU or id) that exist and are sold in the asking channel, pickup lines naming a known store, a customer
 * that exists (a merged-away id answers with its survivor), a channel with a currency (or the business default).
 */
import { AppError, type FieldError } from '../../platform/errors';
import type { ChannelsService } from '../channels';
import type { CatalogService } from '../catalog';
import type { CustomersService } from '../customers';
import type { LocationsService } from '../inventory';
import type { LineDeliveryMode } from './cart.repository';

export interface LineInput {
  sku?: string | undefined;
  variant_id?: string | undefined;
  quantity: number;
  delivery_mode?: LineDeliveryMode | undefined;
  location_id?: string | null | undefined;
}

export interface CheckedLine {
  variant_id: string;
  sku: string;
  quantity: number;
  delivery_mode: LineDeliveryMode;
  location_id: string | null;
}

export interface CartChecksDeps {
  channels: Pick<ChannelsService, 'channelExists' | 'retrieveChannel'>;
  catalog: CatalogService;
  customers: Pick<CustomersService, 'retrieveCustomer'>;
  locations: Pick<LocationsService, 'retrieveLocation'>;
  /** The business's currency (config.defaultCurrency), for channels that sell in none of their own. */
  defaultCurrency?: string | undefined;
}

export const invalid = (errors: FieldError[]) =>
  new AppError('validation_failed', errors.map((e) => `${e.field} ${e.message}`).join('; '), { errors });

const missing = (err: unknown) => err instanceof AppError && err.code === 'not_found';

export function createCartChecks(deps: CartChecksDeps) {
  return {
    /**
     * The channel's currency (`config.currency`); a channel that sells in none of its own (chat, email, phone:
     * an agent builds the cart there) takes the business's default. An error on `field` when the channel is
     * unknown, or when it has no currency and no default is configured.
     */
    async channelCurrency(channelId: string, field: string, errors: FieldError[]): Promise<string | null> {
      if (!(await deps.channels.channelExists(channelId))) {
        errors.push({ field, message: 'is not a known channel' });
        return null;
      }
      const currency = (await deps.channels.retrieveChannel(channelId)).config.currency;
      if (typeof currency === 'string' && /^[A-Z]{3}$/.test(currency)) return currency;
      if (deps.defaultCurrency) return deps.defaultCurrency;
      errors.push({ field, message: 'has no currency (set config.currency on the channel)' });
      return null;
    },

    /** The surviving profile of a customer id, or an error on `field`. */
    async customer(id: string, field: string, errors: FieldError[]): Promise<string | null> {
      try {
        const c = await deps.customers.retrieveCustomer(id);
        if (c.status === 'active') return c.id;
      } catch (err) {
        if (!missing(err)) throw err;
      }
      errors.push({ field, message: 'is not a known customer' });
      return null;
    },

    /**
     * Resolves lines to variants sold in `channelId`. `field(i, name)` names a line's field in errors.
     * @example await checks.lines([{ sku: 'TEE-M', quantity: 2 }], 'cha_web', (i, f) => `body.lines.${i}.${f}`, errors)
     */
    async lines(
      lines: LineInput[],
      channelId: string,
      field: (i: number, name: string) => string,
      errors: FieldError[],
    ): Promise<CheckedLine[]> {
      const bySku = new Map(
        (await deps.catalog.variants.retrieveVariantsBySku(lines.flatMap((l) => (l.sku ? [l.sku] : [])))).map(
          (v) => [v.sku, v],
        ),
      );
      const byId = new Map(
        (
          await deps.catalog.variants.retrieveVariants(
            lines.flatMap((l) => (l.variant_id ? [l.variant_id] : [])),
          )
        ).map((v) => [v.id, v]),
      );
      const visible = new Map<string, boolean>();
      const out: CheckedLine[] = [];
      for (const [i, line] of lines.entries()) {
        if (!line.sku === !line.variant_id) {
          errors.push({ field: field(i, 'sku'), message: 'give either sku or variant_id' });
          continue;
        }
        const variant = line.sku ? bySku.get(line.sku) : byId.get(line.variant_id!);
        if (!variant) {
          const name = line.sku ? 'sku' : 'variant_id';
          errors.push({ field: field(i, name), message: 'is not a known variant' });
          continue;
        }
        if (!visible.has(variant.product_id)) {
          const view = await deps.catalog.publication.retrieveChannelView(variant.product_id, channelId);
          visible.set(variant.product_id, view.visible);
        }
        if (!visible.get(variant.product_id)) {
          errors.push({
            field: field(i, line.sku ? 'sku' : 'variant_id'),
            message: 'is not sold in this channel (not published there, or not active)',
          });
          continue;
        }
        const mode = line.delivery_mode ?? 'ship';
        const locationId = line.location_id ?? null;
        if (mode === 'pickup' && !locationId)
          errors.push({ field: field(i, 'location_id'), message: 'is required for pickup' });
        if (locationId) await this.location(locationId, field(i, 'location_id'), errors);
        out.push({
          variant_id: variant.id,
          sku: variant.sku,
          quantity: line.quantity,
          delivery_mode: mode,
          location_id: locationId,
        });
      }
      return out;
    },

    async location(id: string, field: string, errors: FieldError[]): Promise<void> {
      try {
        await deps.locations.retrieveLocation(id);
      } catch (err) {
        if (!missing(err)) throw err;
        errors.push({ field, message: 'is not a known location' });
      }
    },
  };
}

export type CartChecks = ReturnType<typeof createCartChecks>;
