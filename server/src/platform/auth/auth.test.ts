/** Staff sign-in, sessions, roles and API keys, as an owner setting up a team would use them. */
import { expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/harness';
import { systemActor } from './principal';
import { hashToken } from './secrets';

describeEachDialect(
  'staff auth',
  (t) => {
    const createUser = (email: string, role: 'owner' | 'admin' | 'agent' = 'agent') =>
      t().omnis.services.users.createUser(
        { email, name: email.split('@')[0]!, role, password: 'a long password' },
        null,
        systemActor,
      );
    const login = (email: string, password = 'a long password', ip = '10.1.1.1') =>
      t().omnis.app.inject({
        method: 'POST',
        url: '/v1/auth/login',
        payload: { email, password },
        remoteAddress: ip,
      });

    it('signs in, shows the user with their permissions, and signs out', async () => {
      await createUser('ana@shop.example', 'agent');
      const res = await login('  ANA@shop.example ');
      expect(res.statusCode).toBe(200);
      const { token, user } = res.json();
      expect(user).toMatchObject({ email: 'ana@shop.example', role: 'agent' });
      const auth = { authorization: `Bearer ${token}` };
      const me = await t().omnis.app.inject({ method: 'GET', url: '/v1/me', headers: auth });
      expect(me.json().permissions).toContain('conversations:write');
      expect(me.json().permissions).not.toContain('users:write');
      expect(me.json().last_login_at).not.toBeNull();
      expect(
        (await t().omnis.app.inject({ method: 'POST', url: '/v1/auth/logout', headers: auth })).statusCode,
      ).toBe(204);
      expect((await t().omnis.app.inject({ method: 'GET', url: '/v1/me', headers: auth })).statusCode).toBe(
        401,
      );
    });

    it('stores only hashes of passwords and session tokens', async () => {
      const user = await createUser('hash@shop.example');
      const { token } = (await login('hash@shop.example')).json();
      const { db } = t().omnis.database;
      const row = await db
        .selectFrom('staff_users')
        .select('password_hash')
        .where('id', '=', user.id)
        .executeTakeFirstOrThrow();
      expect(row.password_hash).toMatch(/^scrypt\$/);
      expect(row.password_hash).not.toContain('a long password');
      const session = await db
        .selectFrom('sessions')
        .select('token_hash')
        .where('user_id', '=', user.id)
        .executeTakeFirstOrThrow();
      expect(session.token_hash).toBe(hashToken(token));
      expect(session.token_hash).not.toContain(token);
    });

    it('answers a wrong password and an unknown email the same way', async () => {
      await createUser('same@shop.example');
      const wrong = await login('same@shop.example', 'not the password', '10.2.2.2');
      const unknown = await login('nobody@shop.example', 'whatever pw', '10.2.2.3');
      expect(wrong.statusCode).toBe(401);
      expect(unknown.statusCode).toBe(401);
      expect(wrong.json().detail).toBe(unknown.json().detail);
    });

    it('locks sign-in for an email after repeated failures, with Retry-After', async () => {
      await createUser('target@shop.example');
      for (let i = 0; i < 3; i++)
        expect((await login('target@shop.example', 'guess number ' + i, '10.3.3.3')).statusCode).toBe(401);
      const limited = await login('target@shop.example', 'a long password', '10.3.3.4');
      expect(limited.statusCode).toBe(429);
      expect(limited.json().code).toBe('too_many_requests');
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      // Another account is not affected.
      await createUser('other@shop.example');
      expect((await login('other@shop.example', 'a long password', '10.3.3.5')).statusCode).toBe(200);
    });

    it('ends the sessions of a deactivated user', async () => {
      const user = await createUser('leaver@shop.example');
      const { token } = (await login('leaver@shop.example')).json();
      const res = await t().omnis.app.inject({
        method: 'PATCH',
        url: `/v1/users/${user.id}`,
        headers: await t().as('admin'),
        payload: { active: false },
      });
      expect(res.statusCode).toBe(200);
      expect(res.json().active).toBe(false);
      expect(
        (
          await t().omnis.app.inject({
            method: 'GET',
            url: '/v1/me',
            headers: { authorization: `Bearer ${token}` },
          })
        ).statusCode,
      ).toBe(401);
      expect((await login('leaver@shop.example')).statusCode).toBe(401);
    });

    it('lets only an owner make an owner, and never removes the last owner', async () => {
      const admin = await t().as('admin');
      const attempt = await t().omnis.app.inject({
        method: 'POST',
        url: '/v1/users',
        headers: admin,
        payload: { email: 'boss@shop.example', name: 'Boss', role: 'owner', password: 'a long password' },
      });
      expect(attempt.statusCode).toBe(403);
      // Leave exactly one active owner.
      const first = await createUser('first-owner@shop.example', 'owner');
      const others = (await t().omnis.services.users.listUsers({ limit: 200 })).data.filter(
        (u) => u.role === 'owner' && u.id !== first.id,
      );
      for (const o of others)
        await t().omnis.services.users.updateUser(o.id, { active: false }, null, systemActor);
      const ownerAuth = { authorization: `Bearer ${(await login('first-owner@shop.example')).json().token}` };
      const demote = await t().omnis.app.inject({
        method: 'PATCH',
        url: `/v1/users/${first.id}`,
        headers: ownerAuth,
        payload: { role: 'admin' },
      });
      expect(demote.statusCode).toBe(409);
      const deactivate = await t().omnis.app.inject({
        method: 'PATCH',
        url: `/v1/users/${first.id}`,
        headers: ownerAuth,
        payload: { active: false },
      });
      expect(deactivate.statusCode).toBe(409);
      const second = await t().omnis.app.inject({
        method: 'POST',
        url: '/v1/users',
        headers: ownerAuth,
        payload: {
          email: 'second-owner@shop.example',
          name: 'Second',
          role: 'owner',
          password: 'a long password',
        },
      });
      expect(second.statusCode).toBe(201);
      const nowAllowed = await t().omnis.app.inject({
        method: 'PATCH',
        url: `/v1/users/${first.id}`,
        headers: ownerAuth,
        payload: { role: 'admin' },
      });
      expect(nowAllowed.statusCode).toBe(200);
      expect(nowAllowed.json().role).toBe('admin');
    });

    it('shows a secret key once, lists only its tail, and stops it when revoked', async () => {
      const owner = await t().as('owner');
      const created = await t().omnis.app.inject({
        method: 'POST',
        url: '/v1/api-keys',
        headers: owner,
        payload: { kind: 'secret', name: 'ERP sync', role: 'admin' },
      });
      expect(created.statusCode).toBe(201);
      const { key, id } = created.json();
      expect(key).toMatch(/^sk_/);
      const list = await t().omnis.app.inject({ method: 'GET', url: '/v1/api-keys', headers: owner });
      expect(list.body).not.toContain(key);
      expect(list.json().data.find((k: { id: string }) => k.id === id).display).toBe(`sk_…${key.slice(-4)}`);
      const auth = { authorization: `Bearer ${key}` };
      expect(
        (await t().omnis.app.inject({ method: 'GET', url: '/v1/channels', headers: auth })).statusCode,
      ).toBe(200);
      expect(
        (await t().omnis.app.inject({ method: 'DELETE', url: `/v1/api-keys/${id}`, headers: owner }))
          .statusCode,
      ).toBe(204);
      expect(
        (await t().omnis.app.inject({ method: 'GET', url: '/v1/channels', headers: auth })).statusCode,
      ).toBe(401);
    });

    it('binds a publishable key to an existing channel and refuses nonsense combinations', async () => {
      const owner = await t().as('owner');
      const noChannel = await t().omnis.app.inject({
        method: 'POST',
        url: '/v1/api-keys',
        headers: owner,
        payload: { kind: 'publishable', name: 'app' },
      });
      expect(noChannel.statusCode).toBe(400);
      expect(noChannel.json().errors[0].field).toBe('body.channel_id');
      const ghost = await t().omnis.app.inject({
        method: 'POST',
        url: '/v1/api-keys',
        headers: owner,
        payload: { kind: 'publishable', name: 'app', channel_id: 'cha_ghost' },
      });
      expect(ghost.json().errors[0]).toEqual({ field: 'body.channel_id', message: 'is not a known channel' });
      const adminOwnerKey = await t().omnis.app.inject({
        method: 'POST',
        url: '/v1/api-keys',
        headers: await t().as('admin'),
        payload: { kind: 'secret', name: 'x', role: 'owner' },
      });
      expect(adminOwnerKey.statusCode).toBe(403);
    });

    it('records staff actions and sign-ins in the audit log', async () => {
      const admin = await t().as('admin');
      const channel = await t().omnis.app.inject({
        method: 'POST',
        url: '/v1/channels',
        headers: admin,
        payload: { kind: 'sms', name: 'SMS', secrets: { auth_token: 'tw-secret' } },
      });
      const audit = await t().omnis.app.inject({
        method: 'GET',
        url: '/v1/audit?action=channel.create',
        headers: admin,
      });
      expect(audit.statusCode).toBe(200);
      const entry = audit.json().data[0];
      expect(entry).toMatchObject({
        action: 'channel.create',
        target_id: channel.json().id,
        actor: { type: 'staff' },
      });
      expect(entry.data.fields).toEqual(expect.arrayContaining(['kind', 'name', 'secrets']));
      expect(JSON.stringify(audit.json())).not.toContain('tw-secret');
      const logins = await t().omnis.app.inject({
        method: 'GET',
        url: '/v1/audit?action=auth.login',
        headers: admin,
      });
      expect(logins.json().data.length).toBeGreaterThan(0);
    });
  },
  { loginMaxFailures: 3 },
);
