/** @module Row type of the audit log. */

export interface AuditRow {
  id: string;
  actor_type: string;
  actor_id: string | null;
  actor_label: string;
  action: string;
  target_type: string | null;
  target_id: string | null;
  ip: string | null;
  request_id: string | null;
  data: unknown;
  occurred_at: number;
}

export interface AuditTables {
  audit_log: AuditRow;
}
