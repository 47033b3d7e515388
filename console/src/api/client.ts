/**
 * @module The one HTTP client for the Omnis API: adds the bearer token, encodes JSON, and turns
 * `application/problem+json` (RFC 9457) into an ApiError. A 401 on any call but sign-in ends the session.
 */
import { getToken, setToken } from '../lib/session';

export interface FieldError {
  field: string;
  message: string;
}

export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  code?: string;
  errors?: FieldError[];
  request_id?: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly title: string;
  readonly detail: string | undefined;
  readonly code: string | undefined;
  readonly errors: FieldError[];
  readonly requestId: string | undefined;
  /** The whole problem document, with any extension members (e.g. `pricing` of checkout_price_changed). */
  readonly problem: Problem;

  constructor(status: number, problem: Problem) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.title = problem.title ?? `HTTP ${status}`;
    this.detail = problem.detail;
    this.code = problem.code;
    this.errors = problem.errors ?? [];
    this.requestId = problem.request_id;
    this.problem = problem;
  }
}

/** Status used for an ApiError when the server could not be reached at all. */
export const NETWORK_ERROR_STATUS = 0;

export type QueryParams = Record<string, string | number | boolean | null | undefined>;

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  body?: unknown;
  query?: QueryParams;
  /** Sign-in answers 401 for a wrong password; that must not be treated as an expired session. */
  skipAuthRedirect?: boolean;
  signal?: AbortSignal;
  /** Extra request headers, e.g. `Idempotency-Key` on a POS sale so a retry is answered, not repeated. */
  headers?: Record<string, string>;
}

export function buildUrl(path: string, query?: QueryParams): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

/**
 * Calls the API and returns the decoded JSON body (undefined for 204).
 * @example const channel = await request<Channel>('/v1/channels', { method: 'POST', body: { kind: 'web', name: 'Shop' } });
 */
export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = {
    ...options.headers,
    Accept: 'application/json, application/problem+json',
  };
  const token = getToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';

  let response: Response;
  try {
    response = await fetch(buildUrl(path, options.query), {
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError(NETWORK_ERROR_STATUS, { title: 'Network error' });
  }

  if (response.status === 401 && !options.skipAuthRedirect && token) setToken(null);

  if (response.status === 204) return undefined as T;

  const text = await response.text();
  let body: unknown = undefined;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      // A proxy's HTML error page, for instance: keep the status, drop the body.
      body = undefined;
    }
  }

  if (!response.ok) {
    const problem = typeof body === 'object' && body !== null ? (body as Problem) : {};
    throw new ApiError(response.status, { status: response.status, ...problem });
  }
  return body as T;
}
