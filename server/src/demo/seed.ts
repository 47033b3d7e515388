/** @module Loads the demo retailer into an empty database through the same services the API uses. */
import { systemActor } from '../platform/auth/principal';
import { UserFacingError } from '../platform/errors';
import type { ChannelsService } from '../modules/channels';
import type { UsersService } from '../platform/auth/users.service';
import type { ApiKeysService } from '../platform/auth/api-keys.service';
import { generatePassword } from '../platform/auth/secrets';
import { demoChannels, demoStaff } from './demo-data';

export interface DemoSeedResult {
  channels: number;
  staff: Array<{ email: string; role: string }>;
  staffPassword: string;
  webPublishableKey: string;
}

export class DemoNotEmptyError extends UserFacingError {}

export async function seedDemo(
  services: { channels: ChannelsService; users: UsersService; apiKeys: ApiKeysService },
  progress: (line: string) => void = () => undefined,
): Promise<DemoSeedResult> {
  const existing = await services.channels.listChannels({ limit: 1 });
  if (existing.data.length > 0)
    throw new DemoNotEmptyError(
      'The database already has channels; demo data loads only into an empty database.',
    );
  let webChannelId = '';
  for (const [i, input] of demoChannels.entries()) {
    const channel = await services.channels.createChannel(input, systemActor);
    if (input.kind === 'web') webChannelId = channel.id;
    progress(`channels ${i + 1}/${demoChannels.length}: ${channel.name}`);
  }
  const staffPassword = generatePassword();
  for (const [i, person] of demoStaff.entries()) {
    await services.users.createUser({ ...person, password: staffPassword }, null, systemActor);
    progress(`staff ${i + 1}/${demoStaff.length}: ${person.email} (${person.role})`);
  }
  const key = await services.apiKeys.createApiKey(
    { kind: 'publishable', name: 'Web shop (demo)', channel_id: webChannelId },
    systemActor,
  );
  return {
    channels: demoChannels.length,
    staff: demoStaff.map(({ email, role }) => ({ email, role })),
    staffPassword,
    webPublishableKey: key.key,
  };
}
