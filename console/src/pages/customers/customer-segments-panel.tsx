/**
 * @module The segments a customer is in now (a merged-away id shows its survivor's), each since when, linking
 * to the segment for roles that may see segments.
 */
import { Anchor, Badge, Group, Paper, Stack, Text } from '@mantine/core';
import { IconChartPie } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useCustomerSegments } from '../../api/segments';
import { ListState } from '../../components/list-state';
import { formatDateTime, formatNumber } from '../../lib/format';
import { useCan } from '../../lib/permissions';
import { st } from '../segments/segments-i18n';

export function CustomerSegmentsPanel({ customerId }: { customerId: string }) {
  useTranslation(); // re-renders on a language change
  const segments = useCustomerSegments(customerId);
  const canSeeSegments = useCan()('campaigns:read');
  const items = segments.data?.data ?? [];
  return (
    <ListState
      isPending={segments.isPending}
      error={segments.error}
      onRetry={() => void segments.refetch()}
      isEmpty={items.length === 0}
      emptyIcon={<IconChartPie size={28} />}
      emptyTitle={st('segments.customer.emptyTitle')}
      emptyDescription={st('segments.customer.emptyBody')}
    >
      <Stack gap="sm" data-testid="customer-segments">
        <Text size="sm" c="dimmed">
          {st('segments.customer.hint', { count: items.length })}
        </Text>
        {items.map((segment) => (
          <Paper
            key={segment.id}
            withBorder
            radius="md"
            p="sm"
            data-testid="customer-segment"
            data-segment-id={segment.id}
          >
            <Group justify="space-between" wrap="wrap" gap="xs">
              <Stack gap={2} style={{ minWidth: 0, flex: '1 1 240px' }}>
                {canSeeSegments ? (
                  <Anchor
                    component={Link}
                    to={`/segments/${segment.id}`}
                    fw={500}
                    size="sm"
                    data-testid="customer-segment-link"
                  >
                    {segment.name}
                  </Anchor>
                ) : (
                  <Text fw={500} size="sm">
                    {segment.name}
                  </Text>
                )}
                {segment.description && (
                  <Text size="xs" c="dimmed" lineClamp={2}>
                    {segment.description}
                  </Text>
                )}
              </Stack>
              <Group gap="xs" wrap="nowrap">
                <Badge variant="light" color="gray" tt="none">
                  {st('segments.customer.members', {
                    count: segment.member_count,
                    n: formatNumber(segment.member_count),
                  })}
                </Badge>
                <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                  {st('segments.customer.since', { date: formatDateTime(segment.since) })}
                </Text>
              </Group>
            </Group>
          </Paper>
        ))}
      </Stack>
    </ListState>
  );
}
