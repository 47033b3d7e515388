/**
 * @module POS sales: lines scanned at a store (or a customer's online cart pulled up at the till) sold through the
 * store's channel with split tender, through checkout's own steps — price, reserve, pay, place — so a failed tender
 * gives back the others and releases the stock. Lines taken at the till are handed over at once (a `sale` movement
 * leaves the ledger); "endless aisle" lines ship from wherever sourcing finds the units. The route requires an
 * Idempotency-Key, so a retried sale never doubles. `previewSale` prices the same sale with the same step before
 * any tender, and the sale's `expected_total` refuses a total that moved in between (409, nothing held or charged).
 */
import type { Actor } from '../../platform/auth/principal';
import { AppError, type FieldError } from '../../platform/errors';
import { newId } from '../../platform/ids';
import type { CatalogService } from '../catalog';
import type { CustomersService } from '../customers';
import type { LocationsService } from '../inventory';
import type { Cart, CartAddress, CartLine } from './cart.repository';
import type { CartsService } from './cart.service';
import type { CartPricing } from './pricing';
import type { ResolvedLine } from './checkout.delivery';
import {
  payStep,
  placeStep,
  priceStep,
  reserveStep,
  type CheckoutState,
  type CheckoutTender,
  type StepsDeps,
} from './checkout.steps';
import { runWorkflow, type Step } from './checkout.workflow';
import type { FulfilmentsService } from './fulfilment.service';
import type { OrderDetail } from './order.service';

export interface PosLineInput {
  sku: string;
  quantity: number;
  /** handover (default): the customer takes it now; ship: endless aisle, sent from another location. */
  mode?: 'handover' | 'ship' | undefined;
}

export interface PosSaleInput {
  location_id: string;
  customer_id?: string | undefined;
  /** A customer's online cart pulled up at the till: its lines are sold here and handed over. */
  cart_id?: string | undefined;
  lines?: PosLineInput[] | undefined;
  /** Required for endless-aisle lines. */
  shipping_address?: CartAddress | undefined;
  tenders: CheckoutTender[];
  /** The total the till showed (from `previewSale`); another total now → 409 checkout_price_changed, nothing taken. */
  expected_total?: { amount: number; currency: string } | undefined;
}

/** What `previewSale` needs: the sale without its tenders. */
export type PosPreviewInput = Omit<PosSaleInput, 'tenders' | 'expected_total'>;

export interface PosSale {
  order: OrderDetail;
  /** Cash to give back (sum of the cash tenders' change). */
  change_due: { amount: number; currency: string };
}

export const posProviders = ['cash', 'card_terminal', 'gift_card', 'store_credit'];

export interface PosDeps extends StepsDeps {
  carts: CartsService;
  catalog: CatalogService;
  customers: Pick<CustomersService, 'retrieveCustomer'>;
  locations: Pick<LocationsService, 'retrieveLocation'>;
  fulfilments: FulfilmentsService;
}

const invalid = (errors: FieldError[]) =>
  new AppError('validation_failed', errors.map((e) => `${e.field} ${e.message}`).join('; '), { errors });

export function createPosService(deps: PosDeps) {
  /** The sale as a cart only this request sees (priced by the same priceCart), or the customer's own cart. */
  async function saleCart(
    input: PosPreviewInput,
    channelId: string,
    checkoutId: string,
    errors: FieldError[],
  ) {
    const now = new Date().toISOString();
    if (input.cart_id) {
      const cart = await deps.carts.retrieveCart(input.cart_id).catch(() => null);
      if (!cart || cart.status !== 'open') {
        errors.push({ field: 'body.cart_id', message: 'is not an open cart' });
        return null;
      }
      // At the till everything in the cart is handed over here.
      const lines = cart.lines.map((l) => ({
        ...l,
        delivery_mode: 'pickup' as const,
        location_id: input.location_id,
      }));
      return { cart: { ...cart, lines }, persisted: true, modes: lines.map(() => 'handover' as const) };
    }
    const given = input.lines ?? [];
    if (given.length === 0)
      errors.push({ field: 'body.lines', message: 'must not be empty (or give cart_id)' });
    const variants = new Map(
      (await deps.catalog.variants.retrieveVariantsBySku(given.map((l) => l.sku))).map((v) => [v.sku, v]),
    );
    const lines: CartLine[] = [];
    given.forEach((l, i) => {
      const v = variants.get(l.sku);
      if (!v) return errors.push({ field: `body.lines.${i}.sku`, message: 'is not a known SKU' });
      const ship = l.mode === 'ship';
      lines.push({
        id: `${checkoutId}-${i}`,
        variant_id: v.id,
        sku: v.sku,
        quantity: l.quantity,
        // Priced as a pickup at this store (its address, no shipping) when it leaves over the counter.
        delivery_mode: ship ? 'ship' : 'pickup',
        location_id: ship ? null : input.location_id,
        created_at: now,
        updated_at: now,
      });
    });
    if (given.some((l) => l.mode === 'ship') && !input.shipping_address)
      errors.push({
        field: 'body.shipping_address',
        message: 'is required for lines shipped (endless aisle)',
      });
    const cart: Cart = {
      id: checkoutId,
      status: 'open',
      currency: '',
      channel_id: channelId,
      last_channel_id: channelId,
      channel_ids: [channelId],
      customer_id: input.customer_id ?? null,
      anonymous_id: null,
      email: null,
      shipping_address: input.shipping_address ?? null,
      shipping_method: 'standard',
      promotion_codes: [],
      merged_into: null,
      lines,
      created_at: now,
      updated_at: now,
    };
    return {
      cart,
      persisted: false,
      modes: given.map((l) => (l.mode === 'ship' ? ('ship' as const) : ('handover' as const))),
    };
  }

  /**
   * Checks the store, the customer and the lines, and builds the sale's cart; `errors` may already hold the
   * tenders' field errors, and every error found is thrown together.
   */
  async function prepareSale(input: PosPreviewInput, errors: FieldError[]) {
    const store = await deps.locations.retrieveLocation(input.location_id).catch(() => null);
    if (!store?.active) errors.push({ field: 'body.location_id', message: 'is not a known active location' });
    else if (!store.channel_id)
      errors.push({ field: 'body.location_id', message: 'has no store channel to sell through' });
    if (input.customer_id && !(await deps.customers.retrieveCustomer(input.customer_id).catch(() => null)))
      errors.push({ field: 'body.customer_id', message: 'is not a known customer' });
    const checkoutId = newId('chk');
    const channelId = store?.channel_id ?? '';
    const sale = errors.length === 0 ? await saleCart(input, channelId, checkoutId, errors) : null;
    if (errors.length > 0 || !sale) throw invalid(errors);
    if (input.customer_id && !sale.cart.customer_id)
      sale.cart = { ...sale.cart, customer_id: input.customer_id };
    return { sale, channelId, checkoutId };
  }

  /**
   * What the sale would charge now — lines, discounts, tax, total — priced by the same priceCart step the sale
   * runs, so a sale sent with this `grand_total` as `expected_total` charges exactly it (or answers 409 with the
   * new pricing when a price changed in between). Nothing is held or written.
   * @example (await pos.previewSale({ location_id: 'loc_…', lines: [{ sku: 'TEE-M', quantity: 2 }] })).grand_total
   */
  async function previewSale(input: PosPreviewInput): Promise<CartPricing> {
    const { sale, channelId } = await prepareSale(input, []);
    return deps.pricing.priceCart(sale.cart, { channelId });
  }

  /**
   * Rings up a sale at a store.
   * @example await pos.createSale({ location_id: 'loc_…', lines: [{ sku: 'TEE-M', quantity: 1 }],
   *   tenders: [{ provider: 'cash', amount: 2000, method: { tendered: 5000 } }] }, actor)
   */
  async function createSale(input: PosSaleInput, actor: Actor): Promise<PosSale> {
    const errors: FieldError[] = [];
    input.tenders.forEach((t, i) => {
      if (!posProviders.includes(t.provider))
        errors.push({
          field: `body.tenders.${i}.provider`,
          message: `must be one of ${posProviders.join(', ')}`,
        });
    });
    const { sale, channelId, checkoutId } = await prepareSale(input, errors);

    const locate: Step<CheckoutState> = {
      name: 'locate',
      async run(s) {
        const resolved: ResolvedLine[] = s.cart.lines.map((line) => ({
          line,
          location_id: line.delivery_mode === 'ship' ? null : input.location_id,
          promise: null,
        }));
        return { result: { resolved } };
      },
    };
    const outcome = await runWorkflow<CheckoutState>(
      [
        locate,
        priceStep(deps, input.expected_total),
        reserveStep(deps, async () => undefined),
        payStep(deps, { tenders: input.tenders }),
        placeStep(deps),
      ],
      {
        checkout_id: checkoutId,
        channel_id: channelId,
        source: 'pos',
        actor,
        cart: sale.cart,
        persisted: sale.persisted,
        email: sale.cart.email,
        resolved: [],
        modes: new Map(sale.cart.lines.map((l, i) => [l.id, sale.modes[i]!])),
        pricing: undefined as never,
        held: new Map(),
        payments: [],
        order: null,
      },
    );
    const s = outcome.state;
    if (outcome.status === 'suspended' || !s.order)
      throw new AppError('conflict', 'A POS tender must settle at the till.', {
        payments: s.payments.map((p) => p.id),
      });
    // The goods leave over the counter now: each handover fulfilment becomes sales in the ledger.
    const placed = await deps.orders.retrieveOrder(s.order.id);
    for (const f of placed.fulfilments.filter((f) => f.mode === 'handover'))
      await deps.fulfilments.advance(f.id, 'hand_over', actor);
    const change = s.payments.reduce(
      (n, p) => n + (p.provider === 'cash' ? Number(p.details.change_due ?? 0) : 0),
      0,
    );
    return {
      order: await deps.orders.retrieveOrder(s.order.id),
      change_due: { amount: change, currency: s.pricing.currency },
    };
  }

  return { createSale, previewSale };
}

export type PosService = ReturnType<typeof createPosService>;
