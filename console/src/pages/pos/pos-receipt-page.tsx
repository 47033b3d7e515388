/**
 * @module The printable receipt of an order (/pos/receipt/:id): no navigation, black on white, narrow like a till
 * roll; the browser's print dialog prints it. Its words and amounts come from `GET /v1/orders/:id/receipt`, already
 * in the customer's language (else the store channel's), so a Spanish customer gets a Spanish ticket whatever the
 * associate's console speaks — and a reprint days later is the same receipt.
 */
import { Box, Button, Divider, Group, Loader, Stack, Table, Text } from '@mantine/core';
import { IconPrinter } from '@tabler/icons-react';
import { useParams } from 'react-router';
import { useReceipt } from '../../api/pos';
import { ErrorAlert } from '../../components/error-alert';
import { usePosT } from './pos-i18n';
import { PosReceiptSend } from './pos-receipt-send';

const addressLine = (a: Record<string, unknown>) =>
  [a.line1, a.postal_code, a.city].filter((v) => typeof v === 'string' && v).join(', ');

export function PosReceiptPage() {
  const { t } = usePosT();
  const { id = '' } = useParams();
  const receipt = useReceipt(id);
  if (receipt.error) return <ErrorAlert error={receipt.error} onRetry={() => void receipt.refetch()} />;
  if (!receipt.data) return <Loader m="xl" />;
  const r = receipt.data;
  const label = (key: string) => r.labels[key] ?? key;
  const row = (name: string, value: string, testId?: string, strong = false) => (
    <Group justify="space-between" key={name}>
      <Text size="xs" fw={strong ? 700 : undefined}>
        {name}
      </Text>
      <Text size="xs" fw={strong ? 700 : undefined} data-testid={testId}>
        {value}
      </Text>
    </Group>
  );
  return (
    <Box
      maw={380}
      mx="auto"
      p="md"
      bg="white"
      c="black"
      lang={r.locale}
      data-testid="pos-receipt"
      style={{ fontFamily: 'monospace' }}
    >
      <Group justify="flex-end" className="no-print" mb="sm">
        <Button
          size="xs"
          leftSection={<IconPrinter size={14} />}
          onClick={() => window.print()}
          data-testid="pos-print"
        >
          {t('pos.receipt.print')}
        </Button>
      </Group>
      <PosReceiptSend orderId={id} />
      <style>{'@media print { .no-print { display: none !important; } }'}</style>
      <Stack gap={2} align="center">
        <Text fw={700}>{r.store?.name ?? label('receipt')}</Text>
        {r.store && <Text size="xs">{addressLine(r.store.address)}</Text>}
        <Text size="sm" data-testid="pos-receipt-number">
          {label('receipt')} · {label('order')} {r.number}
        </Text>
        <Text size="xs">{r.placed_at_text}</Text>
      </Stack>
      <Divider my="xs" variant="dashed" color="black" />
      <Table withRowBorders={false} fz="xs" verticalSpacing={2}>
        <Table.Tbody>
          {r.lines.map((l, i) => (
            <Table.Tr key={`${l.sku}-${i}`}>
              <Table.Td>
                {l.quantity} × {l.title}
                <Text size="10px">
                  {l.sku} · {l.unit_price.text}
                </Text>
              </Table.Td>
              <Table.Td ta="right">{l.total.text}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Divider my="xs" variant="dashed" color="black" />
      <Stack gap={0}>
        {row(label('subtotal'), r.totals.subtotal.text)}
        {r.totals.discount.amount > 0 && row(label('discount'), `−${r.totals.discount.text}`)}
        {r.totals.shipping.amount > 0 && row(label('shipping'), r.totals.shipping.text)}
        {row(label('tax'), r.totals.tax.text)}
        {row(label('total'), r.totals.total.text, 'pos-receipt-total', true)}
      </Stack>
      <Divider my="xs" variant="dashed" color="black" />
      <Stack gap={0} data-testid="pos-receipt-payments">
        {r.payments.map((p, i) => (
          <Stack gap={0} key={`${p.provider}-${i}`}>
            {row(`${p.label}${p.last4 ? ` •••• ${p.last4}` : ''}`, p.amount.text)}
            {p.change_due &&
              p.change_due.amount > 0 &&
              row(label('change'), p.change_due.text, 'pos-receipt-change')}
          </Stack>
        ))}
      </Stack>
      <Text size="xs" ta="center" mt="md">
        {label('thanks')}
      </Text>
    </Box>
  );
}
