/**
 * @module Customer profiles (`/v1/customers`): search, identity resolution, the 360 profile (a merged-away id
 * answers with its survivor), merge and unmerge, the identity log, and the privacy rights — export, erasure
 * and restriction of processing.
 */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { request } from './client';
import type {
  Customer,
  CustomerDetail,
  CustomerExport,
  IdentityLogEntry,
  MergePreview,
  ResolveInput,
  ResolveResult,
} from './customer-types';
import { useFreshList } from './customer-list';

/** Every customers-module query starts with this key, so one invalidation refreshes them all. */
export const customerKeys = {
  all: ['customers'] as const,
  list: () => ['customers', 'list'] as const,
  detail: (id: string) => ['customers', 'detail', id] as const,
  identityLog: (id: string) => ['customers', 'identity-log', id] as const,
  consents: (id: string) => ['customers', 'consents', id] as const,
  consentHistory: (id: string) => ['customers', 'consent-history', id] as const,
  timeline: (id: string) => ['customers', 'timeline', id] as const,
  mergePreview: (id: string, mergeId: string) => ['customers', 'merge-preview', id, mergeId] as const,
};

const path = (id: string, rest = '') => `/v1/customers/${encodeURIComponent(id)}${rest}`;

/** Customers, newest activity first; `q` finds by email, phone in any format, any identifier or name prefix. */
export function useCustomers(q: string) {
  return useFreshList<Customer>(customerKeys.list(), '/v1/customers', { q: q.trim() || undefined });
}

/** A one-shot search for pickers (the merge preview): the first page only. */
export function useCustomerSearch(q: string, enabled: boolean) {
  const term = q.trim();
  return useQuery({
    queryKey: [...customerKeys.list(), 'search', term],
    queryFn: ({ signal }) =>
      request<{ data: Customer[] }>('/v1/customers', { query: { q: term, limit: 10 }, signal }),
    enabled: enabled && term.length > 0,
    placeholderData: keepPreviousData,
  });
}

export function useCustomer(id: string | null | undefined) {
  return useQuery({
    queryKey: customerKeys.detail(id ?? ''),
    queryFn: ({ signal }) => request<CustomerDetail>(path(id!), { signal }),
    enabled: Boolean(id),
    staleTime: 0,
    retry: (count, error) =>
      count < 2 && !(error instanceof Error && 'status' in error && error.status === 404),
  });
}

export function useIdentityLog(id: string) {
  return useFreshList<IdentityLogEntry>(customerKeys.identityLog(id), path(id, '/identity-log'));
}

function useInvalidateCustomers() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: customerKeys.all });
}

export function useCreateCustomer() {
  const invalidate = useInvalidateCustomers();
  return useMutation({
    mutationFn: (input: ResolveInput) =>
      request<ResolveResult>('/v1/customers', { method: 'POST', body: input }),
    onSuccess: invalidate,
  });
}

/** The server's dry run of merging `mergeId` into `id`: the same rules as the merge, so it cannot disagree. */
export function useMergePreview(id: string, mergeId: string | null) {
  return useQuery({
    queryKey: customerKeys.mergePreview(id, mergeId ?? ''),
    queryFn: ({ signal }) =>
      request<MergePreview>(path(id, '/merge-preview'), { query: { merge_id: mergeId }, signal }),
    enabled: Boolean(mergeId),
    staleTime: 0,
    retry: false,
  });
}

export function useMergeCustomer() {
  const invalidate = useInvalidateCustomers();
  return useMutation({
    mutationFn: ({ id, mergeId, force }: { id: string; mergeId: string; force?: boolean }) =>
      request<Customer>(path(id, '/merge'), { method: 'POST', body: { merge_id: mergeId, force } }),
    onSuccess: invalidate,
  });
}

export function useUnmergeCustomer() {
  const invalidate = useInvalidateCustomers();
  return useMutation({
    mutationFn: ({ id, mergedId }: { id: string; mergedId: string }) =>
      request<{ survivor: Customer; restored: Customer }>(path(id, '/unmerge'), {
        method: 'POST',
        body: { merged_id: mergedId },
      }),
    onSuccess: invalidate,
  });
}

export function useEraseCustomer() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      request<{ customer_id: string; profiles: string[] }>(path(id, '/erase'), {
        method: 'POST',
        body: { confirm: true },
      }),
    onSuccess: (_result, id) => {
      client.removeQueries({ queryKey: customerKeys.detail(id) });
      return client.invalidateQueries({ queryKey: customerKeys.list() });
    },
  });
}

export function useRestrictCustomer() {
  const invalidate = useInvalidateCustomers();
  return useMutation({
    mutationFn: ({ id, restricted }: { id: string; restricted: boolean }) =>
      request<void>(path(id, '/restrict'), { method: 'POST', body: { restricted } }),
    onSuccess: invalidate,
  });
}

/** Fetches the JSON archive and hands it to the browser as a file download. */
export function useExportCustomer() {
  return useMutation({
    mutationFn: async (id: string) => {
      const archive = await request<CustomerExport>(path(id, '/export'));
      const blob = new Blob([JSON.stringify(archive, null, 2)], { type: 'application/json' });
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = `${archive.customer_id}-export.json`;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 30_000);
      return archive;
    },
  });
}
