/** @module Why the routing and SLA tables are outside the privacy handler: they hold ids, times and settings only. */

export const routingNoCustomerData: Record<string, string> = {
  teams: 'team names, channel kinds, business hours: settings, no customer data',
  team_members: 'staff user ids with their skills and languages',
  agent_states: 'staff presence',
  agent_connections: 'which server process holds a staff user’s console sockets, with a heartbeat time',
  agent_loads: 'staff capacity counters per channel kind',
  conversation_routing: 'conversation and staff ids with routing times; no customer content',
  sla_policies: 'SLA targets: settings, no customer data',
  sla_timers: 'conversation ids with SLA times; no customer content',
};
