/**
 * @module The widget's line to Omnis: starts or resumes the visitor (her token kept in localStorage per key),
 * reads the page's Segment anonymous id (analytics.js keeps `ajs_anonymous_id` in localStorage or a cookie), keeps
 * the socket open — reconnecting with backoff and resuming from the last message seen — and uploads files.
 */
export interface ChatMessage {
  id: string | null;
  client_id?: string;
  direction: 'in' | 'out';
  text: string | null;
  attachments?: Array<{ filename: string }>;
  created_at: string;
  /** A CSAT survey: shown as a 1–5 scale while `open`, answered with a `csat` frame. */
  csat?: { survey_id: string; open: boolean; rating: number | null };
}

export type ServerFrame =
  | { type: 'ready'; agents_available: boolean; messages: ChatMessage[]; visitor: Visitor }
  | { type: 'message'; client_id?: string; message: ChatMessage }
  | { type: 'ack'; client_id: string; message_id: string }
  | { type: 'typing'; from: 'agent'; state: 'typing' | 'idle'; name: string }
  | { type: 'visitor'; visitor: Visitor }
  | { type: 'csat_answered'; survey_id: string; rating: number; comment: string | null }
  | { type: 'error'; code: string; detail: string; errors?: Array<{ field: string; message: string }> };

export interface Visitor {
  id: string;
  name: string | null;
  email: string | null;
  continue_by_email: boolean;
}

function stored(name: string): string | null {
  try {
    return localStorage.getItem(name);
  } catch {
    return null;
  }
}

/** analytics.js stores the id JSON-encoded (`"abc"`); a cookie may also be URL-encoded. */
export function segmentAnonymousId(): string | null {
  const clean = (raw: string | null | undefined) => {
    if (!raw) return null;
    let value = decodeURIComponent(raw);
    try {
      const parsed: unknown = JSON.parse(value);
      if (typeof parsed === 'string') value = parsed;
    } catch {
      // not JSON: the raw id
    }
    return value.trim() || null;
  };
  const cookie = document.cookie.split('; ').find((c) => c.startsWith('ajs_anonymous_id='));
  return clean(stored('ajs_anonymous_id')) ?? clean(cookie?.slice('ajs_anonymous_id='.length));
}

export function createConnection(options: {
  base: string;
  publishableKey: string;
  locale: string;
  onFrame: (frame: ServerFrame) => void;
  onStatus: (connected: boolean) => void;
}) {
  const storageKey = `omnis.chat.${options.publishableKey.slice(0, 16)}`;
  let token = stored(storageKey);
  let socket: WebSocket | null = null;
  let lastSeen: string | null = null;
  let attempts = 0;
  let closed = false;

  async function startSession(extra: { name?: string; email?: string } = {}) {
    const res = await fetch(`${options.base}/chat/v1/sessions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${options.publishableKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        ...(token ? { visitor_token: token } : {}),
        ...(segmentAnonymousId() ? { anonymous_id: segmentAnonymousId() } : {}),
        locale: options.locale,
        ...extra,
      }),
    });
    if (!res.ok) throw new Error(`chat session refused (${res.status})`);
    const body = (await res.json()) as { visitor_token: string; visitor: Visitor; agents_available: boolean };
    token = body.visitor_token;
    try {
      localStorage.setItem(storageKey, token);
    } catch {
      // storage disabled: the chat lasts as long as the page
    }
    return body;
  }

  function connect(): void {
    if (closed || !token) return;
    const url = new URL(`${options.base.replace(/^http/, 'ws')}/chat/v1/ws`);
    url.searchParams.set('token', token);
    if (lastSeen) url.searchParams.set('since', lastSeen);
    const ws = new WebSocket(url);
    socket = ws;
    ws.onopen = () => {
      attempts = 0;
      options.onStatus(true);
    };
    ws.onmessage = (event) => {
      const frame = JSON.parse(String(event.data)) as ServerFrame;
      const seen =
        frame.type === 'message'
          ? frame.message.id
          : frame.type === 'ready'
            ? frame.messages.at(-1)?.id
            : null;
      if (seen && (!lastSeen || seen > lastSeen)) lastSeen = seen;
      if (frame.type === 'ack' && (!lastSeen || frame.message_id > lastSeen)) lastSeen = frame.message_id;
      options.onFrame(frame);
    };
    ws.onclose = () => {
      options.onStatus(false);
      if (closed) return;
      // Backoff 1 s doubling to 30 s; on resume the server sends what arrived since `lastSeen`.
      const delay = Math.min(30_000, 1_000 * 2 ** attempts++);
      setTimeout(connect, delay);
    };
  }

  /** Whether the key opens a chat at all (a shop without one shows no launcher). */
  async function available(): Promise<boolean> {
    const res = await fetch(`${options.base}/chat/v1/availability`, {
      headers: { authorization: `Bearer ${options.publishableKey}` },
    }).catch(() => null);
    return res?.ok === true && ((await res.json()) as { chat: boolean }).chat;
  }

  return {
    available,
    startSession,
    connect,
    send(frame: object): boolean {
      if (socket?.readyState !== WebSocket.OPEN) return false;
      socket.send(JSON.stringify(frame));
      return true;
    },
    async upload(file: File): Promise<{ id: string } | null> {
      const res = await fetch(`${options.base}/chat/v1/uploads?filename=${encodeURIComponent(file.name)}`, {
        method: 'POST',
        headers: { 'x-visitor-token': token ?? '', 'content-type': file.type || 'application/octet-stream' },
        body: file,
      });
      return res.ok ? ((await res.json()) as { id: string }) : null;
    },
    close(): void {
      closed = true;
      socket?.close();
    },
  };
}
