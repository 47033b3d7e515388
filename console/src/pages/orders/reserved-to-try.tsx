/**
 * @module "Reserved to try" at the pickup desk: reservations customers come to try before paying. Sell takes the
 * lines the customer keeps (ticked), charges exactly their total with the till's split tender and releases the rest;
 * Release gives everything back to sale. The server refuses anything no longer held, and its answer is shown.
 */
import { Button, Checkbox, Group, Modal, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useFulfilments } from '../../api/fulfilments';
import { useReleaseReservation, useSellReservation } from '../../api/fulfilments-reserve';
import type { Fulfilment, Order } from '../../api/orders';
import { useStoreCredit, type Tender } from '../../api/pos';
import { ErrorAlert } from '../../components/error-alert';
import { LoadMore } from '../../components/list-state';
import { errorMessage } from '../../lib/errors';
import { formatMoney } from '../../lib/format';
import { notifyError, notifySuccess } from '../../lib/notify';
import { useCan } from '../../lib/permissions';
import { tendered, TenderPanel } from '../pos/pos-tender';
import { FulfilmentHold } from './order-badges';
import { OrderRef, useFulfilmentOrder } from './order-ref';
import { useOrdersT } from './orders-i18n';

function SellModal(props: { fulfilment: Fulfilment; order: Order; onClose: () => void }) {
  const { t } = useOrdersT();
  const lines = props.order.lines.filter((l) => l.fulfilment_id === props.fulfilment.id);
  const [keep, setKeep] = useState<string[]>(lines.map((l) => l.id));
  const [tenders, setTenders] = useState<Tender[]>([]);
  const credit = useStoreCredit(props.order.customer_id);
  // One key per sale shown: a retry after a lost answer is the same sale.
  const [idempotencyKey] = useState(() => `desk-sell-${crypto.randomUUID()}`);
  const sell = useSellReservation();
  const total = {
    amount: lines.filter((l) => keep.includes(l.id)).reduce((n, l) => n + l.total.amount, 0),
    currency: props.order.currency,
  };
  const storeCredit = credit.data?.balances.find((b) => b.currency === props.order.currency)?.amount ?? 0;
  const covered = tendered(tenders) === total.amount;
  const changeKeep = (ids: string[]) => {
    setKeep(ids);
    // Tenders were taken for the old total: the associate takes them again for the new one.
    setTenders([]);
  };
  const submit = () =>
    sell.mutate(
      { id: props.fulfilment.id, idempotencyKey, input: { keep_line_ids: keep, tenders } },
      {
        onSuccess: () => {
          notifySuccess(t('orders.pickup.sold', { number: props.order.display_number }));
          props.onClose();
        },
      },
    );
  return (
    <Modal
      opened
      onClose={props.onClose}
      title={t('orders.pickup.sellTitle', { number: props.order.display_number })}
    >
      <Stack gap="sm" data-testid="reserve-sell-modal">
        <Checkbox.Group label={t('orders.pickup.keep')} value={keep} onChange={changeKeep}>
          <Stack gap={6} mt={6}>
            {lines.map((l) => (
              <Checkbox
                key={l.id}
                value={l.id}
                label={`${l.quantity} × ${l.title} · ${formatMoney(l.total)}`}
                data-testid={`reserve-keep-${l.sku}`}
              />
            ))}
          </Stack>
        </Checkbox.Group>
        <Text fw={700} data-testid="reserve-due">
          {t('orders.pickup.due', { total: formatMoney(total) })}
        </Text>
        <TenderPanel
          total={total}
          tenders={tenders}
          onChange={setTenders}
          storeCredit={storeCredit}
          hasCustomer={Boolean(props.order.customer_id)}
        />
        {sell.error && (
          <Text size="sm" c="red" data-testid="reserve-sell-error">
            {errorMessage(sell.error)}
          </Text>
        )}
        <Group justify="flex-end">
          <Button
            onClick={submit}
            loading={sell.isPending}
            disabled={keep.length === 0 || !covered}
            data-testid="reserve-charge"
          >
            {t('orders.pickup.charge', { total: formatMoney(total) })}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function ReservedRow({
  fulfilment: f,
  search,
}: {
  fulfilment: Fulfilment;
  search: (o: Order | undefined) => boolean;
}) {
  const { t } = useOrdersT();
  const can = useCan();
  const order = useFulfilmentOrder(f);
  const release = useReleaseReservation();
  const [selling, setSelling] = useState(false);
  if (!search(order.data)) return null;
  return (
    <Table.Tr data-testid={`reserved-row-${order.data?.number ?? f.id}`} style={{ verticalAlign: 'top' }}>
      <Table.Td w="40%">
        <OrderRef fulfilment={f} order={order.data} />
      </Table.Td>
      <Table.Td>
        <FulfilmentHold fulfilment={f} />
      </Table.Td>
      <Table.Td>
        {order.data && (
          <Group gap="xs" justify="flex-end">
            {can('pos:use') && (
              <Button size="xs" onClick={() => setSelling(true)} data-testid="reserve-sell">
                {t('orders.pickup.sell')}
              </Button>
            )}
            {can('orders:write') && (
              <Button
                size="xs"
                variant="default"
                loading={release.isPending}
                data-testid="reserve-release"
                onClick={() =>
                  release.mutate(f.id, {
                    onSuccess: () =>
                      notifySuccess(t('orders.pickup.releasedDone', { number: order.data!.display_number })),
                    onError: (err) => notifyError(err),
                  })
                }
              >
                {t('orders.pickup.release')}
              </Button>
            )}
          </Group>
        )}
        {selling && order.data && (
          <SellModal fulfilment={f} order={order.data} onClose={() => setSelling(false)} />
        )}
      </Table.Td>
    </Table.Tr>
  );
}

export function ReservedToTry(props: { locationId: string; search: (o: Order | undefined) => boolean }) {
  const { t } = useOrdersT();
  const list = useFulfilments({ location_id: props.locationId, mode: 'reserve_in_store', status: 'held' });
  return (
    <Paper withBorder radius="md" p="md" data-testid="desk-reserved">
      <Title order={4}>{t('orders.pickup.reserved')}</Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t('orders.pickup.reservedHint')}
      </Text>
      {list.error ? (
        <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />
      ) : !list.isPending && list.items.length === 0 ? (
        <Text size="sm" c="dimmed" data-testid="desk-empty">
          {t('orders.pickup.emptyReserved')}
        </Text>
      ) : (
        <Table verticalSpacing="sm">
          <Table.Tbody>
            {list.items.map((f) => (
              <ReservedRow key={f.id} fulfilment={f} search={props.search} />
            ))}
          </Table.Tbody>
        </Table>
      )}
      <LoadMore {...list} />
    </Paper>
  );
}
