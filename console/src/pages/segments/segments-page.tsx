/**
 * @module Segments: every saved audience with its member count as it stands now (re-read while the page is
 * open: members come and go with events), a chart comparing their sizes, and "New segment".
 */
import '@mantine/charts/styles.css';
import { BarsList } from '@mantine/charts';
import { Anchor, Button, Paper, Stack, Table, Text } from '@mantine/core';
import { IconChartPie, IconPlus } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useSegments, type Segment } from '../../api/segments';
import { ListState } from '../../components/list-state';
import { PageHeader } from '../../components/page-header';
import { formatDateTime, formatNumber } from '../../lib/format';
import { useCan } from '../../lib/permissions';
import { st } from './segments-i18n';

/** The chart compares the largest audiences; the table lists them all. */
const CHART_SEGMENTS = 8;

export function SegmentsPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const segments = useSegments();
  const canWrite = useCan()('campaigns:write');
  const items = segments.data ?? [];

  const createButton = (testId = 'segment-create-button') =>
    canWrite && (
      <Button
        leftSection={<IconPlus size={16} />}
        onClick={() => void navigate('/segments/new')}
        data-testid={testId}
      >
        {st('segments.create')}
      </Button>
    );

  return (
    <>
      <PageHeader
        title={st('segments.title')}
        description={st('segments.subtitle')}
        order={2}
        actions={createButton()}
      />
      <ListState
        isPending={segments.isPending}
        error={segments.error}
        onRetry={() => void segments.refetch()}
        isEmpty={items.length === 0}
        emptyIcon={<IconChartPie size={28} />}
        emptyTitle={st('segments.emptyTitle')}
        emptyDescription={st('segments.emptyBody')}
        emptyAction={createButton('segment-create-button-empty')}
      >
        <Stack gap="md">
          {items.length >= 2 && <SizesChart segments={items} />}
          <Paper withBorder radius="md">
            <Table.ScrollContainer type="native" minWidth={720}>
              <Table verticalSpacing="sm" highlightOnHover data-testid="segments-table">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{st('segments.name')}</Table.Th>
                    <Table.Th ta="right">{st('segments.members')}</Table.Th>
                    <Table.Th>{t('common.updated')}</Table.Th>
                    <Table.Th>{st('segments.evaluated')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {items.map((segment) => (
                    <Table.Tr
                      key={segment.id}
                      data-testid="segment-row"
                      data-segment-id={segment.id}
                      style={{ cursor: 'pointer' }}
                      onClick={(event) => {
                        if ((event.target as HTMLElement).closest('a')) return;
                        void navigate(`/segments/${segment.id}`);
                      }}
                    >
                      <Table.Td maw={420}>
                        <Anchor
                          component={Link}
                          to={`/segments/${segment.id}`}
                          size="sm"
                          fw={500}
                          data-testid="segment-row-link"
                        >
                          {segment.name}
                        </Anchor>
                        {segment.description && (
                          <Text size="xs" c="dimmed" lineClamp={2}>
                            {segment.description}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td ta="right">
                        <Text
                          size="sm"
                          fw={600}
                          style={{ fontVariantNumeric: 'tabular-nums' }}
                          data-testid="segment-row-count"
                        >
                          {formatNumber(segment.member_count)}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                          {formatDateTime(segment.updated_at)}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                          {formatDateTime(segment.evaluated_at)}
                        </Text>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </Paper>
        </Stack>
      </ListState>
    </>
  );
}

function SizesChart({ segments }: { segments: Segment[] }) {
  useTranslation(); // re-renders on a language change
  const largest = [...segments].sort((a, b) => b.member_count - a.member_count).slice(0, CHART_SEGMENTS);
  return (
    <Paper withBorder radius="md" p="md" data-testid="segments-chart">
      <Text size="sm" fw={500} mb="sm">
        {segments.length > CHART_SEGMENTS
          ? st('segments.chartTitleTop', { count: CHART_SEGMENTS })
          : st('segments.chartTitle')}
      </Text>
      <BarsList
        data={largest.map((segment) => ({ name: segment.name, value: segment.member_count }))}
        valueFormatter={(value) => formatNumber(value)}
        barsLabel={st('segments.name')}
        valueLabel={st('segments.members')}
        barColor="teal.2"
        minBarSize={4}
        barHeight={28}
        autoContrast
      />
    </Paper>
  );
}
