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
  CannedInput,
  CannedResponse,
  Conversation,
  ConversationDetail,
  ConversationMerge,
  ConversationReport,
  ConversationStatus,
  ConversationView,
  Mentionable,
  MergeResult,
  Message,
  Priority,
  RenderedCanned,
  ReplyInput,
  ReportGroup,
  UndoMergeResult,
  ViewCounts,
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
  counts: ['conversations', 'list', 'counts'] as const,
  mentionable: ['conversations', 'mentionable'] as const,
  merges: (id: string) => ['conversations', 'merges', id] as const,
  canned: ['canned-responses'] as const,
};

const path = (id: string, rest = '') => `/v1/conversations/${encodeURIComponent(id)}${rest}`;

export interface ConversationFilter {
  view: ConversationView;
  /** The team of the `team` view. */
  team_id?: string | undefined;
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

/** Active conversations per view, my unread mentions and my teams' counts; realtime events refresh it. */
export function useViewCounts() {
  return useQuery({
    queryKey: conversationKeys.counts,
    queryFn: ({ signal }) => request<ViewCounts>('/v1/conversations/counts', { signal }),
    refetchInterval: 60_000,
  });
}

/** Whom a note can @mention. */
export function useMentionable(enabled = true) {
  return useQuery({
    queryKey: conversationKeys.mentionable,
    queryFn: ({ signal }) =>
      request<{ data: Mentionable[] }>('/v1/conversations/mentionable', { signal }).then((r) => r.data),
    staleTime: 5 * 60_000,
    enabled,
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
  const client = useQueryClient();
  return useQuery({
    queryKey: conversationKeys.detail(id ?? ''),
    queryFn: async ({ signal }) => {
      const detail = await request<ConversationDetail>(path(id!), { signal });
      // Opening it read my mentions there: the Mentions count and badges change. A list fetch already under
      // way is left alone (cancelling it would hold up whoever awaits it, e.g. a reply's refresh).
      void client.invalidateQueries({ queryKey: conversationKeys.list }, { cancelRefetch: false });
      return detail;
    },
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
  useConversationWrite((input: { text: string; mention_ids?: string[] }) =>
    request<Message>(path(id, '/notes'), { method: 'POST', body: input }),
  );

/** Merges `sourceId` into conversation `id` (same customer, or customers merged into one). */
export const useMerge = (id: string) =>
  useConversationWrite((sourceId: string) =>
    request<MergeResult>(path(id, '/merge'), { method: 'POST', body: { source_id: sourceId } }),
  );

/** The merges and splits conversation `id` took part in, newest first (only fetched when `enabled`). */
export function useMerges(id: string, enabled: boolean) {
  return useQuery({
    queryKey: conversationKeys.merges(id),
    queryFn: ({ signal }) => request<{ data: ConversationMerge[] }>(path(id, '/merges'), { signal }),
    enabled,
  });
}

/** Undoes a merge (the merged conversation comes back) or a split, by its log entry. */
export const useUndoMerge = () =>
  useConversationWrite((mergeId: string) =>
    request<UndoMergeResult>(`/v1/conversation-merges/${encodeURIComponent(mergeId)}/undo`, {
      method: 'POST',
    }),
  );

/** Starts a new conversation with this message and every later one. */
export const useSplit = (id: string) =>
  useConversationWrite((messageId: string) =>
    request<MergeResult>(path(id, '/split'), { method: 'POST', body: { message_id: messageId } }),
  );

/** The canned responses I can use (the shared ones and my teams'), with the variables the server knows. */
export function useCannedResponses() {
  return useQuery({
    queryKey: conversationKeys.canned,
    queryFn: ({ signal }) =>
      request<{ data: CannedResponse[]; variables: Record<string, string> }>('/v1/canned-responses', {
        signal,
      }),
    staleTime: 60_000,
  });
}

/** A canned response's text for one conversation, rendered by the server. */
export const renderCanned = (conversationId: string, cannedId: string) =>
  request<RenderedCanned>(path(conversationId, `/canned-responses/${encodeURIComponent(cannedId)}/render`), {
    method: 'POST',
  });

function useCannedWrite<I, O>(fn: (input: I) => Promise<O>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => client.invalidateQueries({ queryKey: conversationKeys.canned }),
  });
}

export const useSaveCanned = () =>
  useCannedWrite((input: CannedInput & { id?: string }) => {
    const { id, ...body } = input;
    return id
      ? request<CannedResponse>(`/v1/canned-responses/${encodeURIComponent(id)}`, { method: 'PATCH', body })
      : request<CannedResponse>('/v1/canned-responses', { method: 'POST', body });
  });

export const useDeleteCanned = () =>
  useCannedWrite((id: string) =>
    request<void>(`/v1/canned-responses/${encodeURIComponent(id)}`, { method: 'DELETE' }),
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
