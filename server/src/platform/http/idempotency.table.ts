/** @module Row type of stored idempotent responses. */

export interface IdempotencyRow {
  principal_id: string;
  key: string;
  request_hash: string;
  state: 'in_progress' | 'completed';
  response_status: number | null;
  response_headers: unknown;
  response_body: string | null;
  created_at: number;
  expires_at: number;
}

export interface IdempotencyTables {
  idempotency_keys: IdempotencyRow;
}
