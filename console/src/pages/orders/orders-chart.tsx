/**
 * @module Orders per day by channel over the last two weeks, as stacked bars, with the period's revenue per
 * currency: how much each channel brings and whether a day was unusual. The server counts them
 * (`GET /v1/orders/stats`, in SQL) on the reader's calendar days — the browser's time zone — following the list's
 * channel, location and status filters; cancelled orders count only when the list is filtered on them.
 */
import '@mantine/charts/styles.css';
import { BarChart } from '@mantine/charts';
import { Group, Paper, Skeleton, Text, Title } from '@mantine/core';
import { useMemo } from 'react';
import { useOrderStats, type OrderStatus } from '../../api/orders';
import { ErrorAlert } from '../../components/error-alert';
import { currentLanguage } from '../../i18n';
import { formatMoney } from '../../lib/format';
import { useChannelMap } from '../customers/customer-display';
import { useOrdersT } from './orders-i18n';

const DAYS = 14;
const COLOURS = [
  'blue.6',
  'teal.6',
  'grape.6',
  'orange.6',
  'cyan.6',
  'pink.6',
  'lime.6',
  'indigo.6',
  'red.6',
];

/** "2026-03-01" of the reader's calendar. */
const dayKey = (d: Date) =>
  `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

/** The reader's IANA time zone and the last `days` calendar days up to today in it. */
function period(days: number) {
  const tz = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  const today = new Date();
  const start = new Date(today);
  start.setDate(today.getDate() - (days - 1));
  return { tz, from: dayKey(start), to: dayKey(today) };
}

export function OrdersChart({
  channelId,
  locationId,
  status,
}: {
  channelId?: string;
  locationId?: string;
  status?: OrderStatus;
}) {
  const { t } = useOrdersT();
  const channels = useChannelMap();
  // Fixed for the screen's life so the query key does not change every render.
  const range = useMemo(() => period(DAYS), []);
  const query = useOrderStats({ ...range, channel_id: channelId, location_id: locationId, status });

  const { data, series } = useMemo(() => {
    const days = query.data?.days ?? [];
    const channelIds = [...new Set(days.flatMap((d) => d.channels.map((c) => c.channel_id)))];
    const nameOf = (id: string) => channels.get(id)?.name ?? id;
    // Noon UTC of the date: the same calendar day whatever the reader's zone.
    const format = new Intl.DateTimeFormat(currentLanguage(), {
      day: 'numeric',
      month: 'short',
      timeZone: 'UTC',
    });
    return {
      data: days.map((d) => {
        const row: Record<string, string | number> = { day: format.format(new Date(`${d.date}T12:00:00Z`)) };
        for (const id of channelIds)
          row[nameOf(id)] = d.channels.find((c) => c.channel_id === id)?.orders ?? 0;
        return row;
      }),
      series: channelIds.map((id, i) => ({ name: nameOf(id), color: COLOURS[i % COLOURS.length]! })),
    };
  }, [query.data, channels]);

  return (
    <Paper withBorder radius="md" p="md" mb="md" data-testid="orders-chart">
      <Title order={5} mb="sm">
        {t('orders.chart.title', { days: DAYS })}
      </Title>
      {query.isPending ? (
        <Skeleton h={200} />
      ) : query.error ? (
        <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />
      ) : query.data.totals.orders === 0 ? (
        <Text size="sm" c="dimmed" data-testid="orders-chart-empty">
          {t('orders.chart.empty', { days: DAYS })}
        </Text>
      ) : (
        <>
          <BarChart h={200} data={data} dataKey="day" type="stacked" series={series} withLegend />
          <Group justify="space-between" mt="xs">
            <Text size="sm" data-testid="orders-chart-revenue">
              {t('orders.chart.revenue', {
                amounts: query.data.totals.revenue.map((m) => formatMoney(m)).join(' · '),
              })}
            </Text>
            <Text size="xs" c="dimmed">
              {t('orders.chart.zone', { tz: query.data.tz })}
            </Text>
          </Group>
        </>
      )}
    </Paper>
  );
}
