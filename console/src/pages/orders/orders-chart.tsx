/**
 * @module Orders per day by channel over the last two weeks, as stacked bars: how much each channel brings and
 * whether a day was unusual. Counted in the browser from the orders of the period (there is no aggregate route),
 * on the reader's calendar days, following the list's channel and location filters.
 */
import '@mantine/charts/styles.css';
import { BarChart } from '@mantine/charts';
import { Paper, Skeleton, Text, Title } from '@mantine/core';
import { useMemo } from 'react';
import { useOrdersSince } from '../../api/orders';
import { ErrorAlert } from '../../components/error-alert';
import { currentLanguage } from '../../i18n';
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

/** Local midnight `days - 1` days ago: the period starts at the beginning of its first day. */
function periodStart(days: number): Date {
  const start = new Date();
  start.setHours(0, 0, 0, 0);
  start.setDate(start.getDate() - (days - 1));
  return start;
}

/** "2026-03-01" of the reader's calendar, the bucket an order falls in. */
const dayKey = (d: Date) =>
  `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

export function OrdersChart({ channelId, locationId }: { channelId?: string; locationId?: string }) {
  const { t } = useOrdersT();
  const channels = useChannelMap();
  // Fixed for the screen's life so the query key does not change every render.
  const start = useMemo(() => periodStart(DAYS), []);
  const query = useOrdersSince(start.toISOString(), { channel_id: channelId, location_id: locationId });

  const { data, series } = useMemo(() => {
    const orders = query.data?.orders ?? [];
    const channelIds = [...new Set(orders.map((o) => o.channel_id))];
    const nameOf = (id: string) => channels.get(id)?.name ?? id;
    const days = new Map<string, Record<string, string | number>>();
    const format = new Intl.DateTimeFormat(currentLanguage(), { day: 'numeric', month: 'short' });
    for (let i = 0; i < DAYS; i += 1) {
      const d = new Date(start);
      d.setDate(start.getDate() + i);
      const row: Record<string, string | number> = { day: format.format(d) };
      for (const id of channelIds) row[nameOf(id)] = 0;
      days.set(dayKey(d), row);
    }
    for (const o of orders) {
      const row = days.get(dayKey(new Date(o.placed_at)));
      if (row) row[nameOf(o.channel_id)] = Number(row[nameOf(o.channel_id)] ?? 0) + 1;
    }
    return {
      data: [...days.values()],
      series: channelIds.map((id, i) => ({ name: nameOf(id), color: COLOURS[i % COLOURS.length]! })),
    };
  }, [query.data, channels, start]);

  return (
    <Paper withBorder radius="md" p="md" mb="md" data-testid="orders-chart">
      <Title order={5} mb="sm">
        {t('orders.chart.title', { days: DAYS })}
      </Title>
      {query.isPending ? (
        <Skeleton h={200} />
      ) : query.error ? (
        <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />
      ) : series.length === 0 ? (
        <Text size="sm" c="dimmed" data-testid="orders-chart-empty">
          {t('orders.chart.empty', { days: DAYS })}
        </Text>
      ) : (
        <>
          <BarChart h={200} data={data} dataKey="day" type="stacked" series={series} withLegend />
          {query.data?.truncated && (
            <Text size="xs" c="dimmed" mt="xs">
              {t('orders.chart.truncated', { count: query.data.orders.length })}
            </Text>
          )}
        </>
      )}
    </Paper>
  );
}
