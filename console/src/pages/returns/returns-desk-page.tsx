/**
 * @module The returns desk (/pos/returns): find a return already opened anywhere (online, by mail, at another
 * store — return-finder.tsx) and continue it, or start one: find the order (by number, or the customer's recent
 * orders), choose the lines and reasons, and open the return — the server answers the policy verdict, and a
 * refused return can be taken anyway with a reason (audited). Then the return is received at this store,
 * inspected and refunded.
 */
import {
  Alert,
  Button,
  Checkbox,
  Group,
  NumberInput,
  Paper,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core';
import { IconSearch } from '@tabler/icons-react';
import { useState } from 'react';
import { ApiError } from '../../api/client';
import { useCustomerSearch } from '../../api/customers';
import { useList } from '../../api/list';
import { commerceKeys, useOrder, type OrderSummary } from '../../api/orders';
import {
  RETURN_REASONS,
  useCreateReturn,
  type Return,
  type ReturnInput,
  type ReturnReason,
} from '../../api/returns';
import { ErrorAlert } from '../../components/error-alert';
import { formatMoney } from '../../lib/format';
import { customerName } from '../pos/pos-customer';
import { posLabel, usePosT } from '../pos/pos-i18n';
import { PickStoreFirst, PosNav } from '../pos/pos-nav';
import { useTill } from '../pos/pos-till';
import { ReturnFinder } from './return-finder';
import { ReturnProgress } from './return-progress';

interface Choice {
  selected: boolean;
  quantity: number;
  reason: ReturnReason | null;
}

function OrderFinder({ onOrder }: { onOrder: (id: string) => void }) {
  const { t } = usePosT();
  const [number, setNumber] = useState('');
  const [q, setQ] = useState('');
  const [customerId, setCustomerId] = useState<string | null>(null);
  const validNumber = /^#?\d{1,12}$/.test(number.trim());
  const byNumber = useList<OrderSummary>(
    commerceKeys.orders,
    '/v1/orders',
    { number: number.trim() },
    { enabled: validNumber },
  );
  const customers = useCustomerSearch(q, q.trim().length >= 3 && !customerId);
  const ofCustomer = useList<OrderSummary>(
    commerceKeys.orders,
    '/v1/orders',
    { customer_id: customerId },
    { enabled: Boolean(customerId) },
  );
  const found = [...(validNumber ? byNumber.items : []), ...(customerId ? ofCustomer.items : [])];
  return (
    <Paper withBorder radius="md" p="sm" data-testid="returns-finder">
      <Text fw={600} mb="xs">
        {t('pos.returns.newReturn')}
      </Text>
      <Group align="flex-end">
        <TextInput
          label={t('pos.returns.orderNumber')}
          placeholder="#1042"
          value={number}
          onChange={(e) => setNumber(e.currentTarget.value)}
          data-testid="returns-order-number"
        />
        <TextInput
          label={t('pos.returns.orCustomer')}
          leftSection={<IconSearch size={16} />}
          value={q}
          onChange={(e) => {
            setQ(e.currentTarget.value);
            setCustomerId(null);
          }}
          data-testid="returns-customer-search"
        />
      </Group>
      {!customerId &&
        (customers.data?.data ?? []).slice(0, 5).map((c) => (
          <Button
            key={c.id}
            variant="subtle"
            size="xs"
            onClick={() => setCustomerId(c.id)}
            data-testid={`returns-customer-${c.id}`}
          >
            {customerName(c)}
          </Button>
        ))}
      {found.length > 0 && (
        <Table mt="sm" highlightOnHover>
          <Table.Tbody>
            {found.slice(0, 10).map((o) => (
              <Table.Tr
                key={o.id}
                style={{ cursor: 'pointer' }}
                onClick={() => onOrder(o.id)}
                data-testid={`returns-order-${o.number}`}
              >
                <Table.Td fw={600}>{o.display_number}</Table.Td>
                <Table.Td>{new Date(o.placed_at).toLocaleDateString()}</Table.Td>
                <Table.Td>{o.status}</Table.Td>
                <Table.Td ta="right">{formatMoney(o.totals.total)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Paper>
  );
}

function ReturnForm({ orderId, onOpened }: { orderId: string; onOpened: (r: Return) => void }) {
  const { t } = usePosT();
  const order = useOrder(orderId);
  const create = useCreateReturn();
  const [choices, setChoices] = useState<Record<string, Choice>>({});
  const [override, setOverride] = useState('');
  if (order.error) return <ErrorAlert error={order.error} />;
  if (!order.data) return null;
  const o = order.data;
  const choice = (id: string): Choice => choices[id] ?? { selected: false, quantity: 1, reason: null };
  const set = (id: string, patch: Partial<Choice>) =>
    setChoices({ ...choices, [id]: { ...choice(id), ...patch } });
  const chosen = o.lines.filter((l) => choice(l.id).selected);
  const refused = create.error instanceof ApiError && create.error.status === 422 ? create.error : null;

  const submit = (withOverride: boolean) => {
    const input: ReturnInput = {
      order_id: o.id,
      method: 'in_store',
      lines: chosen.map((l) => ({
        order_line_id: l.id,
        quantity: choice(l.id).quantity,
        reason: choice(l.id).reason!,
      })),
      ...(withOverride ? { override: { reason: override.trim() } } : {}),
    };
    create.mutate(input, { onSuccess: onOpened });
  };

  return (
    <Paper withBorder radius="md" p="sm" data-testid="returns-form">
      <Text fw={600} mb="xs">
        {t('pos.returns.orderLines', { number: o.display_number })}
      </Text>
      <Table>
        <Table.Tbody>
          {o.lines.map((l, i) => (
            <Table.Tr key={l.id} data-testid={`returns-line-${i}`}>
              <Table.Td>
                <Checkbox
                  checked={choice(l.id).selected}
                  onChange={(e) => set(l.id, { selected: e.currentTarget.checked })}
                  label={`${l.title} (${l.sku})`}
                  data-testid={`returns-pick-${i}`}
                />
              </Table.Td>
              <Table.Td w={90}>
                <NumberInput
                  size="xs"
                  min={1}
                  max={l.quantity}
                  value={choice(l.id).quantity}
                  onChange={(v) => set(l.id, { quantity: Number(v) || 1 })}
                  aria-label={t('pos.basket.quantity')}
                />
              </Table.Td>
              <Table.Td w={200}>
                <Select
                  size="xs"
                  placeholder={t('pos.returns.reason')}
                  data={RETURN_REASONS.map((r) => ({ value: r, label: posLabel('reasons', r) }))}
                  value={choice(l.id).reason}
                  onChange={(v) => set(l.id, { reason: v as ReturnReason | null, selected: true })}
                  data-testid={`returns-reason-${i}`}
                />
              </Table.Td>
              <Table.Td ta="right">{formatMoney(l.total)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {refused ? (
        <Alert color="orange" mt="sm" title={t('pos.returns.refused')} data-testid="returns-verdict">
          <Stack gap="xs">
            {(refused.errors.length ? refused.errors.map((e) => e.message) : [refused.message]).map((m) => (
              <Text key={m} size="sm">
                {m}
              </Text>
            ))}
            <Textarea
              label={t('pos.returns.overrideReason')}
              value={override}
              onChange={(e) => setOverride(e.currentTarget.value)}
              data-testid="returns-override-reason"
            />
            <Button
              color="orange"
              disabled={override.trim().length < 3}
              loading={create.isPending}
              onClick={() => submit(true)}
              data-testid="returns-override"
            >
              {t('pos.returns.override')}
            </Button>
          </Stack>
        </Alert>
      ) : (
        create.error && <ErrorAlert error={create.error} data-testid="returns-error" />
      )}
      <Button
        mt="sm"
        disabled={chosen.length === 0 || chosen.some((l) => !choice(l.id).reason)}
        loading={create.isPending}
        onClick={() => submit(false)}
        data-testid="returns-open"
      >
        {t('pos.returns.open')}
      </Button>
    </Paper>
  );
}

export function ReturnsDeskPage() {
  const till = useTill();
  const [orderId, setOrderId] = useState<string | null>(null);
  const [opened, setOpened] = useState<string | null>(null);
  return (
    <>
      <PosNav active="returns" till={till} />
      {!till.locationId ? (
        <PickStoreFirst />
      ) : opened ? (
        <ReturnProgress
          returnId={opened}
          locationId={till.locationId}
          onDone={() => {
            setOpened(null);
            setOrderId(null);
          }}
        />
      ) : (
        <Stack>
          <ReturnFinder onOpen={setOpened} />
          <OrderFinder onOrder={setOrderId} />
          {orderId && <ReturnForm key={orderId} orderId={orderId} onOpened={(r) => setOpened(r.id)} />}
        </Stack>
      )}
    </>
  );
}
