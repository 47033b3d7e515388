/**
 * @module Retention: raw tracking events and anonymous profiles (no identifier that names a person — only
 * device or anonymous ids) are kept for a configured time after they were last seen, then removed by the
 * housekeeping job. Anonymous profiles go through the same erasure as a privacy request, so every module's
 * data about them goes too.
 */
import type { Db } from '../../platform/db/database';
import { systemActor } from '../../platform/auth/principal';
import type { CustomerPrivacyService } from './privacy';
import { defaultIdentifierRules } from './identifier.rules';

export interface RetentionConfig {
  trackingEventRetentionMs: number;
  anonymousProfileRetentionMs: number;
}

const BATCH = 500;

/** Identifier types that do not name a person. */
const anonymousTypes = Object.entries(defaultIdentifierRules)
  .filter(([, rule]) => rule.shareable)
  .map(([type]) => type);

export function createRetention(deps: { db: Db; privacy: CustomerPrivacyService; config: RetentionConfig }) {
  const { db, privacy, config } = deps;
  return {
    /** One pass: deletes old tracking events and erases stale anonymous profiles, a batch at a time. */
    async purgeExpired(now = Date.now()): Promise<{ trackingEvents: number; anonymousProfiles: number }> {
      const deleted = await db
        .deleteFrom('tracking_events')
        .where('timestamp', '<', now - config.trackingEventRetentionMs)
        .executeTakeFirst();
      const stale = await db
        .selectFrom('customers')
        .select('id')
        .where('status', '=', 'active')
        .where('last_seen_at', '<', now - config.anonymousProfileRetentionMs)
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom('customer_identifiers')
                .select('id')
                .whereRef('customer_identifiers.customer_id', '=', 'customers.id')
                .where('type', 'not in', anonymousTypes),
            ),
          ),
        )
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom('customers as merged')
                .select('merged.id')
                .whereRef('merged.merged_into', '=', 'customers.id'),
            ),
          ),
        )
        .limit(BATCH)
        .execute();
      for (const { id } of stale) await privacy.eraseCustomer(id, { ...systemActor, label: 'retention' });
      return { trackingEvents: Number(deleted.numDeletedRows), anonymousProfiles: stale.length };
    },
  };
}
