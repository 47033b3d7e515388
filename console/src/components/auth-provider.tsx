/**
 * @module Holds the session: follows the stored token (a 401 anywhere clears it), loads /v1/me, applies the
 * user's language once per session, and drops all cached server data on sign-out.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { logout, updateMe, useMe } from '../api/auth';
import { queryKeys } from '../api/query-keys';
import { useRealtime } from '../api/realtime';
import type { Locale, LoginResponse } from '../api/types';
import { currentLanguage, setLanguage } from '../i18n';
import { isLocale } from '../i18n/languages';
import { AuthContext, type AuthContextValue } from '../lib/auth-context';
import { getToken, onTokenChange, setToken } from '../lib/session';

export function AuthProvider({ children }: { children: ReactNode }) {
  const client = useQueryClient();
  const [token, setTokenState] = useState<string | null>(getToken);
  // The token whose user's locale has already been applied, so later refetches don't override a switch.
  const localeAppliedFor = useRef<string | null>(null);

  useEffect(
    () =>
      onTokenChange((next) => {
        setTokenState(next);
        if (!next) client.clear();
      }),
    [client],
  );

  const me = useMe(token !== null);
  useRealtime(token);

  useEffect(() => {
    if (!token || !me.data || localeAppliedFor.current === token) return;
    localeAppliedFor.current = token;
    if (isLocale(me.data.locale) && me.data.locale !== currentLanguage()) setLanguage(me.data.locale);
  }, [token, me.data]);

  const signIn = useCallback(
    (response: LoginResponse, chosenLocale?: Locale) => {
      client.clear();
      localeAppliedFor.current = response.token;
      setToken(response.token);
      if (chosenLocale && chosenLocale !== response.user.locale) {
        // A language picked on the sign-in screen becomes the profile's.
        updateMe({ locale: chosenLocale })
          .then((updated) => client.setQueryData(queryKeys.me, updated))
          .catch(() => undefined);
      } else if (isLocale(response.user.locale)) {
        setLanguage(response.user.locale);
      }
    },
    [client],
  );

  const signOut = useCallback(async () => {
    try {
      await logout();
    } catch {
      // The session ends on this device whatever the server says.
    }
    setToken(null);
  }, []);

  const value = useMemo<AuthContextValue>(
    () => ({ token, me, signIn, signOut }),
    [token, me, signIn, signOut],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}
