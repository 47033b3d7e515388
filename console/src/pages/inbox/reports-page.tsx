/**
 * @module Conversation reports from `GET /v1/reports/conversations`: totals for the period, conversations per
 * day, volume, first response and resolution time (median and p90) by channel, SLA hit rate, CSAT by channel
 * and by agent, and the by-channel figures as a table — optionally counting business hours only.
 */
import '@mantine/charts/styles.css';
import { BarChart } from '@mantine/charts';
import {
  Grid,
  Group,
  Paper,
  RingProgress,
  SegmentedControl,
  SimpleGrid,
  Skeleton,
  Stack,
  Switch,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useMemo, useState, type ReactNode } from 'react';
import { useConversationReport, type ReportGroup, type ReportRow } from '../../api/conversations';
import { useUsers } from '../../api/users';
import { ErrorAlert } from '../../components/error-alert';
import { currentLanguage } from '../../i18n';
import { formatNumber } from '../../lib/format';
import { useCan } from '../../lib/permissions';
import { useChannelMap } from '../customers/customer-display';
import { useInboxT } from './inbox-i18n';
import { InboxNav } from './inbox-nav';
import { formatSpan, inUnit, totals, unitFor, unitName } from './report-figures';

const PERIODS = { '7': 7, '30': 30, '90': 90 } as const;
type Period = keyof typeof PERIODS;

function Card({ title, children, testId }: { title: string; children: ReactNode; testId: string }) {
  return (
    <Paper withBorder radius="md" p="md" h="100%" data-testid={testId}>
      <Title order={5} mb="sm">
        {title}
      </Title>
      {children}
    </Paper>
  );
}

function Stat({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <Paper withBorder radius="md" p="md">
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text fw={700} size="xl" data-testid={testId}>
        {value}
      </Text>
    </Paper>
  );
}

/**
 * A category axis that names every bar: by default the charts drop labels that would touch, and at narrower widths
 * an agent saw bars without their channel's name. Labels lean so neighbours do not run into each other; very long
 * names are shortened (the tooltip and the table below give them in full).
 */
const EVERY_LABEL = {
  interval: 0,
  height: 56,
  tick: { fontSize: 11, angle: -25, textAnchor: 'end' },
  tickFormatter: (value: string) => (value.length > 20 ? `${value.slice(0, 19)}…` : value),
} as const;

/** A `YYYY-MM-DD` day key as a short date in the console's language ("23 Nov", "23 нояб."). */
function shortDay(key: string): string {
  const date = new Date(`${key}T00:00:00`);
  return Number.isNaN(date.getTime())
    ? key
    : new Intl.DateTimeFormat(currentLanguage(), { day: 'numeric', month: 'short' }).format(date);
}

function Missing() {
  const { t } = useInboxT();
  return (
    <Text size="sm" c="dimmed">
      {t('inbox.reports.noData')}
    </Text>
  );
}

/** Median and p90 per group as bars, in one unit chosen for the largest figure. */
function DurationChart(props: { rows: Array<{ name: string; median: number | null; p90: number | null }> }) {
  const { t } = useInboxT();
  const rows = props.rows.filter((r) => r.median !== null);
  if (!rows.length) return <Missing />;
  const unit = unitFor(rows.map((r) => r.p90));
  return (
    <BarChart
      maxBarWidth={56}
      h={200}
      data={rows.map((r) => ({ name: r.name, median: inUnit(r.median, unit), p90: inUnit(r.p90, unit) }))}
      dataKey="name"
      xAxisProps={EVERY_LABEL}
      unit={` ${unitName(unit)}`}
      withLegend
      series={[
        { name: 'median', label: t('inbox.reports.median'), color: 'teal.6' },
        { name: 'p90', label: t('inbox.reports.p90'), color: 'grape.5' },
      ]}
    />
  );
}

export function InboxReportsPage() {
  const { t } = useInboxT();
  const can = useCan();
  const channels = useChannelMap();
  const users = useUsers({ enabled: can('users:read') });
  const [period, setPeriod] = useState<Period>('30');
  const [businessHours, setBusinessHours] = useState(false);
  const range = useMemo(() => {
    const end = new Date();
    const start = new Date(end.getTime() - PERIODS[period] * 86_400_000);
    start.setHours(0, 0, 0, 0);
    return { from: start.toISOString(), to: end.toISOString() };
  }, [period]);
  const report = (group_by: ReportGroup) => ({ ...range, group_by, business_hours: businessHours });
  const byChannel = useConversationReport(report('channel'));
  const byAgent = useConversationReport(report('agent'));
  const byDay = useConversationReport(report('day'));

  const channelName = (id: string | null) =>
    id ? (channels.get(id)?.name ?? id) : t('inbox.reports.noChannel');
  const agentName = (id: string | null) =>
    id
      ? ((can('users:read') ? users.items.find((u) => u.id === id)?.name : undefined) ?? id)
      : t('inbox.reports.noAgent');

  const body = () => {
    const failed = byChannel.error ?? byAgent.error ?? byDay.error;
    if (failed)
      return (
        <ErrorAlert
          error={failed}
          onRetry={() => void Promise.all([byChannel.refetch(), byAgent.refetch(), byDay.refetch()])}
        />
      );
    if (!byChannel.data || !byAgent.data || !byDay.data)
      return <Skeleton height={320} data-testid="reports-loading" />;
    const rows = byChannel.data.data;
    const sum = totals(rows);
    const named = (r: ReportRow) => ({ ...r, name: channelName(r.key) });
    const csat = (list: ReportRow[], name: (key: string | null) => string) =>
      list.filter((r) => r.csat.average !== null).map((r) => ({ name: name(r.key), csat: r.csat.average }));
    const csatChannel = csat(rows, channelName);
    const csatAgent = csat(byAgent.data.data, agentName);
    const hit = sum.hitRate;
    return (
      <Stack gap="md">
        <SimpleGrid cols={{ base: 2, md: 4 }}>
          <Stat
            label={t('inbox.reports.conversations')}
            value={formatNumber(sum.conversations)}
            testId="report-total-conversations"
          />
          <Stat
            label={t('inbox.reports.inbound')}
            value={formatNumber(sum.inbound)}
            testId="report-total-inbound"
          />
          <Stat
            label={t('inbox.reports.sla')}
            value={hit === null ? '—' : formatNumber(hit, { style: 'percent', maximumFractionDigits: 1 })}
            testId="report-total-sla"
          />
          <Stat
            label={t('inbox.reports.csat')}
            value={sum.csatAverage === null ? '—' : `${formatNumber(sum.csatAverage)} / 5`}
            testId="report-total-csat"
          />
        </SimpleGrid>
        <Grid>
          <Grid.Col span={{ base: 12, md: 8 }}>
            <Card title={t('inbox.reports.perDay')} testId="report-per-day">
              {byDay.data.data.length ? (
                <BarChart
                  maxBarWidth={56}
                  h={220}
                  data={byDay.data.data.map((r) => ({
                    day: r.key ? shortDay(r.key) : '—',
                    count: r.conversations,
                  }))}
                  dataKey="day"
                  series={[{ name: 'count', label: t('inbox.reports.conversations'), color: 'blue.6' }]}
                />
              ) : (
                <Missing />
              )}
            </Card>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 4 }}>
            <Card title={t('inbox.reports.sla')} testId="report-sla">
              {hit === null ? (
                <Missing />
              ) : (
                <Stack align="center" gap={4}>
                  <RingProgress
                    size={170}
                    thickness={16}
                    roundCaps
                    sections={[
                      { value: hit * 100, color: hit >= 0.9 ? 'teal' : hit >= 0.75 ? 'yellow' : 'red' },
                    ]}
                    label={
                      <Text ta="center" fw={700} size="xl">
                        {formatNumber(hit, { style: 'percent', maximumFractionDigits: 1 })}
                      </Text>
                    }
                  />
                  <Text size="sm" c="dimmed">
                    {t('inbox.reports.slaCounts', { met: sum.slaMet, breached: sum.slaBreached })}
                  </Text>
                </Stack>
              )}
            </Card>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 6 }}>
            <Card title={t('inbox.reports.volume')} testId="report-volume">
              {rows.length ? (
                <BarChart
                  maxBarWidth={56}
                  h={200}
                  data={rows.map(named)}
                  dataKey="name"
                  xAxisProps={EVERY_LABEL}
                  withLegend
                  series={[
                    { name: 'conversations', label: t('inbox.reports.conversations'), color: 'blue.6' },
                    { name: 'inbound_messages', label: t('inbox.reports.inbound'), color: 'cyan.4' },
                  ]}
                />
              ) : (
                <Missing />
              )}
            </Card>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 6 }}>
            <Card title={t('inbox.reports.firstResponse')} testId="report-first-response">
              <DurationChart
                rows={rows.map((r) => ({
                  name: channelName(r.key),
                  median: r.first_response.median_ms,
                  p90: r.first_response.p90_ms,
                }))}
              />
            </Card>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 6 }}>
            <Card title={t('inbox.reports.resolution')} testId="report-resolution">
              <DurationChart
                rows={rows.map((r) => ({
                  name: channelName(r.key),
                  median: r.resolution.median_ms,
                  p90: r.resolution.p90_ms,
                }))}
              />
            </Card>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 3 }}>
            <Card title={t('inbox.reports.csatChannel')} testId="report-csat-channel">
              {csatChannel.length ? (
                <BarChart
                  maxBarWidth={56}
                  h={200}
                  data={csatChannel}
                  dataKey="name"
                  yAxisProps={{ domain: [0, 5] }}
                  series={[{ name: 'csat', label: 'CSAT', color: 'yellow.6' }]}
                />
              ) : (
                <Missing />
              )}
            </Card>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 3 }}>
            <Card title={t('inbox.reports.csatAgent')} testId="report-csat-agent">
              {csatAgent.length ? (
                <BarChart
                  maxBarWidth={56}
                  h={200}
                  data={csatAgent}
                  dataKey="name"
                  yAxisProps={{ domain: [0, 5] }}
                  series={[{ name: 'csat', label: 'CSAT', color: 'orange.6' }]}
                />
              ) : (
                <Missing />
              )}
            </Card>
          </Grid.Col>
        </Grid>
        <Card title={t('inbox.reports.byChannel')} testId="report-table">
          {rows.length ? (
            <Table.ScrollContainer minWidth={640}>
              <Table striped>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('inbox.reports.channel')}</Table.Th>
                    <Table.Th ta="right">{t('inbox.reports.conversations')}</Table.Th>
                    <Table.Th ta="right">{t('inbox.reports.inbound')}</Table.Th>
                    <Table.Th ta="right">{t('inbox.reports.firstResponseMedian')}</Table.Th>
                    <Table.Th ta="right">{t('inbox.reports.resolutionMedian')}</Table.Th>
                    <Table.Th ta="right">{t('inbox.reports.sla')}</Table.Th>
                    <Table.Th ta="right">CSAT</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {rows.map((r) => (
                    <Table.Tr key={r.key ?? ''} data-testid="report-row" data-key={r.key ?? ''}>
                      <Table.Td>{channelName(r.key)}</Table.Td>
                      <Table.Td ta="right" data-testid="report-row-conversations">
                        {formatNumber(r.conversations)}
                      </Table.Td>
                      <Table.Td ta="right" data-testid="report-row-inbound">
                        {formatNumber(r.inbound_messages)}
                      </Table.Td>
                      <Table.Td ta="right" data-testid="report-row-first-response">
                        {formatSpan(r.first_response.median_ms)}
                      </Table.Td>
                      <Table.Td ta="right">{formatSpan(r.resolution.median_ms)}</Table.Td>
                      <Table.Td ta="right">
                        {r.sla.hit_rate === null
                          ? '—'
                          : formatNumber(r.sla.hit_rate, { style: 'percent', maximumFractionDigits: 1 })}
                      </Table.Td>
                      <Table.Td ta="right">
                        {r.csat.average === null
                          ? '—'
                          : t('inbox.reports.csatValue', {
                              average: formatNumber(r.csat.average),
                              count: r.csat.count,
                            })}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          ) : (
            <Missing />
          )}
        </Card>
      </Stack>
    );
  };

  return (
    <Stack gap={0}>
      <InboxNav active="reports" />
      <Group justify="flex-end" mb="md" gap="lg">
        <Switch
          checked={businessHours}
          onChange={(e) => setBusinessHours(e.currentTarget.checked)}
          label={t('inbox.reports.businessHours')}
          data-testid="reports-business-hours"
        />
        <SegmentedControl
          value={period}
          onChange={(v) => setPeriod(v as Period)}
          data={(Object.keys(PERIODS) as Period[]).map((p) => ({
            value: p,
            label: t('inbox.reports.lastDays', { count: PERIODS[p] }),
          }))}
          data-testid="reports-period"
        />
      </Group>
      {body()}
    </Stack>
  );
}
