/**
 * @module What the signed-in user may do, from the permissions `/v1/me` lists (`channels:read`,
 * `webhooks:write`, …). Used to hide what a role cannot use; the server enforces the same table.
 */
import { useCallback } from 'react';
import { useAuth } from './auth-context';

export type Can = (permission: string) => boolean;

export function useCan(): Can {
  const { me } = useAuth();
  const granted = me.data?.permissions;
  return useCallback((permission: string) => granted?.includes(permission) ?? false, [granted]);
}
