/**
 * @module Segments (`/v1/segments`): rule-based audiences. The rule language's types (as the server validates
 * them, see docs/api.md "Segments"), the saved segments and their members, the preview count that drives the
 * builder's live count, and the segments one customer is in.
 */
import { keepPreviousData, useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { request } from './client';
import { useFreshList } from './customer-list';
import { queryKeys } from './query-keys';
import type { EventType, Page } from './types';

export const TRAIT_OPS = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'contains', 'exists'] as const;
export type TraitOp = (typeof TRAIT_OPS)[number];
export const COMPARISON_OPS = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte'] as const;
export type ComparisonOp = (typeof COMPARISON_OPS)[number];
export const TRACKING_KINDS = ['track', 'page', 'screen', 'identify', 'group', 'alias'] as const;
export const CONSENT_CONDITION_STATUSES = ['granted', 'denied', 'withdrawn'] as const;

export interface TraitCondition {
  type: 'trait';
  key: string;
  op: TraitOp;
  value?: string | number | boolean;
}
export interface IdentifierCondition {
  type: 'identifier';
  identifier_type: string;
  value?: string;
}
export interface ConsentCondition {
  type: 'consent';
  purpose: string;
  channel?: string;
  status: (typeof CONSENT_CONDITION_STATUSES)[number];
}
export interface EventCondition {
  type: 'event';
  source?: 'tracking' | 'domain';
  name?: string;
  kind?: string;
  channel_id?: string;
  channel_kind?: string;
  count?: { op: ComparisonOp; value: number };
  window_days?: number;
}
export interface ChannelUsedCondition {
  type: 'channel_used';
  channel_id?: string;
  channel_kind?: string;
}
export interface ProfileCondition {
  type: 'profile';
  restricted?: boolean;
  created_within_days?: number;
  last_seen_within_days?: number;
}
export type Condition =
  | TraitCondition
  | IdentifierCondition
  | ConsentCondition
  | EventCondition
  | ChannelUsedCondition
  | ProfileCondition;
export type ConditionType = Condition['type'];
export const CONDITION_TYPES: ConditionType[] = [
  'event',
  'consent',
  'trait',
  'identifier',
  'channel_used',
  'profile',
];
export type SegmentRule = { all: SegmentRule[] } | { any: SegmentRule[] } | { not: SegmentRule } | Condition;

export interface Segment {
  id: string;
  name: string;
  description: string | null;
  rule: SegmentRule;
  member_count: number;
  evaluated_at: string;
  created_at: string;
  updated_at: string;
}

export interface SegmentMember {
  customer_id: string;
  first_name: string | null;
  last_name: string | null;
  since: string;
}

export interface CustomerSegment {
  id: string;
  name: string;
  description: string | null;
  member_count: number;
  since: string;
}

export interface SegmentPreview {
  count: number;
  /** Up to 20 matching customer ids, newest first. */
  sample: string[];
}

export interface SegmentInput {
  name: string;
  description?: string | null;
  rule: SegmentRule;
}

/** Member counts move on their own (events, tracking, the daily re-evaluation): open screens re-read them. */
const LIVE_REFRESH_MS = 30_000;

export const segmentKeys = {
  all: ['segments'] as const,
  list: () => ['segments', 'list'] as const,
  detail: (id: string) => ['segments', 'detail', id] as const,
  members: (id: string) => ['segments', 'members', id] as const,
  preview: (rule: string) => ['segments', 'preview', rule] as const,
  ofCustomer: (customerId: string) => ['segments', 'customer', customerId] as const,
};

const path = (id: string, rest = '') => `/v1/segments/${encodeURIComponent(id)}${rest}`;

/** Every segment (a business has tens, not thousands): all pages, newest first. */
export function useSegments() {
  return useQuery({
    queryKey: segmentKeys.list(),
    queryFn: async ({ signal }) => {
      const all: Segment[] = [];
      let cursor: string | null = null;
      do {
        const page: Page<Segment> = await request<Page<Segment>>('/v1/segments', {
          query: { limit: 200, cursor },
          signal,
        });
        all.push(...page.data);
        cursor = page.next_cursor;
      } while (cursor);
      return all;
    },
    staleTime: 0,
    refetchInterval: LIVE_REFRESH_MS,
  });
}

export function useSegment(id: string | undefined) {
  return useQuery({
    queryKey: segmentKeys.detail(id ?? ''),
    queryFn: ({ signal }) => request<Segment>(path(id!), { signal }),
    enabled: Boolean(id),
    staleTime: 0,
    refetchInterval: LIVE_REFRESH_MS,
  });
}

export function useSegmentMembers(id: string) {
  return useFreshList<SegmentMember>(segmentKeys.members(id), path(id, '/members'));
}

/**
 * The audience a rule matches now, without saving. `rule` null (the builder has nothing complete yet) asks
 * nothing; while a new rule is counted the previous answer stays on screen.
 */
export function useSegmentPreview(rule: SegmentRule | null) {
  const json = rule ? JSON.stringify(rule) : '';
  return useQuery({
    queryKey: segmentKeys.preview(json),
    queryFn: ({ signal }) =>
      request<SegmentPreview>('/v1/segments/preview', { method: 'POST', body: { rule }, signal }),
    enabled: rule !== null,
    placeholderData: keepPreviousData,
    staleTime: 10_000,
  });
}

/**
 * How each step narrows (or, for "any", widens) the audience: the count of the first n conditions for every n.
 * One preview per step, each cached by its rule, so editing the last condition re-asks only for the last step.
 */
export function useSegmentSteps(steps: SegmentRule[]) {
  return useQueries({
    queries: steps.map((rule) => {
      const json = JSON.stringify(rule);
      return {
        queryKey: segmentKeys.preview(json),
        queryFn: ({ signal }: { signal: AbortSignal }) =>
          request<SegmentPreview>('/v1/segments/preview', { method: 'POST', body: { rule }, signal }),
        staleTime: 10_000,
      };
    }),
  });
}

/** Domain event types for the builder's suggestions (readable by roles with webhooks:read; others type). */
export function useDomainEventTypes(enabled: boolean) {
  return useQuery({
    queryKey: queryKeys.eventTypes,
    queryFn: ({ signal }) => request<{ data: EventType[] }>('/v1/event-types', { signal }),
    staleTime: 10 * 60_000,
    enabled,
  });
}

export function useCustomerSegments(customerId: string) {
  return useQuery({
    queryKey: segmentKeys.ofCustomer(customerId),
    queryFn: ({ signal }) =>
      request<{ customer_id: string; data: CustomerSegment[] }>(
        `/v1/customers/${encodeURIComponent(customerId)}/segments`,
        { signal },
      ),
    staleTime: 0,
  });
}

function useInvalidateSegments() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: segmentKeys.all });
}

export function useCreateSegment() {
  const invalidate = useInvalidateSegments();
  return useMutation({
    mutationFn: (input: SegmentInput) => request<Segment>('/v1/segments', { method: 'POST', body: input }),
    onSuccess: invalidate,
  });
}

export function useUpdateSegment() {
  const invalidate = useInvalidateSegments();
  return useMutation({
    mutationFn: ({ id, ...patch }: Partial<SegmentInput> & { id: string }) =>
      request<Segment>(path(id), { method: 'PATCH', body: patch }),
    onSuccess: invalidate,
  });
}

export function useDeleteSegment() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => request<void>(path(id), { method: 'DELETE' }),
    onSuccess: (_result, id) => {
      client.removeQueries({ queryKey: segmentKeys.detail(id) });
      return client.invalidateQueries({ queryKey: segmentKeys.all });
    },
  });
}
