/** @module Row types of the auth tables, exactly as stored. */

export interface StaffUserRow {
  id: string;
  email: string;
  name: string;
  role: string;
  password_hash: string;
  locale: string;
  active: number | boolean;
  created_at: number;
  updated_at: number;
  last_login_at: number | null;
}

export interface SessionRow {
  id: string;
  user_id: string;
  token_hash: string;
  ip: string | null;
  user_agent: string | null;
  created_at: number;
  last_used_at: number;
  expires_at: number;
}

export interface ApiKeyRow {
  id: string;
  kind: 'secret' | 'publishable';
  name: string;
  role: string | null;
  channel_id: string | null;
  token_hash: string;
  display: string;
  created_by: string | null;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

export interface LoginAttemptRow {
  id: string;
  email: string;
  ip: string;
  succeeded: number | boolean;
  attempted_at: number;
}

export interface AuthTables {
  staff_users: StaffUserRow;
  sessions: SessionRow;
  api_keys: ApiKeyRow;
  login_attempts: LoginAttemptRow;
}
