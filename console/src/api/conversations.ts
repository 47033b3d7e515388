/**
 * @module The staff inbox API (`/v1/conversations…`) as TanStack Query hooks: lists by view, a conversation with
 * its contacts, its thread (every channel interleaved, notes included), and the agent's verbs — reply, note,
 * assign, status, labels and priority. Every write refreshes the whole `conversations` key (a reply moves the
 * list's order and the conversation's waiting time); realtime events do the same for other agents' changes.
 */
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import { ApiError, request } from './client';
import type {
  Conversation,
  ConversationDetail,
  ConversationReport,
  ConversationStatus,
  ConversationView,
  Message,
  Priority,
  ReplyInput,
  ReportGroup,
} from './conversations-types';
import { useList } from './list';
import type { Page } from './types';

export * from './conversations-types';

export const conversationKeys = {
  all: ['conversations'] as const,
  list: ['conversations', 'list'] as const,
  detail: (id: string) => ['conversations', 'detail', id] as const,
  messages: (id: string) => ['conversations', 'messages', id] as const,
  customerHistory: (customerId: string) => ['conversations', 'customer', customerId] as const,
  report: (input: object) => ['conversations', 'report', input] as const,
};

const path = (id: string, rest = '') => `/v1/conversations/${encodeURIComponent(id)}${rest}`;

export interface ConversationFilter {
  view: ConversationView;
  status?: ConversationStatus | undefined;
  channel_id?: string | undefined;
}

/** A view's conversations, newest first; realtime events refresh it, the poll covers a dropped socket. */
export function useConversations(filter: ConversationFilter) {
  return useList<Conversation>(
    conversationKeys.list,
    '/v1/conversations',
    { ...filter },
    { refetchInterval: 60_000 },
  );
}

/** How many open conversations each view holds (first page bound: "50+" past one page). */
export function useViewCount(view: ConversationView) {
  return useQuery({
    queryKey: [...conversationKeys.list, 'count', view],
    queryFn: ({ signal }) =>
      request<Page<Conversation>>('/v1/conversations', {
        query: { view, status: 'open', limit: 100 },
        signal,
      }),
    select: (page) => ({ count: page.data.length, more: page.next_cursor !== null }),
  });
}

/** A customer's other conversations (the sidebar's history). */
export function useCustomerConversations(customerId: string | null) {
  return useQuery({
    queryKey: conversationKeys.customerHistory(customerId ?? ''),
    queryFn: ({ signal }) =>
      request<Page<Conversation>>('/v1/conversations', {
        query: { customer_id: customerId, limit: 20 },
        signal,
      }),
    enabled: Boolean(customerId),
  });
}

export function useConversation(id: string | null) {
  return useQuery({
    queryKey: conversationKeys.detail(id ?? ''),
    queryFn: ({ signal }) => request<ConversationDetail>(path(id!), { signal }),
    enabled: Boolean(id),
    retry: (count, error) => count < 2 && !(error instanceof ApiError && error.status === 404),
  });
}

/**
 * The thread of a conversation, oldest first for reading; the server pages newest first, so "older" walks
 * the cursor back.
 */
export function useThread(id: string | null) {
  const query = useInfiniteQuery({
    queryKey: conversationKeys.messages(id ?? ''),
    queryFn: ({ pageParam, signal }) =>
      request<Page<Message>>(path(id!, '/messages'), { query: { limit: 100, cursor: pageParam }, signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    enabled: Boolean(id),
  });
  const messages = useMemo(
    () =>
      (query.data?.pages.flatMap((page) => page.data) ?? []).slice().sort((a, b) => (a.id < b.id ? -1 : 1)),
    [query.data],
  );
  return { ...query, messages };
}

function useConversationWrite<I, O>(fn: (input: I) => Promise<O>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSettled: () => client.invalidateQueries({ queryKey: conversationKeys.all }),
  });
}

/** Reply on the customer's last channel, or on `channel_id`; a refusal (consent, window) is an ApiError. */
export const useReply = (id: string) =>
  useConversationWrite((input: ReplyInput) =>
    request<Message>(path(id, '/messages'), { method: 'POST', body: input }),
  );

export const useAddNote = (id: string) =>
  useConversationWrite((text: string) =>
    request<Message>(path(id, '/notes'), { method: 'POST', body: { text } }),
  );

export const useAssign = (id: string) =>
  useConversationWrite((assigneeId: string | null) =>
    request<Conversation>(path(id, '/assign'), { method: 'POST', body: { assignee_id: assigneeId } }),
  );

export const useSetStatus = (id: string) =>
  useConversationWrite((input: { status: ConversationStatus; snoozed_until?: string }) =>
    request<Conversation>(path(id, '/status'), { method: 'POST', body: input }),
  );

export const useUpdateConversation = (id: string) =>
  useConversationWrite((patch: { labels?: string[]; priority?: Priority }) =>
    request<Conversation>(path(id), { method: 'PATCH', body: patch }),
  );

/** Where an attachment's content is served (needs the bearer token: fetched, not linked). */
export const attachmentPath = (conversationId: string, attachmentId: string) =>
  path(conversationId, `/attachments/${encodeURIComponent(attachmentId)}`);

/** The conversation report for a period, grouped by channel, agent, team or day. */
export function useConversationReport(input: {
  from: string;
  to: string;
  group_by: ReportGroup;
  business_hours: boolean;
}) {
  return useQuery({
    queryKey: conversationKeys.report(input),
    queryFn: ({ signal }) =>
      request<ConversationReport>('/v1/reports/conversations', {
        query: { ...input, business_hours: input.business_hours || undefined },
        signal,
      }),
  });
}
