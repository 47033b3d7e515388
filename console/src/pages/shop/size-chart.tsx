/**
 * @module The product's size chart (from the catalog, attached to the product or inherited from its category
 * or brand) as a table in a dialog, the chosen size highlighted, with the fit notes.
 */
import { Button, Modal, Stack, Table, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconRuler2 } from '@tabler/icons-react';
import type { StoreSizeChart } from '../../api/store';
import { useShop } from './shop-context';
import { formatMeasurement } from './shop-format';
import { useShopT } from './shop-i18n';

export function SizeChartButton({ chart, size }: { chart: StoreSizeChart; size: string | undefined }) {
  const { t } = useShopT();
  const { locale } = useShop();
  const [opened, { open, close }] = useDisclosure(false);
  return (
    <>
      <Button
        variant="subtle"
        size="compact-sm"
        leftSection={<IconRuler2 size={16} />}
        onClick={open}
        data-testid="shop-size-guide"
      >
        {t('shop.product.sizeGuide')}
      </Button>
      <Modal
        opened={opened}
        onClose={close}
        title={t('shop.sizeChart.title', { name: chart.name })}
        size="lg"
      >
        <Stack gap="sm" data-testid="shop-size-chart">
          <Text size="sm" c="dimmed">
            {t('shop.sizeChart.unit', { unit: chart.unit })}
          </Text>
          <Table striped withTableBorder highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('shop.sizeChart.size')}</Table.Th>
                {chart.columns.map((c) => (
                  <Table.Th key={c.key}>{c.label}</Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {chart.rows.map((row) => (
                <Table.Tr
                  key={row.size}
                  bg={row.size === size ? 'var(--mantine-color-blue-0)' : undefined}
                  fw={row.size === size ? 700 : undefined}
                >
                  <Table.Td>{row.size}</Table.Td>
                  {chart.columns.map((c) => (
                    <Table.Td key={c.key}>{formatMeasurement(row.values[c.key], locale)}</Table.Td>
                  ))}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {chart.fit_notes && (
            <Text size="sm" data-testid="shop-fit-notes">
              {chart.fit_notes}
            </Text>
          )}
        </Stack>
      </Modal>
    </>
  );
}
