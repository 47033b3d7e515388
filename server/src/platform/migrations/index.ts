/** @module The platform's migrations (auth, audit, idempotency, outbox, webhooks), in order. */
import type { NamedMigrations } from '../db/migrator';
import * as platform0001 from './2026-11-22-0001-platform';

export const platformMigrations: NamedMigrations = {
  '2026-11-22-0001-platform': platform0001,
};
