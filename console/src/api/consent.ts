/**
 * @module A customer's consent (`/v1/customers/{id}/consents`): the current matrix of purposes × channels with
 * the preferences, the full history of every record received with its evidence, and recording changes —
 * consent and the preferred channel and quiet hours — as staff.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { request } from './client';
import type { ConsentMatrix, ConsentPreferences, ConsentRecord } from './customer-types';
import { customerKeys } from './customers';
import { useFreshList } from './customer-list';

export function useConsents(customerId: string) {
  return useQuery({
    queryKey: customerKeys.consents(customerId),
    queryFn: ({ signal }) =>
      request<ConsentMatrix>(`/v1/customers/${encodeURIComponent(customerId)}/consents`, { signal }),
    staleTime: 0,
  });
}

export function useConsentHistory(customerId: string, enabled = true) {
  return useFreshList<ConsentRecord>(
    customerKeys.consentHistory(customerId),
    `/v1/customers/${encodeURIComponent(customerId)}/consents/history`,
    {},
    enabled,
  );
}

export interface ConsentChange {
  purpose: string;
  /** Omitted: the purpose as a whole. */
  channel?: string;
  status: 'granted' | 'denied' | 'withdrawn';
  source: { type: 'staff' | 'customer' | 'channel' | 'import'; channel_id?: string | null };
  legal_basis?: string;
  evidence?: { wording?: string; version?: string; note?: string };
}

export interface RecordedConsent {
  id: string;
  purpose: string;
  channel: string | null;
  status: string;
  /** false: a newer record already stands; this one is kept in history only. */
  current: boolean;
  confirmation: { token: string; expires_at: string; path: string } | null;
}

export interface PreferencesInput {
  preferred_channel: string | null;
  quiet_hours: { start: string; end: string; timezone?: string | null } | null;
}

/** A change refreshes the matrix, the history and the timeline (consent events join it), and segments. */
function useInvalidateConsent() {
  const client = useQueryClient();
  return () =>
    Promise.all([
      client.invalidateQueries({ queryKey: customerKeys.all }),
      client.invalidateQueries({ queryKey: ['segments'] }),
    ]);
}

export function useRecordConsent(customerId: string) {
  const invalidate = useInvalidateConsent();
  return useMutation({
    mutationFn: (changes: ConsentChange[]) =>
      request<{ customer_id: string; consents: RecordedConsent[] }>(
        `/v1/customers/${encodeURIComponent(customerId)}/consents`,
        { method: 'POST', body: { consents: changes } },
      ),
    onSuccess: invalidate,
  });
}

export function useUpdatePreferences(customerId: string) {
  const invalidate = useInvalidateConsent();
  return useMutation({
    mutationFn: (input: PreferencesInput) =>
      request<ConsentPreferences>(`/v1/customers/${encodeURIComponent(customerId)}/preferences`, {
        method: 'PUT',
        body: input,
      }),
    onSuccess: invalidate,
  });
}
