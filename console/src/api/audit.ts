/**
 * @module The audit log (`/v1/audit`): who did what to which record, newest first.
 */
import { useList } from './list';
import { queryKeys } from './query-keys';
import type { AuditEntry } from './types';

export function useAuditLog() {
  return useList<AuditEntry>(queryKeys.audit.all, '/v1/audit');
}
