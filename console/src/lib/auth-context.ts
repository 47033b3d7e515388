/**
 * @module The signed-in session as React sees it: token, the current user, sign-in and sign-out.
 */
import { createContext, useContext } from 'react';
import type { UseQueryResult } from '@tanstack/react-query';
import type { Locale, LoginResponse, Me } from '../api/types';

export interface AuthContextValue {
  token: string | null;
  me: UseQueryResult<Me>;
  /** Starts the session. `chosenLocale` is a language picked on the sign-in screen, saved to the profile. */
  signIn: (response: LoginResponse, chosenLocale?: Locale) => void;
  signOut: () => Promise<void>;
}

export const AuthContext = createContext<AuthContextValue | null>(null);

export function useAuth(): AuthContextValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth must be used inside <AuthProvider>');
  return value;
}
