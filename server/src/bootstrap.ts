/** @module First run: when there is no staff user yet, create the owner and an owner API key, and say so once. */
import { systemActor } from './platform/auth/principal';
import { generatePassword } from './platform/auth/secrets';
import type { ApiKeysService } from './platform/auth/api-keys.service';
import type { UsersService } from './platform/auth/users.service';

export interface FirstRunCredentials {
  email: string;
  password: string;
  apiKey: string;
}

export async function bootstrapOwner(
  services: { users: UsersService; apiKeys: ApiKeysService },
  email = 'owner@omnis.local',
): Promise<FirstRunCredentials | null> {
  if ((await services.users.countUsers()) > 0) return null;
  const password = generatePassword();
  await services.users.createUser({ email, name: 'Owner', role: 'owner', password }, null, systemActor);
  const key = await services.apiKeys.createApiKey(
    { kind: 'secret', name: 'First-run owner key', role: 'owner' },
    systemActor,
  );
  return { email, password, apiKey: key.key };
}
