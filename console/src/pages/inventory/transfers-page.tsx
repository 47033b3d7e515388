/**
 * @module Transfers between locations: create one (from, to, lines, ETA) — it ships at once, units leave the
 * source and show as incoming at the destination — and receive it when it arrives (all that was sent, or the
 * counted quantities, a shortfall being recorded).
 */
import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Group,
  Modal,
  NumberInput,
  Paper,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { IconArrowsExchange, IconPlus, IconTrash } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { ApiError } from '../../api/client';
import {
  TRANSFER_STATUSES,
  useCreateTransfer,
  useReceiveTransfer,
  useTransfers,
  type Transfer,
  type TransferStatus,
} from '../../api/inventory';
import { ListState, LoadMore } from '../../components/list-state';
import { errorMessage, formFieldName } from '../../lib/errors';
import { formatDateTime } from '../../lib/format';
import { notifyError, notifySuccess } from '../../lib/notify';
import { useCan } from '../../lib/permissions';
import { useLocationIndex } from './inventory-display';
import { label, useInventoryT } from './inventory-i18n';
import { LocationRoute } from './location-route';
import { InventoryNav } from './inventory-nav';

export function TransfersPage() {
  const { t } = useInventoryT();
  const can = useCan();
  const index = useLocationIndex();
  const [status, setStatus] = useState<'all' | TransferStatus>('all');
  const [creating, setCreating] = useState(false);
  const list = useTransfers({ status: status === 'all' ? undefined : status });
  const receive = useReceiveTransfer();

  const receiveAll = (transfer: Transfer) =>
    receive.mutate(
      { id: transfer.id },
      {
        onSuccess: () => notifySuccess(t('inventory.transfers.received')),
        onError: (error) => notifyError(error),
      },
    );

  return (
    <>
      <InventoryNav
        active="transfers"
        actions={
          can('inventory:write') && (
            <Button
              leftSection={<IconPlus size={16} />}
              onClick={() => setCreating(true)}
              data-testid="transfer-new"
            >
              {t('inventory.transfers.new')}
            </Button>
          )
        }
      />
      <SegmentedControl
        mb="md"
        value={status}
        onChange={(v) => setStatus(v as typeof status)}
        data={[
          { value: 'all', label: t('inventory.common.all') },
          ...TRANSFER_STATUSES.map((s) => ({ value: s, label: label('transferStatuses', s) })),
        ]}
      />
      <ListState
        isPending={list.isPending}
        error={list.error}
        isEmpty={list.items.length === 0}
        onRetry={() => void list.refetch()}
        emptyTitle={t('inventory.transfers.empty')}
        emptyDescription={t('inventory.transfers.emptyHint')}
        emptyIcon={<IconArrowsExchange size={28} />}
      >
        <Paper withBorder radius="md">
          <Table.ScrollContainer minWidth={900}>
            <Table striped data-testid="transfers-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('inventory.transfers.route')}</Table.Th>
                  <Table.Th>{t('inventory.transfers.lines')}</Table.Th>
                  <Table.Th>{t('inventory.common.status')}</Table.Th>
                  <Table.Th>{t('inventory.transfers.eta')}</Table.Th>
                  <Table.Th>{t('inventory.transfers.shipped')}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.items.map((transfer) => (
                  <Table.Tr key={transfer.id} data-testid={`transfer-row-${transfer.id}`}>
                    <Table.Td>
                      <LocationRoute
                        from={transfer.from_location_id}
                        to={transfer.to_location_id}
                        nameOf={index.nameOf}
                      />
                      {transfer.reason && (
                        <Text size="xs" c="dimmed">
                          {transfer.reason}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      {transfer.lines.map((line) => (
                        <Text key={line.sku} size="sm" ff="monospace">
                          {line.received_quantity === null
                            ? `${line.quantity} × ${line.sku}`
                            : `${line.received_quantity}/${line.quantity} × ${line.sku}`}
                        </Text>
                      ))}
                    </Table.Td>
                    <Table.Td>
                      <Badge
                        color={transfer.status === 'received' ? 'teal' : 'blue'}
                        variant="light"
                        data-testid="transfer-status"
                      >
                        {label('transferStatuses', transfer.status)}
                      </Badge>
                    </Table.Td>
                    <Table.Td>{formatDateTime(transfer.eta)}</Table.Td>
                    <Table.Td>
                      <Text size="sm">{formatDateTime(transfer.shipped_at)}</Text>
                      {transfer.received_at && (
                        <Text size="xs" c="dimmed">
                          {t('inventory.transfers.receivedAt', {
                            time: formatDateTime(transfer.received_at),
                          })}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td ta="right">
                      {can('inventory:write') && transfer.status === 'in_transit' && (
                        <Button
                          size="xs"
                          variant="light"
                          loading={receive.isPending && receive.variables?.id === transfer.id}
                          onClick={() => receiveAll(transfer)}
                          data-testid="transfer-receive"
                        >
                          {t('inventory.transfers.receive')}
                        </Button>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
        <LoadMore {...list} />
      </ListState>
      <Modal
        opened={creating}
        onClose={() => setCreating(false)}
        title={t('inventory.transfers.newTitle')}
        size="xl"
        centered
      >
        {creating && <TransferForm onClose={() => setCreating(false)} />}
      </Modal>
    </>
  );
}

interface Line {
  key: number;
  sku: string;
  quantity: number | string;
}
let nextKey = 0;
const newLine = (): Line => ({ key: nextKey++, sku: '', quantity: '' });

/** Tomorrow at noon, as the value of a datetime-local input. */
function defaultEta(): string {
  const date = new Date(Date.now() + 86_400_000);
  date.setHours(12, 0, 0, 0);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T12:00`;
}

function TransferForm({ onClose }: { onClose: () => void }) {
  const { t } = useInventoryT();
  const index = useLocationIndex();
  const create = useCreateTransfer();
  const [from, setFrom] = useState<string | null>(null);
  const [to, setTo] = useState<string | null>(null);
  const [eta, setEta] = useState(defaultEta);
  const [reason, setReason] = useState('');
  const [lines, setLines] = useState<Line[]>(() => [newLine()]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<unknown>(null);
  const update = (key: number, patch: Partial<Line>) =>
    setLines((current) => current.map((l) => (l.key === key ? { ...l, ...patch } : l)));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setFailure(null);
    const missing: Record<string, string> = {};
    const required = t('inventory.receive.required');
    if (!from) missing.from_location_id = required;
    if (!to) missing.to_location_id = required;
    if (!eta || Number.isNaN(Date.parse(eta))) missing.eta = required;
    lines.forEach((line, i) => {
      if (!line.sku.trim()) missing[`lines.${i}.sku`] = required;
      if (line.quantity === '') missing[`lines.${i}.quantity`] = required;
    });
    setErrors(missing);
    if (Object.keys(missing).length > 0) return;
    create.mutate(
      {
        from_location_id: from!,
        to_location_id: to!,
        eta: new Date(eta).toISOString(),
        lines: lines.map((l) => ({ sku: l.sku.trim(), quantity: Number(l.quantity) })),
        reason: reason.trim() || undefined,
      },
      {
        onSuccess: () => {
          notifySuccess(t('inventory.transfers.shippedToast'));
          onClose();
        },
        onError: (error) => {
          if (error instanceof ApiError)
            setErrors(Object.fromEntries(error.errors.map((e) => [formFieldName(e.field), e.message])));
          setFailure(error);
        },
      },
    );
  };

  return (
    <form onSubmit={submit} noValidate data-testid="transfer-form">
      <Stack>
        {failure !== null && (
          <Alert color="red" variant="light" data-testid="transfer-error">
            {errorMessage(failure)}
          </Alert>
        )}
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <Select
            label={t('inventory.transfers.from')}
            data={index.options}
            value={from}
            onChange={setFrom}
            error={errors.from_location_id}
            searchable
            data-testid="transfer-from"
          />
          <Select
            label={t('inventory.transfers.to')}
            data={index.options}
            value={to}
            onChange={setTo}
            error={errors.to_location_id}
            searchable
            data-testid="transfer-to"
          />
          <TextInput
            type="datetime-local"
            label={t('inventory.transfers.eta')}
            value={eta}
            onChange={(e) => setEta(e.currentTarget.value)}
            error={errors.eta}
            data-testid="transfer-eta"
          />
        </SimpleGrid>
        {lines.map((line, i) => (
          <Group key={line.key} align="flex-start" wrap="nowrap">
            <TextInput
              label={i === 0 ? t('inventory.grid.sku') : undefined}
              value={line.sku}
              onChange={(e) => update(line.key, { sku: e.currentTarget.value })}
              error={errors[`lines.${i}.sku`]}
              data-testid={`transfer-sku-${i}`}
              style={{ flex: 2 }}
            />
            <NumberInput
              label={i === 0 ? t('inventory.receive.quantity') : undefined}
              value={line.quantity}
              onChange={(v) => update(line.key, { quantity: v })}
              allowDecimal={false}
              error={errors[`lines.${i}.quantity`]}
              data-testid={`transfer-quantity-${i}`}
              style={{ flex: 1 }}
            />
            <ActionIcon
              variant="subtle"
              color="gray"
              mt={i === 0 ? 28 : 4}
              disabled={lines.length === 1}
              onClick={() => setLines((current) => current.filter((l) => l.key !== line.key))}
              aria-label={t('inventory.receive.removeLine')}
            >
              <IconTrash size={16} />
            </ActionIcon>
          </Group>
        ))}
        <Group>
          <Button
            variant="subtle"
            leftSection={<IconPlus size={16} />}
            onClick={() => setLines((c) => [...c, newLine()])}
          >
            {t('inventory.receive.addLine')}
          </Button>
        </Group>
        <TextInput
          label={t('inventory.receive.reason')}
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          error={errors.reason}
          data-testid="transfer-reason"
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('inventory.common.cancel')}
          </Button>
          <Button type="submit" loading={create.isPending} data-testid="transfer-submit">
            {t('inventory.transfers.ship')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
