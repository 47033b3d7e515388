/**
 * @module The unified customer timeline (`/v1/customers/{id}/timeline`): every interaction from every channel
 * and module, newest first, filterable by channel id and kind.
 */
import { customerKeys } from './customers';
import type { TimelineEntry } from './customer-types';
import { useFreshList } from './customer-list';

export interface TimelineFilter {
  channel?: string | null;
  kind?: string | null;
}

export function useTimeline(customerId: string, filter: TimelineFilter = {}) {
  return useFreshList<TimelineEntry>(
    customerKeys.timeline(customerId),
    `/v1/customers/${encodeURIComponent(customerId)}/timeline`,
    { channel: filter.channel ?? undefined, kind: filter.kind ?? undefined },
  );
}
