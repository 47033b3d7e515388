/**
 * @module The basket: each line with its price as the store channel prices it, quantity steppers, what this
 * store has on its shelf (and, when it has none, where it is: the endless aisle), and the totals.
 */
import { ActionIcon, Alert, Badge, Button, Group, Paper, Stack, Table, Text } from '@mantine/core';
import { IconMinus, IconPlus, IconTrash, IconTruckDelivery } from '@tabler/icons-react';
import type { PricedCart, PricedLine } from '../../api/pos';
import { useStockOf } from '../../api/pos';
import { formatMoney } from '../../lib/format';
import { usePosT } from './pos-i18n';

interface BasketProps {
  cart: PricedCart | null;
  locationId: string;
  busy: boolean;
  onQuantity: (lineId: string, quantity: number) => void;
  onRemove: (lineId: string) => void;
  onEndlessAisle: (line: PricedLine) => void;
}

function ShelfBadge({
  sku,
  locationId,
  onElsewhere,
}: {
  sku: string;
  locationId: string;
  onElsewhere: () => void;
}) {
  const { t } = usePosT();
  const stock = useStockOf(sku);
  if (!stock.data) return null;
  const here = stock.data.find((s) => s.location_id === locationId)?.available ?? 0;
  if (here > 0)
    return (
      <Badge variant="light" color="teal" data-testid={`pos-shelf-${sku}`}>
        {t('pos.basket.onShelf', { count: here })}
      </Badge>
    );
  return (
    <Group gap={4} wrap="nowrap">
      <Badge variant="light" color="orange" data-testid={`pos-shelf-${sku}`}>
        {t('pos.basket.notHere')}
      </Badge>
      <Button
        size="compact-xs"
        variant="subtle"
        leftSection={<IconTruckDelivery size={14} />}
        onClick={onElsewhere}
        data-testid={`pos-elsewhere-${sku}`}
      >
        {t('pos.basket.elsewhere')}
      </Button>
    </Group>
  );
}

export function Basket({ cart, locationId, busy, onQuantity, onRemove, onEndlessAisle }: BasketProps) {
  const { t } = usePosT();
  const lines = cart?.pricing.lines ?? [];
  if (lines.length === 0)
    return (
      <Paper withBorder radius="md" p="xl" data-testid="pos-basket-empty">
        <Text fw={600}>{t('pos.basket.empty')}</Text>
        <Text size="sm" c="dimmed">
          {t('pos.basket.emptyHint')}
        </Text>
      </Paper>
    );
  const p = cart!.pricing;
  return (
    <Paper withBorder radius="md" p="sm" data-testid="pos-basket">
      <Table verticalSpacing={6}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('pos.basket.item')}</Table.Th>
            <Table.Th>{t('pos.basket.quantity')}</Table.Th>
            <Table.Th ta="right">{t('pos.basket.unitPrice')}</Table.Th>
            <Table.Th ta="right">{t('pos.basket.total')}</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {lines.map((line) => (
            <Table.Tr key={line.id} data-testid={`pos-line-${line.sku}`}>
              <Table.Td>
                <Stack gap={2}>
                  <Text ff="monospace" size="sm">
                    {line.sku}
                  </Text>
                  <ShelfBadge
                    sku={line.sku}
                    locationId={locationId}
                    onElsewhere={() => onEndlessAisle(line)}
                  />
                </Stack>
              </Table.Td>
              <Table.Td>
                <Group gap={4} wrap="nowrap">
                  <ActionIcon
                    variant="default"
                    size="sm"
                    disabled={busy || line.quantity <= 1}
                    aria-label={t('pos.basket.less')}
                    onClick={() => onQuantity(line.id, line.quantity - 1)}
                  >
                    <IconMinus size={14} />
                  </ActionIcon>
                  <Text w={28} ta="center" data-testid={`pos-qty-${line.sku}`}>
                    {line.quantity}
                  </Text>
                  <ActionIcon
                    variant="default"
                    size="sm"
                    disabled={busy}
                    aria-label={t('pos.basket.more')}
                    onClick={() => onQuantity(line.id, line.quantity + 1)}
                    data-testid={`pos-more-${line.sku}`}
                  >
                    <IconPlus size={14} />
                  </ActionIcon>
                </Group>
              </Table.Td>
              <Table.Td ta="right">{formatMoney(line.unit_price)}</Table.Td>
              <Table.Td ta="right">{formatMoney(line.total)}</Table.Td>
              <Table.Td>
                <ActionIcon
                  variant="subtle"
                  color="red"
                  disabled={busy}
                  aria-label={t('pos.basket.remove')}
                  onClick={() => onRemove(line.id)}
                  data-testid={`pos-remove-${line.sku}`}
                >
                  <IconTrash size={16} />
                </ActionIcon>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {p.issues.length > 0 && (
        <Alert color="orange" variant="light" mt="sm" data-testid="pos-basket-issues">
          {p.issues.map((i) => (
            <Text key={`${i.line_id}:${i.reason}`} size="sm">
              {i.detail}
            </Text>
          ))}
        </Alert>
      )}
      <Stack gap={2} mt="sm" align="flex-end">
        <Text size="sm">
          {t('pos.basket.subtotal')}: {formatMoney(p.subtotal)}
        </Text>
        {p.discount_total.amount > 0 && (
          <Text size="sm" c="teal">
            {t('pos.basket.discount')}: −{formatMoney(p.discount_total)}
          </Text>
        )}
        <Text size="sm" c="dimmed">
          {t('pos.basket.tax')}: {formatMoney(p.tax_total)}
        </Text>
        <Text size="xl" fw={700} data-testid="pos-total">
          {t('pos.basket.toPay')}: {formatMoney(p.grand_total)}
        </Text>
      </Stack>
    </Paper>
  );
}
