/**
 * @module Live presence in a conversation over the console's realtime socket: this tab tells the hub which
 * conversation it has open (`{type:'view'}` — the collision signal goes only to agents viewing it), announces
 * this agent's typing (`{type:'typing', state:'typing'|'idle'}`), and hears ephemeral `conversation.typing`
 * events — another agent replying ("Ana is replying") or the web-chat customer typing.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { sendRealtime, subscribeRealtime } from './realtime';

/** How long a typing signal counts without a fresh one (a closed tab never says "idle"). */
const TYPING_TTL_MS = 6_000;
/** While typing goes on, "typing" is repeated this often so the receivers' TTL does not run out. */
const ANNOUNCE_EVERY_MS = 3_000;
/** This long without a keystroke counts as stopped. */
const IDLE_AFTER_MS = 4_000;

export interface Typist {
  /** `staff` for another agent, `customer` for the customer. */
  type: string;
  id: string | null;
  /** The name the server sent (the agent's, or the visitor's when she gave one). */
  name: string | null;
  until: number;
}

interface TypingFrame {
  conversationId: string;
  type: string;
  id: string | null;
  name: string | null;
  typing: boolean;
}

/** Reads `{type:'event', event:{type:'conversation.typing', actor, data:{conversation_id, state, name}}}`. */
export function typingFrame(message: unknown): TypingFrame | null {
  if (typeof message !== 'object' || message === null) return null;
  const m = message as { type?: unknown; event?: Record<string, unknown> };
  const event = m.type === 'event' ? m.event : undefined;
  if (!event || event.type !== 'conversation.typing') return null;
  const data = (event.data ?? {}) as Record<string, unknown>;
  const actor = (event.actor ?? {}) as Record<string, unknown>;
  if (typeof data.conversation_id !== 'string') return null;
  return {
    conversationId: data.conversation_id,
    type: typeof actor.type === 'string' ? actor.type : 'staff',
    id: typeof actor.id === 'string' ? actor.id : null,
    name: typeof data.name === 'string' && data.name ? data.name : null,
    typing: data.state !== 'idle',
  };
}

/** Tells the hub this tab has the conversation open (and nothing open once it closes). */
export function useViewing(conversationId: string | null): void {
  useEffect(() => {
    if (!conversationId) return;
    sendRealtime({ type: 'view', conversation_id: conversationId });
    return () => sendRealtime({ type: 'view', conversation_id: null });
  }, [conversationId]);
}

/** Who is typing in a conversation right now, other than `selfId`. */
export function useTypists(conversationId: string | null, selfId: string | null): Typist[] {
  const [typists, setTypists] = useState<Typist[]>([]);

  useEffect(() => {
    setTypists([]);
    if (!conversationId) return;
    const unsubscribe = subscribeRealtime((message) => {
      const frame = typingFrame(message);
      if (!frame || frame.conversationId !== conversationId) return;
      if (frame.type === 'staff' && frame.id === selfId) return;
      setTypists((current) => {
        const others = current.filter((t) => !(t.type === frame.type && t.id === frame.id));
        if (!frame.typing) return others;
        const until = Date.now() + TYPING_TTL_MS;
        return [...others, { type: frame.type, id: frame.id, name: frame.name, until }];
      });
    });
    const sweep = setInterval(
      () =>
        setTypists((current) =>
          current.some((t) => t.until < Date.now()) ? current.filter((t) => t.until >= Date.now()) : current,
        ),
      1_000,
    );
    return () => {
      unsubscribe();
      clearInterval(sweep);
    };
  }, [conversationId, selfId]);

  return typists;
}

/**
 * Returns `announce()`: call it on every keystroke. It says "typing" at once and then every few seconds while
 * keystrokes continue, and "idle" after a pause, when the conversation changes or the pane closes.
 */
export function useAnnounceTyping(conversationId: string | null): () => void {
  const last = useRef(0);
  const idleTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useEffect(() => {
    if (!conversationId) return;
    return () => {
      clearTimeout(idleTimer.current);
      if (last.current) sendRealtime({ type: 'typing', conversation_id: conversationId, state: 'idle' });
      last.current = 0;
    };
  }, [conversationId]);

  return useCallback(() => {
    if (!conversationId) return;
    clearTimeout(idleTimer.current);
    idleTimer.current = setTimeout(() => {
      last.current = 0;
      sendRealtime({ type: 'typing', conversation_id: conversationId, state: 'idle' });
    }, IDLE_AFTER_MS);
    if (Date.now() - last.current < ANNOUNCE_EVERY_MS) return;
    last.current = Date.now();
    sendRealtime({ type: 'typing', conversation_id: conversationId, state: 'typing' });
  }, [conversationId]);
}

/**
 * Calls `onMention` when a note mentions the signed-in agent (`conversation.mentioned` with her id). The hub sends
 * the event to the mentioned user's sockets only; the id check stays for a socket opened by another user of the
 * same browser (a sign-in as someone else before it reconnects).
 */
export function useMentionAlerts(
  selfId: string | null,
  onMention: (mention: { conversationId: string; byUserId: string | null }) => void,
): void {
  // The latest callback, so the subscription made once per user never calls a stale one.
  const latest = useRef(onMention);
  latest.current = onMention;
  useEffect(() => {
    if (!selfId) return;
    return subscribeRealtime((message) => {
      const frame = message as {
        type?: string;
        event?: {
          type?: string;
          data?: { id?: string; user_id?: string };
          actor?: { id?: string | null };
        };
      };
      const data = frame.event?.data;
      if (frame.type !== 'event' || frame.event?.type !== 'conversation.mentioned') return;
      if (data?.user_id !== selfId || !data.id) return;
      latest.current({ conversationId: data.id, byUserId: frame.event.actor?.id ?? null });
    });
  }, [selfId]);
}
