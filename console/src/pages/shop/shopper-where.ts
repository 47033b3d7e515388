/**
 * @module Where the shopper is, shared by every store finder and delivery choice on the page: the browser's
 * position when allowed (asked only on a click unless already granted), else a city they picked. One small store
 * outside React, so the product page's finder and each bag line agree without prop drilling.
 */
import { useEffect, useSyncExternalStore } from 'react';
import type { Point } from '../../api/inventory-types';

export type Where = { kind: 'position'; point: Point } | { kind: 'city'; city: string; point: Point } | null;

interface State {
  where: Where;
  locating: boolean;
  denied: boolean;
}

let state: State = { where: null, locating: false, denied: false };
const listeners = new Set<() => void>();
const set = (patch: Partial<State>) => {
  state = { ...state, ...patch };
  listeners.forEach((l) => l());
};

export function chooseWhere(where: Where): void {
  set({ where, denied: false });
}

/** Asks the browser for the position (prompts when not yet allowed). */
export function locateShopper(): void {
  if (!('geolocation' in navigator)) {
    set({ denied: true });
    return;
  }
  set({ locating: true });
  navigator.geolocation.getCurrentPosition(
    (position) =>
      set({
        locating: false,
        denied: false,
        where: {
          kind: 'position',
          point: { latitude: position.coords.latitude, longitude: position.coords.longitude },
        },
      }),
    () => set({ locating: false, denied: true }),
    { timeout: 10_000, maximumAge: 10 * 60_000 },
  );
}

export function useShopperWhere(): State {
  const current = useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => state,
  );
  // Already allowed: use the position straight away; never prompt before the shopper asks.
  useEffect(() => {
    if (state.where || state.locating) return;
    let live = true;
    void navigator.permissions
      ?.query({ name: 'geolocation' })
      .then((status) => {
        if (live && status.state === 'granted' && !state.where) locateShopper();
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);
  return current;
}
