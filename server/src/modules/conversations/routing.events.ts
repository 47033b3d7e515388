/** @module Event types of routing and SLA (registered through conversationsEventTypes). */
import type { EventTypeDefinition } from '../../platform/events/envelope';

const read = 'conversations:read' as const;
export const routingEventTypes: EventTypeDefinition[] = [
  { type: 'team.created', description: 'A team (queue) was created', permission: read },
  { type: 'team.updated', description: 'A team’s members, hours or strategy changed', permission: read },
  { type: 'team.deleted', description: 'A team was deleted', permission: read },
  { type: 'agent.presence_changed', description: 'An agent went online, away or offline', permission: read },
  { type: 'sla_policy.created', description: 'An SLA policy was created', permission: read },
  { type: 'sla_policy.deleted', description: 'An SLA policy was deleted', permission: read },
  {
    type: 'sla.at_risk',
    description: 'An SLA timer passed its policy’s at-risk share of the target (data.metric)',
    permission: read,
  },
  { type: 'sla.breached', description: 'An SLA timer passed its due time (data.metric)', permission: read },
];
