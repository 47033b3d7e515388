/**
 * @module Seeds the demo retailer's contact centre: the web shops open the web chat (their config names the chat
 * channel, so /shop shows the launcher), a support team of the demo agent and admin with Madrid business hours and
 * the national holidays, and SLA policies (a general one and a faster one for web chat).
 */
import { systemActor } from '../platform/auth/principal';
import type { Channel, ChannelsService } from '../modules/channels';
import type { Conversations } from '../modules/conversations';

export interface DemoContactCentreServices {
  channels: ChannelsService;
  conversations: Pick<Conversations, 'teams' | 'sla'>;
}

export interface DemoContactCentreResult {
  teamId: string;
  slaPolicies: number;
}

const weekday = [{ open: '09:00', close: '20:00' }];

/** Spain's national holidays of the demo's year and the next (whole local days closed). */
function nationalHolidays(year: number): string[] {
  return [year, year + 1].flatMap((y) =>
    ['01-01', '01-06', '05-01', '08-15', '10-12', '11-01', '12-06', '12-08', '12-25'].map((d) => `${y}-${d}`),
  );
}

/**
 * Links the web shops to the web chat and creates the support team and its SLA policies.
 * @example await seedDemoContactCentre(services, { web: [shopId], webchat: chatId }, [{ id: agentId, locale: 'es' }])
 */
export async function seedDemoContactCentre(
  services: DemoContactCentreServices,
  channelIds: { web: string[]; webchat: string },
  members: Array<{ id: string; locale: string }>,
): Promise<DemoContactCentreResult> {
  const actor = systemActor;
  for (const id of channelIds.web) {
    const shop: Channel = await services.channels.retrieveChannel(id);
    await services.channels.updateChannel(
      id,
      { config: { ...shop.config, webchat_channel_id: channelIds.webchat } },
      actor,
    );
  }
  const team = await services.conversations.teams.createTeam(
    {
      name: 'Customer care',
      strategy: 'least_busy',
      timezone: 'Europe/Madrid',
      business_hours: {
        mon: weekday,
        tue: weekday,
        wed: weekday,
        thu: weekday,
        fri: weekday,
        sat: [{ open: '10:00', close: '14:00' }],
        sun: [],
      },
      holidays: nationalHolidays(new Date().getUTCFullYear()),
      reassign_after_seconds: 300,
      // Everyone answers in Spanish and English; the demo's staff also speak their own language.
      members: members.map((m) => ({
        user_id: m.id,
        languages: [...new Set(['es', 'en', m.locale])],
        skills: ['orders', 'returns'],
      })),
    },
    actor,
  );
  await services.conversations.sla.createSlaPolicy(
    {
      name: 'Standard',
      first_response_seconds: 4 * 3600,
      next_response_seconds: 8 * 3600,
      resolution_seconds: 3 * 86_400,
    },
    actor,
  );
  await services.conversations.sla.createSlaPolicy(
    {
      name: 'Web chat',
      channel_kind: 'webchat',
      team_id: team.id,
      first_response_seconds: 120,
      next_response_seconds: 300,
      resolution_seconds: 86_400,
    },
    actor,
  );
  return { teamId: team.id, slaPolicies: 2 };
}
