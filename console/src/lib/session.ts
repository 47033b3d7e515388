/**
 * @module The signed-in session as the browser keeps it: the bearer token in localStorage, plus a tiny
 * subscription so the API client (which sees a 401) and React (which must redirect) stay in step.
 */

const TOKEN_KEY = 'omnis.token';

type Listener = (token: string | null) => void;
const listeners = new Set<Listener>();

export function getToken(): string | null {
  try {
    return localStorage.getItem(TOKEN_KEY);
  } catch {
    // Storage can be unavailable (privacy mode); the console then behaves as signed out.
    return null;
  }
}

export function setToken(token: string | null): void {
  try {
    if (token) localStorage.setItem(TOKEN_KEY, token);
    else localStorage.removeItem(TOKEN_KEY);
  } catch {
    // Deliberately ignored: see getToken.
  }
  for (const listener of listeners) listener(token);
}

export function onTokenChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

// Another tab signing in or out changes this tab's session too.
if (typeof window !== 'undefined') {
  window.addEventListener('storage', (event) => {
    if (event.key !== TOKEN_KEY) return;
    for (const listener of listeners) listener(event.newValue);
  });
}
