/**
 * @module The builder's live answer: how many customers the rule matches right now (refreshed as the rule
 * changes, debounced by the caller), a few of them by name linking to their 360, and bars showing how each
 * top-level condition narrows — or, for "any", widens — the audience (one preview per step, each cached).
 */
import { Anchor, Group, Loader, Paper, Progress, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useQueries, type UseQueryResult } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { request } from '../../api/client';
import { customerKeys } from '../../api/customers';
import type { CustomerDetail } from '../../api/customer-types';
import { useSegmentSteps, type SegmentPreview } from '../../api/segments';
import type { Channel } from '../../api/types';
import { ErrorAlert } from '../../components/error-alert';
import { formatNumber } from '../../lib/format';
import { customerName } from '../customers/customer-display';
import { describeNode } from './describe';
import { cumulativeSteps, type GroupNode } from './rule-model';
import { st } from './segments-i18n';

const SAMPLE_NAMES = 8;
/** More steps than this make the chart a wall; the count above still covers the whole rule. */
const MAX_STEPS = 8;

interface Props {
  preview: UseQueryResult<SegmentPreview>;
  /** The rule has nothing complete yet: nothing was asked. */
  empty: boolean;
  /** The tree as last counted (debounced), for the narrowing chart. */
  root: GroupNode;
  channels: Map<string, Channel>;
  /** Whether the 400 is shown on the conditions themselves (then it is not repeated here). */
  errorsShownInRule: boolean;
}

export function LiveCount({ preview, empty, root, channels, errorsShownInRule }: Props) {
  useTranslation(); // re-renders on a language change
  return (
    <Stack gap="md">
      <Paper withBorder radius="md" p="md" data-testid="segment-live">
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <Text size="sm" c="dimmed" fw={500}>
            {st('segments.live.title')}
          </Text>
          {preview.isFetching && <Loader size="xs" data-testid="segment-live-updating" />}
        </Group>
        {empty ? (
          <Text size="sm" c="dimmed" mt="xs" data-testid="segment-live-empty">
            {st('segments.live.empty')}
          </Text>
        ) : preview.error && !preview.data ? (
          errorsShownInRule ? (
            <Text size="sm" c="red.7" mt="xs">
              {st('segments.live.fixErrors')}
            </Text>
          ) : (
            <ErrorAlert error={preview.error} onRetry={() => void preview.refetch()} />
          )
        ) : preview.data === undefined ? (
          <Skeleton height={44} mt="xs" width="50%" />
        ) : (
          <>
            <Title
              order={2}
              mt={4}
              data-testid="segment-live-count"
              data-count={preview.data.count}
              data-fetching={preview.isFetching ? 'true' : 'false'}
              style={{ fontVariantNumeric: 'tabular-nums', opacity: preview.isPlaceholderData ? 0.55 : 1 }}
            >
              {formatNumber(preview.data.count)}
            </Title>
            <Text size="sm" c="dimmed">
              {st('segments.live.match', { count: preview.data.count })}
            </Text>
            {preview.error && errorsShownInRule && (
              <Text size="xs" c="red.7" mt={4}>
                {st('segments.live.fixErrors')}
              </Text>
            )}
            <Sample ids={preview.data.sample} />
          </>
        )}
      </Paper>
      {!empty && <Steps root={root} channels={channels} />}
    </Stack>
  );
}

function Sample({ ids }: { ids: string[] }) {
  useTranslation(); // re-renders on a language change
  const shown = ids.slice(0, SAMPLE_NAMES);
  const customers = useQueries({
    queries: shown.map((id) => ({
      queryKey: customerKeys.detail(id),
      queryFn: ({ signal }: { signal: AbortSignal }) =>
        request<CustomerDetail>(`/v1/customers/${encodeURIComponent(id)}`, { signal }),
      staleTime: 60_000,
    })),
  });
  if (shown.length === 0) return null;
  return (
    <Stack gap={4} mt="md" data-testid="segment-sample">
      <Text size="xs" c="dimmed" fw={500} tt="uppercase">
        {st('segments.live.sample')}
      </Text>
      {shown.map((id, index) => {
        const customer = customers[index]?.data;
        return (
          <Anchor
            key={id}
            component={Link}
            to={`/customers/${id}`}
            size="sm"
            truncate
            data-testid="segment-sample-customer"
            data-customer-id={id}
          >
            {customer ? customerName(customer) : id}
          </Anchor>
        );
      })}
    </Stack>
  );
}

function Steps({ root, channels }: { root: GroupNode; channels: Map<string, Channel> }) {
  useTranslation(); // re-renders on a language change
  const steps = cumulativeSteps(root).slice(0, MAX_STEPS);
  const answers = useSegmentSteps(steps.map((step) => step.rule));
  // A step the server refuses is marked on its condition; a chart with a hole would mislead.
  if (steps.length < 2 || answers.some((answer) => answer.error)) return null;
  const counts = answers.map((answer) => answer.data?.count);
  const largest = Math.max(1, ...counts.map((count) => count ?? 0));
  return (
    <Paper withBorder radius="md" p="md" data-testid="segment-steps">
      <Text size="sm" fw={500}>
        {root.op === 'all' ? st('segments.steps.narrowTitle') : st('segments.steps.widenTitle')}
      </Text>
      <Text size="xs" c="dimmed" mb="sm">
        {root.op === 'all' ? st('segments.steps.narrowHint') : st('segments.steps.widenHint')}
      </Text>
      <Stack gap="sm">
        {steps.map((step, index) => {
          const label = describeNode(step.node, channels);
          const count = counts[index];
          const last = index === steps.length - 1;
          return (
            <Stack key={step.node.id} gap={4} data-testid="segment-step" data-count={count ?? ''}>
              <Group justify="space-between" wrap="nowrap" align="flex-start" gap="xs">
                <Text size="xs" lineClamp={3} title={label} style={{ minWidth: 0 }}>
                  <Text span fw={600} c="dimmed" size="xs">
                    {index === 0 ? '' : root.op === 'all' ? '+ ' : '∪ '}
                  </Text>
                  {label}
                </Text>
                <Text size="sm" fw={600} style={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}>
                  {count === undefined ? '…' : formatNumber(count)}
                </Text>
              </Group>
              {count === undefined ? (
                <Skeleton height={12} radius="sm" />
              ) : (
                <Progress
                  value={(count / largest) * 100}
                  size={12}
                  radius="sm"
                  color={last ? 'blue.6' : 'blue.3'}
                  aria-label={label}
                />
              )}
            </Stack>
          );
        })}
      </Stack>
    </Paper>
  );
}
