/**
 * @module A product's size chart: the one attached, or the one it inherits from a category or its brand (the
 * server says which), shown as the measurements table every channel shows; pick another or go back to
 * inheriting.
 */
import { Badge, Group, Paper, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useSizeCharts, useUpdateProduct, type Measurement, type Product } from '../../api/catalog';
import { notifyError } from '../../lib/notify';
import { formatNumber } from '../../lib/format';
import { useCatalogT } from './catalog-i18n';
import { pickText } from './catalog-display';

const INHERIT = '';

function measurement(value: Measurement | undefined): string {
  if (value === undefined) return '—';
  return Array.isArray(value) ? `${formatNumber(value[0])}–${formatNumber(value[1])}` : formatNumber(value);
}

export function SizeChartPanel({ product, canWrite }: { product: Product; canWrite: boolean }) {
  const { t } = useCatalogT();
  const charts = useSizeCharts();
  const update = useUpdateProduct();
  const chart = product.size_chart;
  const attachedId = chart?.source === 'product' ? chart.id : INHERIT;

  const choose = (value: string | null) =>
    update.mutate(
      { id: product.id, patch: { size_chart_id: value ? value : null } },
      { onError: (error) => notifyError(error, t('catalog.sizeChart.saveFailed')) },
    );

  return (
    <Paper withBorder radius="md" p="md" data-testid="size-chart-panel">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={4}>{t('catalog.sizeChart.title')}</Title>
          {canWrite && (
            <Select
              w={240}
              size="xs"
              aria-label={t('catalog.sizeChart.pick')}
              data={[
                { value: INHERIT, label: t('catalog.sizeChart.inherit') },
                ...(charts.data ?? []).map((c) => ({ value: c.id, label: c.name })),
              ]}
              value={attachedId}
              onChange={choose}
              allowDeselect={false}
              disabled={update.isPending}
              data-testid="size-chart-select"
            />
          )}
        </Group>
        {!chart ? (
          <Text size="sm" c="dimmed" data-testid="size-chart-none">
            {t('catalog.sizeChart.none')}
          </Text>
        ) : (
          <>
            <Group gap="xs">
              <Text fw={500} data-testid="size-chart-name">
                {chart.name}
              </Text>
              <Badge
                variant="light"
                color={chart.source === 'product' ? 'blue' : 'gray'}
                data-testid="size-chart-source"
              >
                {t(`catalog.sizeChart.source.${chart.source}`)}
              </Badge>
              <Badge variant="outline" color="gray">
                {chart.unit}
              </Badge>
            </Group>
            <Table.ScrollContainer type="native" minWidth={360}>
              <Table
                withTableBorder
                withColumnBorders
                fz="sm"
                verticalSpacing={4}
                data-testid="size-chart-table"
              >
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('catalog.sizeChart.size')}</Table.Th>
                    {chart.columns.map((column) => (
                      <Table.Th key={column.key}>{pickText(column.label) || column.key}</Table.Th>
                    ))}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {chart.rows.map((row) => (
                    <Table.Tr key={row.size}>
                      <Table.Td fw={500}>{row.size}</Table.Td>
                      {chart.columns.map((column) => (
                        <Table.Td key={column.key}>{measurement(row.values[column.key])}</Table.Td>
                      ))}
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            {pickText(chart.fit_notes) && (
              <Text size="sm" c="dimmed">
                {pickText(chart.fit_notes)}
              </Text>
            )}
          </>
        )}
      </Stack>
    </Paper>
  );
}
