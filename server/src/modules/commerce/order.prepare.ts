/**
 * @module Checking an order before anything is written: the channel, customer, SKUs, locations and reservations
 * it names must exist and agree, amounts must add up. It reads through the other modules' services, so it runs
 * before the order's transaction (on SQLite a read through the root connection inside it would wait for ever).
 */
import { AppError, type FieldError } from '../../platform/errors';
import type { CommerceDeps } from './commerce';
import type { CapturePolicy, LineDeliveryMode, OrderSource } from './order.repository';

export interface CreateOrderLineInput {
  sku: string;
  /** Title snapshot; default: the catalog variant's product title. */
  title?: string | undefined;
  quantity: number;
  /** Minor units of the order's currency, as the caller priced them. */
  unit_price: number;
  discount?: number | undefined;
  tax?: number | undefined;
  /** Default unit price × quantity − discount + tax (tax-exclusive pricing); give it for tax-inclusive prices. */
  total?: number | undefined;
  /**
   * `source_location_id`: pickup after transfer — the units are reserved there and travel to `location_id`.
   */
  delivery: { mode: LineDeliveryMode; location_id: string; source_location_id?: string | undefined };
  /** Inventory reservations already holding this line's units (checkout); none: the order reserves them. */
  reservation_ids?: string[] | undefined;
}

export interface CreateOrderInput {
  channel_id: string;
  /** Null or omitted: a walk-in sale without a known customer. */
  customer_id?: string | null | undefined;
  source: OrderSource;
  /** Default: the channel's currency (`channel.config.currency`). */
  currency?: string | undefined;
  lines: CreateOrderLineInput[];
  shipping?: number | undefined;
  capture_policy?: CapturePolicy | undefined;
  email?: string | undefined;
  phone?: string | undefined;
  shipping_address?: Record<string, unknown> | undefined;
  billing_address?: Record<string, unknown> | undefined;
  /** Marketplace import: the marketplace's order id (a second import of it is the same order). */
  external_id?: string | undefined;
  /** The money was collected elsewhere (a marketplace): the order is placed paid. */
  paid_externally?: boolean | undefined;
}

export interface PreparedLine {
  sku: string;
  variant_id: string;
  title: string;
  quantity: number;
  unit_price: number;
  discount: number;
  tax: number;
  total: number;
  mode: LineDeliveryMode;
  location_id: string;
  /** Pickup after transfer: where the units are reserved until they travel to `location_id`. */
  source_location_id: string | null;
  reservation_ids: string[];
}

/** An order checked against the other modules: what createOrder writes, in the caller's transaction. */
export interface PreparedOrder {
  readonly prepared: true;
  channel_id: string;
  customer_id: string | null;
  source: OrderSource;
  currency: string;
  lines: PreparedLine[];
  totals: { subtotal: number; discount: number; shipping: number; tax: number; total: number };
  capture_policy: CapturePolicy;
  email: string | null;
  phone: string | null;
  shipping_address: Record<string, unknown> | null;
  billing_address: Record<string, unknown> | null;
  external_id: string | null;
  paid_externally: boolean;
}

export function invalid(errors: FieldError[]): AppError {
  return new AppError('validation_failed', errors.map((e) => `${e.field} ${e.message}`).join('; '), {
    errors,
  });
}

type PrepareDeps = Pick<CommerceDeps, 'channels' | 'customers' | 'catalog' | 'locations' | 'reservations'>;

/** Lines alone (order edits check them the same way). `field` is where the lines sit in the request body. */
export async function prepareLines(
  deps: PrepareDeps,
  channelId: string,
  lines: CreateOrderLineInput[],
  field = 'body.lines',
): Promise<{ lines: PreparedLine[]; errors: FieldError[] }> {
  const errors: FieldError[] = [];
  const skus = [...new Set(lines.map((l) => l.sku))];
  const variants = new Map(
    (await deps.catalog.variants.retrieveVariantsBySku(skus)).map((v) => [v.sku, v] as const),
  );
  // Lines without a title take their product's: one read for all of them, not a whole product per line.
  const untitled = new Set<string>();
  for (const l of lines) {
    const productId = variants.get(l.sku)?.product_id;
    if (!l.title && productId) untitled.add(productId);
  }
  const titles = untitled.size > 0 ? await deps.catalog.products.productTitles([...untitled]) : new Map();
  const locationOk = new Map<string, boolean>();
  for (const id of new Set(lines.map((l) => l.delivery.location_id))) {
    locationOk.set(
      id,
      await deps.locations.retrieveLocation(id).then(
        (l) => l.active,
        () => false,
      ),
    );
  }
  const prepared: PreparedLine[] = [];
  for (const [i, line] of lines.entries()) {
    const at = `${field}.${i}`;
    const variant = variants.get(line.sku);
    if (!variant) errors.push({ field: `${at}.sku`, message: 'is not a known SKU' });
    if (!Number.isInteger(line.quantity) || line.quantity <= 0)
      errors.push({ field: `${at}.quantity`, message: 'must be a whole number above 0' });
    for (const k of ['unit_price', 'discount', 'tax', 'total'] as const) {
      const v = line[k];
      if (v !== undefined && (!Number.isInteger(v) || v < 0))
        errors.push({ field: `${at}.${k}`, message: 'must be a whole amount in minor units, not negative' });
    }
    if (!locationOk.get(line.delivery.location_id))
      errors.push({ field: `${at}.delivery.location_id`, message: 'is not a known active location' });
    const discount = line.discount ?? 0;
    const tax = line.tax ?? 0;
    const total = line.total ?? line.unit_price * line.quantity - discount + tax;
    if (total < 0) errors.push({ field: `${at}.discount`, message: 'is more than the line is worth' });
    const reservationIds = line.reservation_ids ?? [];
    if (reservationIds.length > 0) errors.push(...(await checkReservations(deps, channelId, line, at)));
    const productTitle = variant ? titles.get(variant.product_id) : undefined;
    const title = line.title || (productTitle ? firstText(productTitle) : variant?.sku);
    prepared.push({
      sku: line.sku,
      variant_id: variant?.id ?? '',
      title: title ?? line.sku,
      quantity: line.quantity,
      unit_price: line.unit_price,
      discount,
      tax,
      total,
      mode: line.delivery.mode,
      location_id: line.delivery.location_id,
      source_location_id: line.delivery.source_location_id ?? null,
      reservation_ids: reservationIds,
    });
  }
  return { lines: prepared, errors };
}

/** A localized title in the first language it has. */
function firstText(text: Record<string, string> | string | null | undefined): string {
  if (!text) return '';
  return typeof text === 'string' ? text : (Object.values(text)[0] ?? '');
}

/** The reservations a line names must be the channel's, of its SKU and location, still holding its quantity. */
async function checkReservations(
  deps: PrepareDeps,
  channelId: string,
  line: CreateOrderLineInput,
  at: string,
): Promise<FieldError[]> {
  let units = 0;
  for (const [n, id] of (line.reservation_ids ?? []).entries()) {
    const r = await deps.reservations.retrieveReservation(id).catch(() => null);
    const field = `${at}.reservation_ids.${n}`;
    if (!r) return [{ field, message: 'is not a known reservation' }];
    const heldAt = line.delivery.source_location_id ?? line.delivery.location_id;
    if (r.channel_id !== channelId || r.sku !== line.sku || r.location_id !== heldAt)
      return [{ field, message: "is not for this line's channel, SKU and location" }];
    if (r.status !== 'active' && r.status !== 'confirmed')
      return [{ field, message: `is ${r.status}: its units are no longer held` }];
    units += r.quantity;
  }
  return units === line.quantity
    ? []
    : [{ field: `${at}.reservation_ids`, message: `hold ${units} units, the line has ${line.quantity}` }];
}

/**
 * Checks an order against the channel, customer, catalog, locations and reservations it names; every problem is
 * reported at once, naming its field.
 * @example const prepared = await prepareOrder(deps, { channel_id: 'cha_…', source: 'phone', customer_id: 'cus_…',
 *   lines: [{ sku: 'TEE-M', quantity: 1, unit_price: 1999, delivery: { mode: 'ship', location_id: 'loc_…' } }] })
 */
export async function prepareOrder(deps: PrepareDeps, input: CreateOrderInput): Promise<PreparedOrder> {
  const errors: FieldError[] = [];
  const channel = await deps.channels.retrieveChannel(input.channel_id).catch(() => null);
  if (!channel) errors.push({ field: 'body.channel_id', message: 'is not a known channel' });
  const customerId = input.customer_id ?? null;
  if (customerId) {
    const customer = await deps.customers.retrieveCustomer(customerId).catch(() => null);
    if (!customer) errors.push({ field: 'body.customer_id', message: 'is not a known customer' });
  }
  const configured = channel?.config.currency;
  const currency = input.currency ?? (typeof configured === 'string' ? configured : undefined);
  if (!currency) errors.push({ field: 'body.currency', message: 'is required: the channel has no currency' });
  else if (typeof configured === 'string' && configured !== currency)
    errors.push({ field: 'body.currency', message: `must be the channel's currency ${configured}` });
  if (input.lines.length === 0) errors.push({ field: 'body.lines', message: 'must not be empty' });
  const shipping = input.shipping ?? 0;
  if (!Number.isInteger(shipping) || shipping < 0)
    errors.push({ field: 'body.shipping', message: 'must be a whole amount in minor units, not negative' });
  if (input.source !== 'pos' && input.lines.some((l) => l.delivery.mode === 'handover'))
    errors.push({ field: 'body.lines', message: 'handover (taken at the till) is for POS sales only' });
  if (!customerId && input.source !== 'pos' && input.source !== 'marketplace' && !input.email)
    errors.push({ field: 'body.customer_id', message: 'or an email is required outside a walk-in sale' });
  const { lines, errors: lineErrors } = await prepareLines(deps, input.channel_id, input.lines);
  errors.push(...lineErrors);
  if (errors.length > 0) throw invalid(errors);
  return {
    prepared: true,
    channel_id: input.channel_id,
    customer_id: customerId,
    source: input.source,
    currency: currency!,
    lines,
    totals: totalsOf(lines, shipping),
    capture_policy: input.capture_policy ?? 'immediate',
    email: input.email ?? null,
    phone: input.phone ?? null,
    shipping_address: input.shipping_address ?? null,
    billing_address: input.billing_address ?? null,
    external_id: input.external_id ?? null,
    paid_externally: input.paid_externally ?? false,
  };
}

/** The order's totals are the sums of its lines plus shipping: integers, nothing rounded here. */
export function totalsOf(lines: PreparedLine[], shipping: number): PreparedOrder['totals'] {
  const sum = (f: (l: PreparedLine) => number) => lines.reduce((n, l) => n + f(l), 0);
  return {
    subtotal: sum((l) => l.unit_price * l.quantity),
    discount: sum((l) => l.discount),
    shipping,
    tax: sum((l) => l.tax),
    total: sum((l) => l.total) + shipping,
  };
}
