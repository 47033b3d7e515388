/**
 * @module The three states every list has besides "here are the rows": loading (skeleton rows), failed
 * (the problem, with retry) and empty (what will appear here and how to add the first one). Also the
 * "Load more" button for cursor pagination.
 */
import { Button, Center, EmptyState, Paper, Skeleton, Stack } from '@mantine/core';
import { IconInbox } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from './error-alert';

interface ListStateProps {
  isPending: boolean;
  error: unknown;
  isEmpty: boolean;
  onRetry: () => void;
  emptyTitle: string;
  emptyDescription: string;
  emptyIcon?: ReactNode;
  emptyAction?: ReactNode;
  children: ReactNode;
}

export function ListState(props: ListStateProps) {
  if (props.isPending) {
    return (
      <Stack gap="xs" data-testid="list-loading" aria-busy="true">
        {[0, 1, 2, 3].map((row) => (
          <Skeleton key={row} height={36} radius="sm" />
        ))}
      </Stack>
    );
  }
  if (props.error) return <ErrorAlert error={props.error} onRetry={props.onRetry} data-testid="list-error" />;
  if (props.isEmpty) {
    return (
      <Paper withBorder radius="md" p="xl" data-testid="list-empty">
        <EmptyState
          icon={props.emptyIcon ?? <IconInbox size={28} />}
          variant="light"
          title={props.emptyTitle}
          description={props.emptyDescription}
        >
          {props.emptyAction && <EmptyState.Actions>{props.emptyAction}</EmptyState.Actions>}
        </EmptyState>
      </Paper>
    );
  }
  return <>{props.children}</>;
}

interface LoadMoreProps {
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => unknown;
}

export function LoadMore({ hasNextPage, isFetchingNextPage, fetchNextPage }: LoadMoreProps) {
  const { t } = useTranslation();
  if (!hasNextPage) return null;
  return (
    <Center mt="md">
      <Button
        variant="default"
        loading={isFetchingNextPage}
        onClick={() => void fetchNextPage()}
        data-testid="load-more"
      >
        {t('common.loadMore')}
      </Button>
    </Center>
  );
}
