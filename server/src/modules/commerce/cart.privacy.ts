/**
 * @module Privacy handler for carts: a cart holds its customer's id, email and shipping address, and resume
 * links name the customer. Export lists them; erasure removes the email and address, unlinks the carts from the
 * person (the lines stay: goods, not people, and orders refer to carts by id) and deletes the resume links.
 */
import { decodeJson, toIsoRequired } from '../../platform/db/codecs';
import type { PrivacyHandler } from '../../platform/privacy/privacy';

const none = (ids: string[]) => (ids.length ? ids : ['']);

export const cartPrivacyHandler: PrivacyHandler = {
  name: 'carts',
  tables: ['commerce_carts', 'commerce_cart_lines', 'commerce_cart_resumes'],

  async export(db, subject) {
    const carts = await db
      .selectFrom('commerce_carts')
      .selectAll()
      .where('customer_id', 'in', none(subject.customerIds))
      .orderBy('id')
      .execute();
    const ids = carts.map((c) => c.id);
    const lines = await db
      .selectFrom('commerce_cart_lines')
      .select(['cart_id', 'sku', 'quantity', 'delivery_mode', 'location_id'])
      .where('cart_id', 'in', none(ids))
      .orderBy('id')
      .execute();
    const links = await db
      .selectFrom('commerce_cart_resumes')
      .select(['id', 'cart_id', 'expires_at', 'created_at'])
      .where('customer_id', 'in', none(subject.customerIds))
      .orderBy('id')
      .execute();
    return {
      carts: carts.map((c) => ({
        id: c.id,
        status: c.status,
        channel_id: c.channel_id,
        channel_ids: decodeJson<string[]>(c.channel_ids),
        email: c.email,
        shipping_address: decodeJson(c.shipping_address),
        lines: lines.filter((l) => l.cart_id === c.id).map((l) => ({ ...l, quantity: Number(l.quantity) })),
        created_at: toIsoRequired(Number(c.created_at)),
        updated_at: toIsoRequired(Number(c.updated_at)),
      })),
      cart_resume_links: links.map((l) => ({
        ...l,
        expires_at: toIsoRequired(Number(l.expires_at)),
        created_at: toIsoRequired(Number(l.created_at)),
      })),
    };
  },

  async erase(trx, subject) {
    await trx
      .deleteFrom('commerce_cart_resumes')
      .where('customer_id', 'in', none(subject.customerIds))
      .execute();
    await trx
      .updateTable('commerce_carts')
      .set({ customer_id: null, anonymous_id: null, email: null, shipping_address: 'null' })
      .where('customer_id', 'in', none(subject.customerIds))
      .execute();
  },
};

/** Rate tables describe goods and zones; signing keys are the server's. */
export const cartNoCustomerData = {
  commerce_tax_rates: 'tax rates per country, region and product category',
  commerce_shipping_rates: 'shipping prices per method and zone of countries',
  commerce_signing_keys: 'the server’s HMAC keys for cart secrets and resume links',
};
