/**
 * @module A customer's consent (`/v1/customers/{id}/consents`): the current matrix of purposes × channels with
 * the preferences, and the full history of every record received with its evidence.
 */
import { useQuery } from '@tanstack/react-query';
import { request } from './client';
import type { ConsentMatrix, ConsentRecord } from './customer-types';
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
