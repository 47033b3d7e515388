/** @module Row types of the routing and SLA tables (teams, presence, capacity, routing state, SLA timers). */

export interface TeamRow {
  id: string;
  name: string;
  channel_kinds: unknown;
  strategy: string;
  timezone: string;
  business_hours: unknown;
  holidays: unknown;
  reassign_after_ms: number | null;
  created_at: number;
  updated_at: number;
}

export interface TeamMemberRow {
  team_id: string;
  user_id: string;
  skills: unknown;
  languages: unknown;
  last_assigned_at: number | null;
}

export interface AgentStateRow {
  user_id: string;
  presence: string;
  presence_at: number;
  idle_since: number;
}

/** One server process holding console sockets of one agent, refreshed by its heartbeat. */
export interface AgentConnectionRow {
  user_id: string;
  node_id: string;
  seen_at: number;
}

export interface AgentLoadRow {
  user_id: string;
  channel_kind: string;
  capacity: number;
  active: number;
}

export interface ConversationRoutingRow {
  conversation_id: string;
  state: string;
  team_id: string | null;
  assignee_id: string | null;
  load_kind: string | null;
  queued_at: number | null;
  assigned_at: number | null;
  answer_due_at: number | null;
  updated_at: number;
}

export interface SlaPolicyRow {
  id: string;
  name: string;
  priority: string | null;
  channel_kind: string | null;
  team_id: string | null;
  first_response_ms: number | null;
  next_response_ms: number | null;
  resolution_ms: number | null;
  at_risk_percent: number;
  created_at: number;
  updated_at: number;
}

export interface SlaTimerRow {
  id: string;
  conversation_id: string;
  policy_id: string;
  team_id: string | null;
  metric: string;
  status: string;
  started_at: number;
  target_ms: number;
  due_at: number | null;
  at_risk_at: number | null;
  remaining_ms: number | null;
  stopped_at: number | null;
  breached_at: number | null;
}

export interface RoutingTables {
  teams: TeamRow;
  team_members: TeamMemberRow;
  agent_states: AgentStateRow;
  agent_connections: AgentConnectionRow;
  agent_loads: AgentLoadRow;
  conversation_routing: ConversationRoutingRow;
  sla_policies: SlaPolicyRow;
  sla_timers: SlaTimerRow;
}
