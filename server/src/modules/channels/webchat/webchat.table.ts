/** @module Row types of the web chat's tables: visitors (a browser holding a visitor token) and their uploads. */

export interface WebchatVisitorRow {
  id: string;
  channel_id: string;
  /** sha-256 of the visitor token; the token itself lives only in the visitor's browser. */
  token_hash: string;
  /** Segment's anonymous id from the page (ajs_anonymous_id), else null (the visitor id stands in for it). */
  anonymous_id: string | null;
  customer_id: string | null;
  conversation_id: string | null;
  name: string | null;
  email: string | null;
  locale: string | null;
  /** The visitor chose to continue by email while no agent was available: replies go there when she is away. */
  email_fallback: number | boolean;
  created_at: number;
  last_seen_at: number;
}

export interface WebchatUploadRow {
  id: string;
  visitor_id: string;
  channel_id: string;
  filename: string;
  content_type: string;
  size: number;
  content: Buffer;
  created_at: number;
}

export interface WebchatTables {
  webchat_visitors: WebchatVisitorRow;
  webchat_uploads: WebchatUploadRow;
}
