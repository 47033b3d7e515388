/**
 * A merchandiser decides where a product sells and how each channel shows it: the store's till shows a shorter
 * title, the web shop the default; every difference is listed; a storefront sees only what its channel sells,
 * with its overrides, in the shopper's language, with the size chart its brand or category provides.
 */
import { expect, it } from 'vitest';
import { systemActor } from '../../platform/auth/principal';
import { describeEachDialect } from '../../../test/harness';

let n = 0;
const unique = () => String(++n).padStart(4, '0');

describeEachDialect('catalog channel publication', (t) => {
  const api = async (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
    t().omnis.app.inject({ method, url, headers: await t().as('marketer'), ...(payload ? { payload } : {}) });
  const channel = (kind: 'web' | 'store', name: string) =>
    t().omnis.services.channels.createChannel({ kind, name: `${name} ${unique()}` }, systemActor);
  const keyFor = async (channelId: string) => {
    const key = await t().omnis.services.apiKeys.createApiKey(
      { kind: 'publishable', name: 'shop', channel_id: channelId },
      systemActor,
    );
    return { authorization: `Bearer ${key.key}` };
  };
  const shop = async (key: { authorization: string }, url: string, headers: Record<string, string> = {}) =>
    t().omnis.app.inject({ method: 'GET', url, headers: { ...key, ...headers } });
  const product = async (body: object = {}) => {
    const u = unique();
    const res = await api('POST', '/v1/products', {
      status: 'active',
      handle: `parka-${u}`,
      title: { en: `Wool parka ${u}`, es: `Parka de lana ${u}`, ru: `Шерстяная парка ${u}` },
      description: { en: 'Warm.', es: 'Abriga.' },
      brand: 'Alba',
      options: [{ name: 'size', label: { en: 'Size', es: 'Talla', ru: 'Размер' }, values: ['M', 'L'] }],
      variants: [
        { sku: `PARKA-${u}-M`, options: { size: 'M' } },
        { sku: `PARKA-${u}-L`, options: { size: 'L' } },
      ],
      ...body,
    });
    expect(res.statusCode).toBe(201);
    return res.json();
  };

  it('publishes to web and store; the store overrides the title, and the difference is visible', async () => {
    const web = await channel('web', 'Web');
    const store = await channel('store', 'Madrid store');
    const parka = await product();
    const published = await api('POST', `/v1/products/${parka.id}/publish`, {
      channel_ids: [web.id, store.id],
    });
    expect(published.statusCode).toBe(200);
    expect(published.json().data.map((v: { visible: boolean }) => v.visible)).toEqual([true, true]);

    const override = await api('PATCH', `/v1/products/${parka.id}/channels/${store.id}`, {
      title: { en: 'PARKA WOOL', es: 'PARKA LANA' },
    });
    expect(override.statusCode).toBe(200);
    expect(override.json()).toMatchObject({
      differs: ['title'],
      title: { en: 'PARKA WOOL', es: 'PARKA LANA' },
    });

    const read = (await api('GET', `/v1/products/${parka.id}`)).json();
    const byChannel = Object.fromEntries(read.channels.map((c: { channel_id: string }) => [c.channel_id, c]));
    expect(byChannel[web.id]).toMatchObject({ published: true, differs: [], overrides: {} });
    expect(byChannel[store.id]).toMatchObject({
      published: true,
      differs: ['title'],
      overrides: { title: { en: 'PARKA WOOL', es: 'PARKA LANA' } },
    });
    // Russian has no override text: the store falls back within its override (English), not to the default.
    const storeKey = await keyFor(store.id);
    const inStore = await shop(storeKey, `/store/v1/products/${parka.handle}?locale=es`);
    expect(inStore.json()).toMatchObject({ title: 'PARKA LANA', description: 'Abriga.', locale: 'es' });
    const onWeb = await shop(await keyFor(web.id), `/store/v1/products/${parka.handle}`, {
      'accept-language': 'ru-RU',
    });
    expect(onWeb.json()).toMatchObject({ title: parka.title.ru, locale: 'ru', description: 'Warm.' });
    expect(onWeb.json().options[0].label).toBe('Размер');

    // Removing the override shows the default again; events record both changes.
    const cleared = await api('PATCH', `/v1/products/${parka.id}/channels/${store.id}`, { title: null });
    expect(cleared.json().differs).toEqual([]);
    expect((await shop(storeKey, `/store/v1/products/${parka.id}?locale=es`)).json().title).toBe(
      parka.title.es,
    );
    const changes = await t()
      .omnis.database.db.selectFrom('outbox_events')
      .select(['data', 'channel_id'])
      .where('type', '=', 'product.channel_overrides_changed')
      .where('aggregate_id', '=', parka.id)
      .execute();
    expect(changes).toHaveLength(2);
    expect(changes.every((c) => c.channel_id === store.id)).toBe(true);
  });

  it('shows a storefront only what its channel sells and holds active', async () => {
    const web = await channel('web', 'Web');
    const other = await channel('web', 'Outlet');
    const key = await keyFor(web.id);
    const sold = await product();
    const elsewhere = await product();
    const heldBack = await product();
    const draftHere = await product({ status: 'draft' });
    await api('POST', `/v1/products/${sold.id}/publish`, { channel_ids: [web.id] });
    await api('POST', `/v1/products/${elsewhere.id}/publish`, { channel_ids: [other.id] });
    await api('POST', `/v1/products/${heldBack.id}/publish`, { channel_ids: [web.id] });
    await api('POST', `/v1/products/${draftHere.id}/publish`, { channel_ids: [web.id] });
    // Active everywhere but held back on this channel; a draft made live only here.
    await api('PATCH', `/v1/products/${heldBack.id}/channels/${web.id}`, { status: 'draft' });
    await api('PATCH', `/v1/products/${draftHere.id}/channels/${web.id}`, { status: 'active' });

    const listed = (await shop(key, '/store/v1/products?limit=200')).json();
    expect(new Set(listed.data.map((p: { id: string }) => p.id))).toEqual(new Set([sold.id, draftHere.id]));
    expect((await shop(key, `/store/v1/products/${elsewhere.handle}`)).statusCode).toBe(404);
    expect((await shop(key, `/store/v1/products/${heldBack.handle}`)).statusCode).toBe(404);

    // Unpublishing and archiving take it away; an archived product cannot be published again.
    await api('POST', `/v1/products/${draftHere.id}/unpublish`, { channel_ids: [web.id] });
    await api('PATCH', `/v1/products/${sold.id}`, { status: 'archived' });
    expect((await shop(key, '/store/v1/products')).json().data).toEqual([]);
    const republish = await api('POST', `/v1/products/${sold.id}/publish`, { channel_ids: [web.id] });
    expect(republish.statusCode).toBe(422);

    // Staff see what is published where.
    const staffList = (await api('GET', `/v1/products?published_to=${web.id}`)).json();
    expect(new Set(staffList.data.map((p: { id: string }) => p.id))).toEqual(new Set([sold.id, heldBack.id]));
    // A staff token is not a publishable key.
    expect((await api('GET', '/store/v1/products')).statusCode).toBe(403);
  });

  it('refuses unknown channels by field, and publishing twice announces once', async () => {
    const web = await channel('web', 'Web');
    const parka = await product();
    const bad = await api('POST', `/v1/products/${parka.id}/publish`, { channel_ids: [web.id, 'cha_nope'] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors).toEqual([
      { field: 'body.channel_ids.1', message: 'cha_nope is not a known channel' },
    ]);
    expect((await api('GET', `/v1/products/${parka.id}`)).json().channels).toEqual([]);
    await api('POST', `/v1/products/${parka.id}/publish`, { channel_ids: [web.id] });
    await api('POST', `/v1/products/${parka.id}/publish`, { channel_ids: [web.id] });
    const published = await t()
      .omnis.database.db.selectFrom('outbox_events')
      .select('id')
      .where('type', '=', 'product.published')
      .where('aggregate_id', '=', parka.id)
      .execute();
    expect(published).toHaveLength(1);
    const badOverride = await api('PATCH', `/v1/products/${parka.id}/channels/cha_nope`, { status: 'draft' });
    expect(badOverride.statusCode).toBe(400);
    expect(badOverride.json().errors[0].field).toBe('params.channel_id');
  });

  it('carries the size chart of the brand or category, or the one attached, to every channel', async () => {
    const web = await channel('web', 'Web');
    const key = await keyFor(web.id);
    const u = unique();
    const outerwear = (
      await api('POST', '/v1/categories', { handle: `outerwear-${u}`, name: { en: 'Outerwear' } })
    ).json();
    const coats = (
      await api('POST', '/v1/categories', {
        handle: `coats-${u}`,
        name: { en: 'Coats' },
        parent_id: outerwear.id,
      })
    ).json();
    const chart = (body: object) => api('POST', '/v1/size-charts', body);
    const brandChart = await chart({
      name: 'Alba tops',
      brand: `Brand ${u}`,
      unit: 'cm',
      columns: [{ key: 'chest', label: { en: 'Chest', es: 'Pecho' } }],
      rows: [
        { size: 'M', values: { chest: [96, 101] } },
        { size: 'L', values: { chest: [102, 107] } },
      ],
      fit_notes: { en: 'Regular fit.', es: 'Corte normal.' },
    });
    expect(brandChart.statusCode).toBe(201);
    const categoryChart = (
      await chart({
        name: 'Outerwear',
        category_id: outerwear.id,
        unit: 'cm',
        columns: [{ key: 'chest' }, { key: 'length' }],
        rows: [{ size: 'M', values: { chest: 104, length: 80 } }],
        fit_notes: { en: 'Roomy: fits over a jumper.' },
      })
    ).json();
    // A second default for the same scope is a conflict; a value outside the columns is refused by field.
    expect(
      (
        await chart({
          name: 'dup',
          category_id: outerwear.id,
          unit: 'cm',
          columns: [{ key: 'chest' }],
          rows: [{ size: 'S', values: { chest: 90 } }],
        })
      ).statusCode,
    ).toBe(409);
    const badRow = await chart({
      name: 'bad',
      unit: 'in',
      columns: [{ key: 'chest' }],
      rows: [{ size: 'S', values: { waist: 30 } }],
    });
    expect(badRow.statusCode).toBe(400);
    expect(badRow.json().errors[0].field).toBe('body.rows.0.values.waist');

    const coat = await product({ brand: `Brand ${u}`, category_ids: [coats.id] });
    const tee = await product({ brand: `Brand ${u}` });
    const plain = await product({ brand: null });
    // The nearest category chart wins over the brand's; without a category the brand's applies.
    expect(coat.size_chart).toMatchObject({ id: categoryChart.id, source: 'category' });
    expect(tee.size_chart).toMatchObject({ id: brandChart.json().id, source: 'brand' });
    expect(plain.size_chart).toBeNull();
    const attached = await api('PATCH', `/v1/products/${plain.id}`, { size_chart_id: brandChart.json().id });
    expect(attached.json().size_chart).toMatchObject({ source: 'product', unit: 'cm' });

    await api('POST', `/v1/products/${tee.id}/publish`, { channel_ids: [web.id] });
    const inShop = (await shop(key, `/store/v1/products/${tee.handle}?locale=es`)).json();
    expect(inShop.size_chart).toEqual({
      id: brandChart.json().id,
      name: 'Alba tops',
      source: 'brand',
      unit: 'cm',
      columns: [{ key: 'chest', label: 'Pecho' }],
      rows: [
        { size: 'M', values: { chest: [96, 101] } },
        { size: 'L', values: { chest: [102, 107] } },
      ],
      fit_notes: 'Corte normal.',
    });
    // A chart attached to products cannot be deleted from under them.
    expect((await api('DELETE', `/v1/size-charts/${brandChart.json().id}`)).statusCode).toBe(409);
  });

  it('moves a category with its subtree, never under itself', async () => {
    const u = unique();
    const a = (await api('POST', '/v1/categories', { handle: `a-${u}`, name: { en: 'A' } })).json();
    const b = (
      await api('POST', '/v1/categories', { handle: `b-${u}`, name: { en: 'B' }, parent_id: a.id })
    ).json();
    const c = (
      await api('POST', '/v1/categories', { handle: `c-${u}`, name: { en: 'C' }, parent_id: b.id })
    ).json();
    const root = (await api('POST', '/v1/categories', { handle: `r-${u}`, name: { en: 'R' } })).json();
    const cycle = await api('PATCH', `/v1/categories/${a.id}`, { parent_id: c.id });
    expect(cycle.statusCode).toBe(422);
    expect(cycle.json().errors[0].field).toBe('body.parent_id');
    const moved = await api('PATCH', `/v1/categories/${b.id}`, { parent_id: root.id });
    expect(moved.json().ancestor_ids).toEqual([root.id]);
    expect((await api('GET', `/v1/categories/${c.id}`)).json().ancestor_ids).toEqual([root.id, b.id]);
    const duplicate = await api('POST', '/v1/categories', { handle: `a-${u}`, name: { en: 'Again' } });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json().errors[0].field).toBe('body.handle');
    // A category with a subcategory stays; an empty one goes.
    expect((await api('DELETE', `/v1/categories/${b.id}`)).statusCode).toBe(409);
    expect((await api('DELETE', `/v1/categories/${c.id}`)).statusCode).toBe(204);
    const tree = (await api('GET', '/v1/categories/tree')).json().data;
    const r = tree.find((x: { id: string }) => x.id === root.id);
    expect(r.children.map((x: { id: string }) => x.id)).toEqual([b.id]);
  });

  it('keeps collections of products, filterable', async () => {
    const u = unique();
    const summer = (
      await api('POST', '/v1/collections', { handle: `summer-${u}`, title: { en: 'Summer', es: 'Verano' } })
    ).json();
    const inIt = await product({ collection_ids: [summer.id] });
    await product();
    const listed = (await api('GET', `/v1/products?collection_id=${summer.id}`)).json();
    expect(listed.data.map((p: { id: string }) => p.id)).toEqual([inIt.id]);
    expect((await api('GET', `/v1/collections/${summer.id}`)).json().product_count).toBe(1);
    const unknown = await api('POST', '/v1/products', {
      title: { en: 'x' },
      collection_ids: ['col_nope'],
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors[0].field).toBe('body.collection_ids.0');
  });
});
