/**
 * Group commit as its callers rely on it: requests that arrive together share one transaction, each gets its own
 * answer, and one caller's failure never costs another caller its write.
 */
import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/harness';
import { createGroupCommit } from './group-commit';
import type { Trx } from './transaction';

interface Item {
  key: string;
  values: string[];
}

describeEachDialect('group commit', (t) => {
  beforeAll(async () => {
    await sql`create table group_commit_probe (value text primary key)`.execute(t().omnis.database.db);
  });

  const stored = async (prefix: string) =>
    (
      await sql<{
        value: string;
      }>`select value from group_commit_probe where value like ${`${prefix}%`} order by value`.execute(
        t().omnis.database.db,
      )
    ).rows.map((r) => r.value);

  function writer(transactions: Item[][]) {
    return createGroupCommit<Item, number>({
      db: t().omnis.database.db,
      keyOf: (item) => item.key,
      weightOf: (item) => item.values.length,
      maxWeight: 10,
      attempts: 1,
      async run(trx: Trx, items: Item[]) {
        transactions.push(items);
        for (const item of items)
          for (const value of item.values)
            await sql`insert into group_commit_probe (value) values (${value})`.execute(trx);
        return items.map((item) => item.values.length);
      },
    });
  }

  it('stores requests that arrive together in one transaction and answers each on its own', async () => {
    const transactions: Item[][] = [];
    const w = writer(transactions);
    const answers = await Promise.all(
      ['a', 'b', 'c'].map((n) => w.submit({ key: 'k', values: [`together-${n}1`, `together-${n}2`] })),
    );
    expect(answers).toEqual([2, 2, 2]);
    expect(transactions.map((items) => items.length)).toEqual([3]);
    expect(await stored('together-')).toHaveLength(6);
  });

  it('never mixes keys and never goes past the weight limit in one transaction', async () => {
    const transactions: Item[][] = [];
    const w = writer(transactions);
    await Promise.all([
      w.submit({
        key: 'x',
        values: ['limit-x1', 'limit-x2', 'limit-x3', 'limit-x4', 'limit-x5', 'limit-x6'],
      }),
      w.submit({ key: 'y', values: ['limit-y1'] }),
      w.submit({ key: 'x', values: ['limit-x7', 'limit-x8', 'limit-x9', 'limit-x10', 'limit-x11'] }),
    ]);
    for (const items of transactions) {
      expect(new Set(items.map((i) => i.key)).size).toBe(1);
      expect(items.reduce((n, i) => n + i.values.length, 0)).toBeLessThanOrEqual(10);
    }
    expect(transactions).toHaveLength(3);
    expect(await stored('limit-')).toHaveLength(12);
  });

  it('fails only the request whose data broke the shared transaction', async () => {
    const transactions: Item[][] = [];
    const w = writer(transactions);
    const results = await Promise.allSettled([
      w.submit({ key: 'k', values: ['alone-ok1'] }),
      // The same value twice: the primary key refuses it, and the whole shared transaction rolls back.
      w.submit({ key: 'k', values: ['alone-bad', 'alone-bad'] }),
      w.submit({ key: 'k', values: ['alone-ok2'] }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await stored('alone-')).toEqual(['alone-ok1', 'alone-ok2']);
    // One shared attempt, then each request on its own.
    expect(transactions.map((items) => items.length)).toEqual([3, 1, 1, 1]);
  });
});
