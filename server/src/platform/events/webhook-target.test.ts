/** A webhook cannot be aimed at the server's own network unless the operator allows it. */
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../app';
import { dialects, freshDatabase, testConfig } from '../../../test/harness';
import { isPublicAddress, resolvedTargetProblem } from './webhook-target';

describe('webhook target guard', () => {
  it('tells public internet addresses from internal ones', () => {
    for (const address of ['8.8.8.8', '1.1.1.1', '2606:4700:4700::1111'])
      expect(isPublicAddress(address)).toBe(true);
    for (const address of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.9',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      'fd00::1',
      'fe80::1',
      '::ffff:127.0.0.1',
      '224.0.0.1',
    ]) {
      expect(isPublicAddress(address)).toBe(false);
    }
  });

  it('refuses a host name that resolves to this machine', async () => {
    expect(await resolvedTargetProblem(new URL('http://localhost:9/x'))).toMatch(/this machine/);
    expect(await resolvedTargetProblem(new URL('http://127.0.0.1:9/x'))).toMatch(/private or local/);
    expect(await resolvedTargetProblem(new URL('https://93.184.215.14/x'))).toBeNull();
  });

  it.each(dialects)('answers 400 naming body.url for an internal target by default [%s]', async (dialect) => {
    const database = await freshDatabase(dialect);
    const omnis = await buildApp(testConfig({ webhookAllowPrivateTargets: false }), {
      database: database.handle,
      logger: false,
      workers: false,
    });
    try {
      const key = await omnis.services.apiKeys.createApiKey(
        { kind: 'secret', name: 'x', role: 'admin' },
        { type: 'system', id: null, label: 'test' },
      );
      for (const url of [
        'http://127.0.0.1:8080/hook',
        'http://localhost/hook',
        'http://[::1]/hook',
        'http://169.254.169.254/latest/meta-data',
      ]) {
        const res = await omnis.app.inject({
          method: 'POST',
          url: '/v1/webhooks',
          headers: { authorization: `Bearer ${key.key}` },
          payload: { url, event_types: ['*'] },
        });
        expect(res.statusCode).toBe(400);
        expect(res.json().errors[0].field).toBe('body.url');
      }
    } finally {
      await omnis.app.close();
      await database.dispose();
    }
  });
});
