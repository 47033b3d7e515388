/**
 * @module Cursor-paginated lists (`{data, next_cursor}`) as TanStack infinite queries, flattened for tables
 * that show a "Load more" button while the server has more.
 */
import { useInfiniteQuery, type QueryKey } from '@tanstack/react-query';
import { useMemo } from 'react';
import { request, type QueryParams } from './client';
import type { Page } from './types';

export const PAGE_SIZE = 50;

export interface ListOptions {
  enabled?: boolean;
  /** Poll while the screen is open, in milliseconds (e.g. a delivery log that changes on its own). */
  refetchInterval?: number;
}

export function useList<T>(key: QueryKey, path: string, params: QueryParams = {}, options: ListOptions = {}) {
  const query = useInfiniteQuery({
    queryKey: [...key, params],
    queryFn: ({ pageParam, signal }) =>
      request<Page<T>>(path, { query: { ...params, limit: PAGE_SIZE, cursor: pageParam }, signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    enabled: options.enabled ?? true,
    refetchInterval: options.refetchInterval,
  });
  const items = useMemo(() => query.data?.pages.flatMap((page) => page.data) ?? [], [query.data]);
  return { ...query, items };
}
