/**
 * @module Which shops this browser knows: the publishable keys given to `/shop?key=pk_…` (the parameter may be
 * repeated, one per shop), remembered in localStorage so the shop opens again without the link. A publishable
 * key is public by design — it only reads what the channel sells — so keeping it on the device is harmless.
 */

const KEYS = 'omnis.shop.keys';
const CURRENT = 'omnis.shop.current';

/** What a publishable key looks like: the server's `pk_` prefix and a URL-safe body. */
export const isPublishableKey = (value: string): boolean => /^pk_[A-Za-z0-9_-]{8,200}$/.test(value);

function read(): { keys: string[]; current: string | null } {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(KEYS) ?? '[]');
    const keys = Array.isArray(parsed)
      ? parsed.filter((k): k is string => typeof k === 'string' && isPublishableKey(k))
      : [];
    const current = localStorage.getItem(CURRENT);
    return { keys, current: current && keys.includes(current) ? current : (keys[0] ?? null) };
  } catch {
    return { keys: [], current: null };
  }
}

function write(keys: string[], current: string | null): void {
  try {
    localStorage.setItem(KEYS, JSON.stringify(keys));
    if (current) localStorage.setItem(CURRENT, current);
    else localStorage.removeItem(CURRENT);
  } catch {
    // Storage disabled: the shop works for this page only.
  }
}

export interface ShopKeys {
  keys: string[];
  current: string | null;
}

/**
 * The known shops after taking `?key=` from the address bar (then removed from it, so a shared link or a
 * screenshot shows the page, not the key list). The first key of the link becomes the current shop.
 */
export function takeShopKeys(): ShopKeys {
  const url = new URL(window.location.href);
  const given = url.searchParams.getAll('key').filter(isPublishableKey);
  const stored = read();
  if (given.length === 0) return stored;
  const keys = [...given, ...stored.keys.filter((k) => !given.includes(k))];
  write(keys, given[0]!);
  url.searchParams.delete('key');
  window.history.replaceState(window.history.state, '', url.pathname + url.search + url.hash);
  return { keys, current: given[0]! };
}

/** Adds a key (typed on the no-key screen) and makes it the current shop. */
export function addShopKey(key: string): ShopKeys {
  const { keys } = read();
  const next = [key, ...keys.filter((k) => k !== key)];
  write(next, key);
  return { keys: next, current: key };
}

export function chooseShopKey(key: string): ShopKeys {
  const { keys } = read();
  write(keys, key);
  return { keys, current: key };
}

/** Forgets a key the server no longer accepts (revoked, or from another installation). */
export function forgetShopKey(key: string): ShopKeys {
  const keys = read().keys.filter((k) => k !== key);
  const current = keys[0] ?? null;
  write(keys, current);
  return { keys, current };
}
