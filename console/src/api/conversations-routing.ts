/**
 * @module The inbox's routing side as TanStack Query hooks: teams (`/v1/teams`), my presence
 * (`PUT /v1/me/presence`, read back through `/v1/agents/:id`), "take next", transfer to an agent or a team with a
 * private note, a conversation's SLA status, and the CSAT answer a resolved conversation got (read from the
 * customer's timeline, where `csat.answered` carries the rating). All keys live under `conversations`, so the
 * realtime events that touch conversations refresh them too.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, request } from './client';
import type {
  AgentState,
  Conversation,
  ConversationSla,
  Presence,
  Team,
  TransferInput,
} from './conversations-types';
import type { TimelineEntry } from './customer-types';

export const routingKeys = {
  teams: ['conversations', 'teams'] as const,
  agent: (id: string) => ['conversations', 'agent', id] as const,
  sla: (id: string) => ['conversations', 'sla', id] as const,
  csat: (customerId: string) => ['conversations', 'csat', customerId] as const,
};

const conversationPath = (id: string, rest: string) => `/v1/conversations/${encodeURIComponent(id)}${rest}`;

export function useTeams(enabled = true) {
  return useQuery({
    queryKey: routingKeys.teams,
    queryFn: ({ signal }) => request<{ data: Team[] }>('/v1/teams', { signal }),
    select: (body) => body.data,
    staleTime: 60_000,
    enabled,
  });
}

/** My presence; an agent the routing has never seen reads as offline. */
export function useAgentState(userId: string | null) {
  return useQuery({
    queryKey: routingKeys.agent(userId ?? ''),
    queryFn: ({ signal }) => request<AgentState>(`/v1/agents/${encodeURIComponent(userId!)}`, { signal }),
    enabled: Boolean(userId),
  });
}

export function useSetPresence(userId: string | null) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (presence: Presence) =>
      request<AgentState>('/v1/me/presence', { method: 'PUT', body: { presence } }),
    onSuccess: (state) => client.setQueryData(routingKeys.agent(userId ?? ''), state),
  });
}

/** Takes the oldest-waiting unassigned conversation of my teams; 404 when nothing waits, 409 when I am full. */
export function useTakeNext() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => request<Conversation>('/v1/conversations/take-next', { method: 'POST' }),
    onSettled: () => client.invalidateQueries({ queryKey: ['conversations'] }),
  });
}

export function useTransfer(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: TransferInput) =>
      request<Conversation>(conversationPath(id, '/transfer'), { method: 'POST', body: input }),
    onSettled: () => client.invalidateQueries({ queryKey: ['conversations'] }),
  });
}

export function useConversationSla(id: string | null, enabled = true) {
  return useQuery({
    queryKey: routingKeys.sla(id ?? ''),
    queryFn: ({ signal }) => request<ConversationSla>(conversationPath(id!, '/sla'), { signal }),
    enabled: Boolean(id) && enabled,
    retry: (count, error) => count < 2 && !(error instanceof ApiError && error.status === 404),
  });
}

export interface CsatAnswer {
  conversation_id: string;
  rating: number;
  answered_at: string;
}

/**
 * The customer's survey answers, newest first. The server has no per-conversation CSAT route; the timeline's
 * `csat.answered` events carry conversation id and rating, and reading them needs `customers:read`.
 */
export function useCsatAnswers(customerId: string | null, enabled = true) {
  return useQuery({
    queryKey: routingKeys.csat(customerId ?? ''),
    queryFn: ({ signal }) =>
      request<{ data: TimelineEntry[] }>(`/v1/customers/${encodeURIComponent(customerId!)}/timeline`, {
        query: { kind: 'csat', limit: 100 },
        signal,
      }),
    select: (page): CsatAnswer[] =>
      page.data.flatMap((e) => {
        const data = e.data as { conversation_id?: unknown; rating?: unknown };
        return e.type === 'csat.answered' &&
          typeof data.conversation_id === 'string' &&
          typeof data.rating === 'number'
          ? [{ conversation_id: data.conversation_id, rating: data.rating, answered_at: e.occurred_at }]
          : [];
      }),
    enabled: Boolean(customerId) && enabled,
  });
}
