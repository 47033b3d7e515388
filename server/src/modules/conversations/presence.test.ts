/**
 * Presence across processes: two app instances on one database (each with its own realtime hub, as two server
 * processes behind a load balancer) agree on who is online. An agent with a console open on each stays online
 * when she closes one, goes offline (after the grace period) when she closes the last, and an instance that stops
 * heartbeating (it died) stops vouching for her.
 */
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { buildApp, type OmnisApp } from '../../app';
import { systemActor } from '../../platform/auth/principal';
import { dialects, freshDatabase, testConfig, type TestDatabase } from '../../../test/harness';

async function eventually<T>(what: string, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const found = await check();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

for (const dialect of dialects)
  describe(`presence across two app instances [${dialect}]`, () => {
    let database: TestDatabase;
    let a: OmnisApp;
    let b: OmnisApp;
    const sockets: WebSocket[] = [];
    beforeAll(async () => {
      database = await freshDatabase(dialect);
      const config = testConfig({ presenceGraceMs: 50 });
      // Two instances, as two server processes: separate realtime hubs, nothing shared but the database.
      a = await buildApp(config, { database: database.handle, logger: false, workers: false });
      b = await buildApp(config, { database: database.handle, logger: false, workers: false });
      await a.app.listen({ port: 0, host: '127.0.0.1' });
      await b.app.listen({ port: 0, host: '127.0.0.1' });
    });
    afterAll(async () => {
      for (const s of sockets) s.terminate();
      await a?.app.close();
      await b?.app.close();
      await database?.dispose();
    });

    async function anAgentToken() {
      const email = `agent-${Date.now()}@test.example`;
      const password = 'correct horse battery';
      const user = await a.services.users.createUser(
        { email, name: 'Agent', role: 'agent', password },
        null,
        systemActor,
      );
      const login = await a.app.inject({
        method: 'POST',
        url: '/v1/auth/login',
        payload: { email, password },
      });
      return { userId: user.id, token: (login.json() as { token: string }).token };
    }
    /** Her console's live stream on one instance. */
    async function consoleOn(app: OmnisApp, token: string) {
      const { port } = app.app.server.address() as AddressInfo;
      const socket = new WebSocket(`ws://127.0.0.1:${port}/v1/realtime?access_token=${token}`);
      sockets.push(socket);
      await new Promise<void>((resolve, reject) => {
        socket.on('message', (raw) => {
          if ((JSON.parse(String(raw)) as { type: string }).type === 'ready') resolve();
        });
        socket.once('error', reject);
      });
      return socket;
    }
    const presenceOf = async (userId: string) =>
      (await a.services.conversations.teams.retrieveAgent(userId)).presence;
    const connectionsOf = async (userId: string) =>
      database.handle.db.selectFrom('agent_connections').selectAll().where('user_id', '=', userId).execute();

    it('closing her console on one instance keeps her online while the other holds one; the last takes her offline', async () => {
      const { userId, token } = await anAgentToken();
      const onA = await consoleOn(a, token);
      const onB = await consoleOn(b, token);
      await eventually('both instances to vouch for her', async () =>
        (await connectionsOf(userId)).length === 2 ? true : undefined,
      );
      expect(await presenceOf(userId)).toBe('online');
      // Instance B agrees: she is available there too.
      expect(await b.services.conversations.teams.agentsAvailable('webchat')).toBe(true);

      onA.close();
      // Instance A lets go once its grace period is over…
      await eventually('instance A to let go', async () =>
        (await connectionsOf(userId)).length === 1 ? true : undefined,
      );
      // …and she stays online: her console on B is still open.
      expect(await presenceOf(userId)).toBe('online');

      onB.close();
      await eventually('her to go offline', async () =>
        (await presenceOf(userId)) === 'offline' ? true : undefined,
      );
      expect(await connectionsOf(userId)).toEqual([]);
    });

    it('an instance that stops heartbeating stops vouching: the other takes her offline, never from “away”', async () => {
      const { userId, token } = await anAgentToken();
      await consoleOn(b, token);
      await eventually('her to come online', async () =>
        (await presenceOf(userId)) === 'online' ? true : undefined,
      );
      const teams = a.services.conversations.teams;
      // B's row is fresh: A's sweep leaves her alone.
      expect(await teams.expirePresence(60_000, systemActor)).toBe(0);
      expect(await presenceOf(userId)).toBe('online');
      // B goes silent (a crash: no close, no heartbeat) for longer than the heartbeat vouches.
      await database.handle.db
        .updateTable('agent_connections')
        .set({ seen_at: Date.now() - 10 * 60_000 })
        .where('user_id', '=', userId)
        .execute();
      expect(await teams.expirePresence(60_000, systemActor)).toBe(1);
      expect(await presenceOf(userId)).toBe('offline');
      expect(await connectionsOf(userId)).toEqual([]);

      // "Away" is her choice: a stale row does not change it.
      const second = await anAgentToken();
      await consoleOn(a, second.token);
      await eventually('her to come online', async () =>
        (await presenceOf(second.userId)) === 'online' ? true : undefined,
      );
      await teams.setPresence(second.userId, 'away', systemActor);
      await database.handle.db
        .updateTable('agent_connections')
        .set({ seen_at: Date.now() - 10 * 60_000 })
        .where('user_id', '=', second.userId)
        .execute();
      expect(await teams.expirePresence(60_000, systemActor)).toBe(0);
      expect(await presenceOf(second.userId)).toBe('away');
    });
  });
