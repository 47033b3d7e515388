/**
 * @module The customer's own preference centre (`/store/v1/me…`), called with the customer token from their
 * link in `X-Customer-Token` — never with a staff session, so this client does not use the console's one.
 * The token is kept for the tab only (sessionStorage) and taken out of the address bar, so it does not linger
 * in history or leak through a Referer.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, NETWORK_ERROR_STATUS, type Problem } from './client';

export const CUSTOMER_CHANNELS = [
  'email',
  'sms',
  'whatsapp',
  'push',
  'phone',
  'post',
  'messenger',
  'in_app',
] as const;
export type CustomerChannel = (typeof CUSTOMER_CHANNELS)[number];

/** Purposes a customer decides on themselves; `service` rests on the contract and is shown, not switched. */
export const CUSTOMER_PURPOSES = ['analytics', 'personalization', 'profiling'] as const;
export type CustomerPurpose = (typeof CUSTOMER_PURPOSES)[number];

/** The version of the wording shown; recorded as evidence with every change (bump it when texts change). */
export const WORDING_VERSION = 'omnis-preferences-1';

export interface QuietHours {
  start: string;
  end: string;
  timezone?: string | null;
}

export interface ErasureRequest {
  id: string;
  status: 'pending' | 'completed' | 'rejected' | 'cancelled';
  requested_at: string;
  due_at: string;
  decided_at: string | null;
  reason: string | null;
}

export interface Me {
  customer: { id: string; first_name: string | null; locale: string | null; timezone: string | null };
  consents: Array<{ purpose: string; channel: string | null; status: string; occurred_at: string }>;
  preferences: { preferred_channel: CustomerChannel | null; quiet_hours: QuietHours | null };
  erasure_request: ErasureRequest | null;
  link: { expires_at: string; proves_email: boolean };
}

export interface PreferencesInput {
  preferred_channel: CustomerChannel | null;
  quiet_hours: { start: string; end: string } | null;
  timezone?: string | null;
  locale?: string;
}

export interface ConsentChange {
  purpose: 'marketing' | CustomerPurpose;
  channel?: CustomerChannel;
  status: 'granted' | 'withdrawn';
  evidence: { wording: string; version: string };
}

const STORAGE_KEY = 'omnis.customerToken';

/**
 * The token for this tab: taken from `?token=` on arrival (then removed from the URL), else the one stored
 * when the page was first opened in this tab (a reload).
 */
export function takeCustomerToken(): string | null {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  try {
    if (fromUrl) {
      sessionStorage.setItem(STORAGE_KEY, fromUrl);
      url.searchParams.delete('token');
      window.history.replaceState(window.history.state, '', url.pathname + url.search + url.hash);
      return fromUrl;
    }
    return sessionStorage.getItem(STORAGE_KEY);
  } catch {
    // Storage disabled: the token from the URL still works for this visit.
    return fromUrl;
  }
}

export function forgetCustomerToken(): void {
  try {
    sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    // nothing stored
  }
}

async function call<T>(token: string, path: string, method = 'GET', body?: unknown): Promise<T> {
  const headers: Record<string, string> = {
    Accept: 'application/json, application/problem+json',
    'X-Customer-Token': token,
  };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      // The page must never be cached with someone's data in it.
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(NETWORK_ERROR_STATUS, { title: 'Network error' });
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!response.ok) {
    const problem = typeof parsed === 'object' && parsed !== null ? (parsed as Problem) : {};
    throw new ApiError(response.status, { status: response.status, ...problem });
  }
  return parsed as T;
}

const meKey = ['self-service', 'me'] as const;

export function useMyPreferences(token: string | null) {
  return useQuery({
    queryKey: meKey,
    queryFn: () => call<Me>(token!, '/store/v1/me'),
    enabled: token !== null,
    staleTime: 0,
  });
}

/** Mutations of the preference centre; each puts the answer (or a fresh read) into the page's cache. */
export function usePreferenceActions(token: string | null) {
  const client = useQueryClient();
  const refresh = () => client.invalidateQueries({ queryKey: meKey });
  const store = (me: Me) => client.setQueryData(meKey, me);
  return {
    changeConsent: useMutation({
      mutationFn: (change: ConsentChange) =>
        call<{ consents: Array<{ status: string }>; confirmation_requested: boolean }>(
          token!,
          '/store/v1/me/consents',
          'POST',
          { consents: [change] },
        ),
      onSettled: refresh,
    }),
    savePreferences: useMutation({
      mutationFn: (input: PreferencesInput) => call<Me>(token!, '/store/v1/me/preferences', 'PUT', input),
      onSuccess: store,
    }),
    requestErasure: useMutation({
      mutationFn: () =>
        call<ErasureRequest>(token!, '/store/v1/me/erasure-request', 'POST', { confirm: true }),
      onSettled: refresh,
    }),
    cancelErasure: useMutation({
      mutationFn: () => call<ErasureRequest>(token!, '/store/v1/me/erasure-request', 'DELETE'),
      onSettled: refresh,
    }),
    downloadExport: useMutation({
      mutationFn: async () => {
        const archive = await call<{ customer_id: string }>(token!, '/store/v1/me/export');
        const blob = new Blob([JSON.stringify(archive, null, 2)], { type: 'application/json' });
        const href = URL.createObjectURL(blob);
        const anchor = document.createElement('a');
        anchor.href = href;
        anchor.download = `my-data-${archive.customer_id}.json`;
        document.body.append(anchor);
        anchor.click();
        anchor.remove();
        setTimeout(() => URL.revokeObjectURL(href), 10_000);
      },
    }),
    forgetLink: useMutation({
      mutationFn: () => call<void>(token!, '/store/v1/me/token', 'DELETE'),
      onSuccess: () => {
        forgetCustomerToken();
        client.removeQueries({ queryKey: meKey });
      },
    }),
  };
}
