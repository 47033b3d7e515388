/**
 * @module Cursor-paginated lists of the customers module that are always re-read when a screen opens: a 360
 * must show what happened a second ago (a message just in, a merge just made), not the last visit's copy.
 */
import { useInfiniteQuery, type QueryKey } from '@tanstack/react-query';
import { useMemo } from 'react';
import { request, type QueryParams } from './client';
import { PAGE_SIZE } from './list';
import type { Page } from './types';

export function useFreshList<T>(key: QueryKey, path: string, params: QueryParams = {}, enabled = true) {
  const query = useInfiniteQuery({
    queryKey: [...key, params],
    queryFn: ({ pageParam, signal }) =>
      request<Page<T>>(path, { query: { ...params, limit: PAGE_SIZE, cursor: pageParam }, signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    enabled,
    staleTime: 0,
  });
  const items = useMemo(() => query.data?.pages.flatMap((page) => page.data) ?? [], [query.data]);
  return { ...query, items };
}
