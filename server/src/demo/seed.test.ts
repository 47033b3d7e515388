/** Someone trying Omnis loads the demo retailer and finds its three stores and its warehouse as locations. */
import { expect, it } from 'vitest';
import { describeEachDialect } from '../../test/harness';
import { seedDemo } from './seed';

describeEachDialect('demo data', (t) => {
  // Meeting 2,000 people through identity resolution takes a while, on PostgreSQL most of all.
  it(
    'registers the three stores, linked to their store channels, and the central warehouse',
    { timeout: 180_000 },
    async () => {
      const lines: string[] = [];
      const result = await seedDemo(t().omnis.services, (line) => lines.push(line));
      expect(result.locations).toBe(4);
      expect(lines.filter((l) => l.startsWith('locations '))).toHaveLength(4);
      expect(lines).toContain('locations 4/4: WH-GTF Alba central warehouse — Getafe');

      const { data: locations } = await t().omnis.services.locations.listLocations({});
      const stores = locations.filter((l) => l.kind === 'store');
      expect(stores.map((s) => s.code).sort()).toEqual(['BCN01', 'MAD01', 'VLC01']);
      for (const store of stores) {
        const channel = await t().omnis.services.channels.retrieveChannel(store.channel_id!);
        expect(channel.kind).toBe('store');
        expect(channel.config.store_code).toBe(store.code);
        expect(channel.config.coordinates).toEqual({ lat: store.latitude, lng: store.longitude });
        expect(store.opening_hours.mon).toEqual([['10:00', '21:00']]);
        expect(store.opening_hours.sun).toEqual([]);
      }

      const warehouses = locations.filter((l) => l.kind === 'warehouse');
      expect(warehouses).toHaveLength(1);
      expect(warehouses[0]).toMatchObject({
        code: 'WH-GTF',
        channel_id: null,
        address: { city: 'Getafe', country: 'ES' },
        timezone: 'Europe/Madrid',
      });
      expect(warehouses[0]!.opening_hours.fri).toEqual([['06:00', '22:00']]);
      expect(warehouses[0]!.opening_hours.sat).toEqual([]);

      // About 2,000 people, some met twice and merged by identity resolution, and the one household it refuses.
      expect(result.customers.people).toBe(2000);
      expect(result.customers.merges).toBeGreaterThan(100);
      expect(result.customers.profiles).toBeGreaterThan(1900);
      const household = await t().omnis.services.customers.listCustomers({ q: 'casa.moreno@gmail.example' });
      expect(household.data).toHaveLength(1);
      const carmen = await t().omnis.services.customers.listCustomers({ q: '+34 611 000 222' });
      expect(carmen.data).toHaveLength(1);
      expect(carmen.data[0]!.id).not.toBe(household.data[0]!.id);
      const log = await t().omnis.services.customers.identityLog(carmen.data[0]!.id, {});
      expect(log.data.map((e) => e.kind)).toContain('conflict');
    },
  );
});
