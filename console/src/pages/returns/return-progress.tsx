/**
 * @module A return at the desk, step by step: received at this store → each line inspected (restock into this
 * store's stock, or write off) → refunded to the original payments or as store credit. Each step is one call;
 * the refund carries an idempotency key made once, so a retried click never refunds twice. Until it is refunded
 * its lines can be exchanged for other items (exchange-panel.tsx); the replacement order then shows on it, and
 * what the exchange left to refund is what the refund step pays (nothing left: the step just closes it).
 */
import { Badge, Button, Group, Paper, SegmentedControl, Stack, Stepper, Table, Text } from '@mantine/core';
import { useRef, useState } from 'react';
import { newSaleKey } from '../../api/pos';
import {
  useInspectReturn,
  useReceiveReturn,
  useRefundReturn,
  useReturn,
  type InspectionOutcome,
  type RefundMethod,
} from '../../api/returns';
import { ErrorAlert } from '../../components/error-alert';
import { formatMoney } from '../../lib/format';
import { posLabel, usePosT } from '../pos/pos-i18n';
import { ExchangePanel } from './exchange-panel';
import { ExchangeResult } from './exchange-result';

const STEP: Record<string, number> = { requested: 0, received: 1, inspected: 2, refunding: 2, completed: 3 };

export function ReturnProgress({
  returnId,
  locationId,
  onDone,
}: {
  returnId: string;
  locationId: string;
  onDone: () => void;
}) {
  const { t } = usePosT();
  const ret = useReturn(returnId);
  const receive = useReceiveReturn();
  const inspect = useInspectReturn();
  const refund = useRefundReturn();
  const [outcomes, setOutcomes] = useState<Record<string, InspectionOutcome>>({});
  const [method, setMethod] = useState<RefundMethod>('original_payment');
  const refundKey = useRef(newSaleKey());
  const [exchanging, setExchanging] = useState(false);
  if (ret.error) return <ErrorAlert error={ret.error} onRetry={() => void ret.refetch()} />;
  if (!ret.data) return null;
  const r = ret.data;
  const lines = r.lines ?? [];
  const error = receive.error ?? inspect.error ?? refund.error;
  // What came back, exchanged lines included (refund_total is only what is still to refund).
  const value = { amount: lines.reduce((n, l) => n + l.amount.amount, 0), currency: r.refund_total.currency };
  // The server's rule: an open return (not refunding or completed) without an exchange yet.
  const exchangeable =
    ['requested', 'received', 'inspected'].includes(r.status) &&
    !r.exchange_order_id &&
    lines.some((l) => !l.exchanged);
  // Once exchanged the return reloads without the panel, maybe before the panel hears of its success.
  const showExchange = exchanging && exchangeable;

  return (
    <Paper withBorder radius="md" p="md" data-testid="returns-progress">
      <Group justify="space-between" mb="md">
        <Text fw={600}>{t('pos.returns.returnOf', { amount: formatMoney(value) })}</Text>
        <Badge data-testid="returns-status">{posLabel('returnStatuses', r.status)}</Badge>
      </Group>
      {r.override && (
        <Text size="sm" c="orange" mb="sm" data-testid="returns-overridden">
          {t('pos.returns.overridden', { reason: r.override.reason })}
        </Text>
      )}
      <Stepper active={STEP[r.status] ?? 0} size="sm" mb="md">
        <Stepper.Step label={t('pos.returns.stepReceive')} />
        <Stepper.Step label={t('pos.returns.stepInspect')} />
        <Stepper.Step label={t('pos.returns.stepRefund')} />
      </Stepper>
      <Table mb="md">
        <Table.Tbody>
          {lines.map((l, i) => (
            <Table.Tr key={l.id}>
              <Table.Td>
                {l.quantity} × {l.sku}
              </Table.Td>
              <Table.Td>{posLabel('reasons', l.reason)}</Table.Td>
              <Table.Td>
                {formatMoney(l.amount)}
                {l.exchanged && (
                  <Badge ml="xs" variant="light" color="grape" data-testid={`returns-exchanged-${i}`}>
                    {t('pos.exchange.exchanged')}
                  </Badge>
                )}
              </Table.Td>
              <Table.Td>
                {r.status === 'received' ? (
                  <SegmentedControl
                    size="xs"
                    value={outcomes[l.id] ?? 'restock'}
                    onChange={(v) => setOutcomes({ ...outcomes, [l.id]: v as InspectionOutcome })}
                    data={(['restock', 'write_off'] as const).map((o) => ({
                      value: o,
                      label: posLabel('outcomes', o),
                    }))}
                    data-testid={`returns-outcome-${i}`}
                  />
                ) : (
                  l.outcome && <Badge variant="light">{posLabel('outcomes', l.outcome)}</Badge>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {error && <ErrorAlert error={error} data-testid="returns-step-error" />}
      {r.exchange_order_id && <ExchangeResult orderId={r.exchange_order_id} />}
      {exchangeable &&
        (showExchange ? (
          <ExchangePanel ret={r} tillLocationId={locationId} onClose={() => setExchanging(false)} />
        ) : r.customer_id ? (
          <Button
            variant="light"
            color="grape"
            onClick={() => setExchanging(true)}
            data-testid="exchange-start"
          >
            {t('pos.exchange.start')}
          </Button>
        ) : (
          <Text size="sm" c="dimmed" data-testid="exchange-needs-customer">
            {t('pos.exchange.needsCustomer')}
          </Text>
        ))}
      <Stack gap="xs" mt="sm" display={showExchange ? 'none' : undefined}>
        {r.status === 'requested' && (
          <Button
            loading={receive.isPending}
            onClick={() => receive.mutate({ id: r.id, locationId })}
            data-testid="returns-receive"
          >
            {t('pos.returns.receiveHere')}
          </Button>
        )}
        {r.status === 'received' && (
          <Button
            loading={inspect.isPending}
            onClick={() =>
              inspect.mutate({
                id: r.id,
                lines: lines.map((l) => ({ return_line_id: l.id, outcome: outcomes[l.id] ?? 'restock' })),
              })
            }
            data-testid="returns-inspect"
          >
            {t('pos.returns.inspect')}
          </Button>
        )}
        {(r.status === 'inspected' || r.status === 'refunding') && (
          <Group>
            <SegmentedControl
              value={method}
              onChange={(v) => setMethod(v as RefundMethod)}
              data={(['original_payment', 'store_credit'] as const).map((m) => ({
                value: m,
                label: posLabel('refundMethods', m),
              }))}
              data-testid="returns-refund-method"
            />
            <Button
              color="teal"
              loading={refund.isPending}
              onClick={() => refund.mutate({ id: r.id, method, idempotencyKey: refundKey.current })}
              data-testid="returns-refund"
            >
              {r.refund_total.amount === 0
                ? t('pos.exchange.closeReturn')
                : t('pos.returns.refund', { amount: formatMoney(r.refund_total) })}
            </Button>
          </Group>
        )}
        {r.status === 'completed' && (
          <Group>
            <Text c="teal" fw={600} data-testid="returns-refunded">
              {t('pos.returns.refunded', {
                amount: formatMoney(r.refunded),
                method: posLabel('refundMethods', r.refund_method ?? ''),
              })}
            </Text>
            <Button variant="default" onClick={onDone} data-testid="returns-next">
              {t('pos.returns.next')}
            </Button>
          </Group>
        )}
      </Stack>
    </Paper>
  );
}
