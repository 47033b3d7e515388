/**
 * The generated permission walk: every registered route × every role. It fails when a route declares no
 * access, when a role is let through without the route's permission, or when a role that has it is refused.
 */
import { expect, it } from 'vitest';
import { buildApp } from '../../app';
import { describeEachDialect, testConfig } from '../../../test/harness';
import { roleHas, roles, type Permission } from './permissions';

// Plugin routes for the interactive docs UI: public static files, not part of the API surface under test.
const isDocsAsset = (url: string) => url.startsWith('/docs');

describeEachDialect('permission walk', (t) => {
  it('every route declares its access', () => {
    const undeclared = t().omnis.routes.filter((r) => !r.access);
    expect(undeclared).toEqual([]);
    expect(t().omnis.routes.length).toBeGreaterThan(20);
  });

  it('refuses to start when a route forgets to declare access', async () => {
    const omnis = await buildApp(testConfig(), {
      database: t().omnis.database,
      logger: false,
      workers: false,
    });
    expect(() => omnis.app.get('/v1/forgotten', async () => ({}))).toThrow(/declares no access/);
    await omnis.app.close();
  });

  it('answers each role on each route exactly as the permission matrix says', async () => {
    const { app } = t().omnis;
    // Signing out ends the session the walk uses, so that route goes last.
    const isLogout = (url: string) => url === '/v1/auth/logout';
    const walked = t()
      .omnis.routes.filter((r) => r.method !== 'HEAD' && !isDocsAsset(r.url))
      .sort((a, b) => Number(isLogout(a.url)) - Number(isLogout(b.url)));
    const mismatches: string[] = [];
    for (const role of roles) {
      const headers = await t().as(role);
      for (const route of walked) {
        const url = route.url.replace(/:(\w+)/g, 'zz_unknown_$1');
        const hasBody = ['POST', 'PATCH', 'PUT'].includes(route.method);
        const res = await app.inject({
          method: route.method as 'GET',
          url,
          headers,
          ...(hasBody ? { payload: {} } : {}),
        });
        const refused = res.statusCode === 401 || res.statusCode === 403;
        let shouldRefuse: boolean;
        if (route.access === 'public' || route.access === 'session') shouldRefuse = false;
        // Store routes take a pk_ key or a customer token, never staff credentials.
        else if (route.access === 'publishable' || route.access === 'customer') shouldRefuse = true;
        else shouldRefuse = !roleHas(role, route.access as Permission);
        if (refused !== shouldRefuse)
          mismatches.push(`${role} ${route.method} ${route.url} → ${res.statusCode}`);
        if (shouldRefuse) expect(res.headers['content-type']).toContain('application/problem+json');
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('gives a secret key exactly its role’s permissions', async () => {
    const { app, services } = t().omnis;
    const key = await services.apiKeys.createApiKey(
      { kind: 'secret', name: 'reporting', role: 'analyst' },
      { type: 'system', id: null, label: 'test' },
    );
    const auth = { authorization: `Bearer ${key.key}` };
    expect((await app.inject({ method: 'GET', url: '/v1/channels', headers: auth })).statusCode).toBe(200);
    expect(
      (
        await app.inject({
          method: 'POST',
          url: '/v1/channels',
          headers: auth,
          payload: { kind: 'web', name: 'x' },
        })
      ).statusCode,
    ).toBe(403);
    // /v1/me is for people, not integrations.
    expect((await app.inject({ method: 'GET', url: '/v1/me', headers: auth })).statusCode).toBe(403);
  });

  it('keeps publishable keys to the customer-facing /store routes', async () => {
    const { app, services } = t().omnis;
    const actor = { type: 'system' as const, id: null, label: 'test' };
    const channel = await services.channels.createChannel({ kind: 'web', name: 'Shop' }, actor);
    const pk = await services.apiKeys.createApiKey(
      { kind: 'publishable', name: 'shop', channel_id: channel.id },
      actor,
    );
    const auth = { authorization: `Bearer ${pk.key}` };
    const store = await app.inject({ method: 'GET', url: '/store/v1/channel', headers: auth });
    expect(store.statusCode).toBe(200);
    expect(store.json()).toEqual({ id: channel.id, kind: 'web', name: 'Shop' });
    for (const url of ['/v1/channels', '/v1/me', '/v1/users', '/v1/audit']) {
      expect((await app.inject({ method: 'GET', url, headers: auth })).statusCode).toBe(403);
    }
    // Staff credentials do not open the store API either: it acts for a channel, not a person.
    expect(
      (
        await app.inject({
          method: 'GET',
          url: '/store/v1/channel',
          headers: { authorization: `Bearer ${await t().tokenFor('owner')}` },
        })
      ).statusCode,
    ).toBe(403);
  });
});
