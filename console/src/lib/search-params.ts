/**
 * @module One query-string parameter at a time for list filters. react-router's functional `setSearchParams`
 * hands over the parameters of the last render, so a filter typed right after "Clear" (before React re-rendered)
 * would bring the cleared ones back; the browser's current URL is always the latest.
 */
import { useCallback } from 'react';
import { useSearchParams } from 'react-router';

export function useSetSearchParam(): (key: string, value: string | null) => void {
  const [, setParams] = useSearchParams();
  return useCallback(
    (key, value) => {
      const next = new URLSearchParams(window.location.search);
      if (value) next.set(key, value);
      else next.delete(key);
      setParams(next, { replace: true });
    },
    [setParams],
  );
}
