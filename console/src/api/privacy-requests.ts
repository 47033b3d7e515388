/**
 * @module Customers' erasure requests from the preference centre (`/v1/erasure-requests`): the queue staff decide
 * — confirm (the person is erased everywhere) or reject for a stated reason — and the staff side of self-service
 * links (`POST /v1/customers/{id}/preference-links`), whose token the server shows once.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { request } from './client';
import { useFreshList } from './customer-list';
import { customerKeys } from './customers';
import type { Page } from './types';

export const ERASURE_STATUSES = ['pending', 'completed', 'rejected', 'cancelled'] as const;
export type ErasureStatus = (typeof ERASURE_STATUSES)[number];

/** Why staff may refuse an erasure (GDPR Art. 17(3)); the server takes only these. */
export const ERASURE_REJECTION_REASONS = [
  'legal_obligation',
  'legal_claims',
  'open_contract',
  'identity_not_verified',
] as const;
export type ErasureRejectionReason = (typeof ERASURE_REJECTION_REASONS)[number];

export interface ErasureRequest {
  id: string;
  customer_id: string;
  status: ErasureStatus;
  channel_id: string | null;
  requested_at: string;
  due_at: string;
  decided_at: string | null;
  reason: ErasureRejectionReason | null;
}

export interface PreferenceLink {
  id: string;
  customer_id: string;
  token: string;
  path: string;
  url: string;
  expires_at: string;
}

export const erasureKeys = {
  all: ['erasure-requests'] as const,
  list: (status: ErasureStatus | null) => ['erasure-requests', 'list', status] as const,
  pending: () => ['erasure-requests', 'pending-all'] as const,
};

/** The requests, newest first; `status` null lists every request. */
export function useErasureRequests(status: ErasureStatus | null) {
  return useFreshList<ErasureRequest>(erasureKeys.list(status), '/v1/erasure-requests', {
    status: status ?? undefined,
  });
}

/** At most this many pending pages are read for the Customer 360 banner (a queue of thousands is a backlog). */
const MAX_PENDING_PAGES = 10;

/**
 * Every pending request (the queue is short: one per customer at most, decided within a month), so the Customer
 * 360 can say whether this person asked to be erased. The server lists by status only, so the match is made here.
 */
export function usePendingErasureRequests(enabled: boolean) {
  return useQuery({
    queryKey: erasureKeys.pending(),
    enabled,
    staleTime: 0,
    queryFn: async ({ signal }) => {
      const all: ErasureRequest[] = [];
      let cursor: string | null = null;
      for (let page = 0; page < MAX_PENDING_PAGES; page++) {
        const result: Page<ErasureRequest> = await request<Page<ErasureRequest>>('/v1/erasure-requests', {
          query: { status: 'pending', limit: 200, cursor },
          signal,
        });
        all.push(...result.data);
        cursor = result.next_cursor;
        if (!cursor) break;
      }
      return all;
    },
  });
}

function useInvalidateErasure() {
  const client = useQueryClient();
  return () =>
    Promise.all([
      client.invalidateQueries({ queryKey: erasureKeys.all }),
      client.invalidateQueries({ queryKey: customerKeys.all }),
    ]);
}

export function useConfirmErasureRequest() {
  const invalidate = useInvalidateErasure();
  return useMutation({
    mutationFn: ({ id, suppress }: { id: string; suppress: boolean }) =>
      request<{ request: ErasureRequest; profiles: string[] }>(
        `/v1/erasure-requests/${encodeURIComponent(id)}/confirm`,
        { method: 'POST', body: { suppress } },
      ),
    onSettled: invalidate,
  });
}

export function useRejectErasureRequest() {
  const invalidate = useInvalidateErasure();
  return useMutation({
    mutationFn: ({ id, reason }: { id: string; reason: ErasureRejectionReason }) =>
      request<ErasureRequest>(`/v1/erasure-requests/${encodeURIComponent(id)}/reject`, {
        method: 'POST',
        body: { reason },
      }),
    onSettled: invalidate,
  });
}

/** Mints a preference-centre link for a message; the answer is the only time its token is shown. */
export function useCreatePreferenceLink() {
  return useMutation({
    mutationFn: (input: { customerId: string; channelId: string | null; identifierId: string | null }) =>
      request<PreferenceLink>(`/v1/customers/${encodeURIComponent(input.customerId)}/preference-links`, {
        method: 'POST',
        body: { channel_id: input.channelId, identifier_id: input.identifierId },
      }),
  });
}
