/**
 * @module "Receive stock": goods arriving at one or more locations, a line per SKU and location, with a reason
 * (a delivery note, a purchase order). All lines are received or none; a refused line shows its error on it.
 */
import {
  ActionIcon,
  Alert,
  Button,
  Group,
  Modal,
  NumberInput,
  Select,
  Stack,
  TextInput,
} from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { ApiError } from '../../api/client';
import { useReceiveStock } from '../../api/inventory';
import { errorMessage, formFieldName } from '../../lib/errors';
import { notifySuccess } from '../../lib/notify';
import { useLocationIndex } from './inventory-display';
import { useInventoryT } from './inventory-i18n';

interface Line {
  key: number;
  sku: string;
  location_id: string | null;
  quantity: number | string;
}

let nextKey = 0;
const newLine = (sku = '', location_id: string | null = null): Line => ({
  key: nextKey++,
  sku,
  location_id,
  quantity: '',
});

export function ReceiveModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useInventoryT();
  return (
    <Modal opened={opened} onClose={onClose} title={t('inventory.receive.title')} size="xl" centered>
      {opened && <ReceiveForm onClose={onClose} />}
    </Modal>
  );
}

type LineErrors = Record<number, Partial<Record<'sku' | 'location_id' | 'quantity', string>>>;

function ReceiveForm({ onClose }: { onClose: () => void }) {
  const { t } = useInventoryT();
  const index = useLocationIndex();
  const receive = useReceiveStock();
  const [lines, setLines] = useState<Line[]>(() => [newLine()]);
  const [reason, setReason] = useState('');
  const [lineErrors, setLineErrors] = useState<LineErrors>({});
  const [failure, setFailure] = useState<unknown>(null);

  const update = (key: number, patch: Partial<Line>) =>
    setLines((current) => current.map((line) => (line.key === key ? { ...line, ...patch } : line)));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setFailure(null);
    // Only the obvious gaps are checked here; the server judges the rest and names the field.
    const missing: LineErrors = {};
    lines.forEach((line) => {
      const errors: LineErrors[number] = {};
      if (!line.sku.trim()) errors.sku = t('inventory.receive.required');
      if (!line.location_id) errors.location_id = t('inventory.receive.required');
      if (line.quantity === '') errors.quantity = t('inventory.receive.required');
      if (Object.keys(errors).length > 0) missing[line.key] = errors;
    });
    setLineErrors(missing);
    if (Object.keys(missing).length > 0) return;
    receive.mutate(
      {
        lines: lines.map((line) => ({
          sku: line.sku.trim(),
          location_id: line.location_id ?? '',
          quantity: Number(line.quantity),
        })),
        reason: reason.trim() || undefined,
      },
      {
        onSuccess: (result) => {
          notifySuccess(t('inventory.receive.done', { count: result.data.length }));
          onClose();
        },
        onError: (error) => {
          if (error instanceof ApiError) {
            const mapped: LineErrors = {};
            for (const fieldError of error.errors) {
              const match = /^lines\.(\d+)\.(sku|location_id|quantity)$/.exec(
                formFieldName(fieldError.field),
              );
              const line = match ? lines[Number(match[1])] : undefined;
              if (match && line)
                mapped[line.key] = {
                  ...mapped[line.key],
                  [match[2] as 'sku']: fieldError.message,
                };
            }
            setLineErrors(mapped);
          }
          setFailure(error);
        },
      },
    );
  };

  return (
    <form onSubmit={submit} noValidate data-testid="receive-form">
      <Stack>
        {failure !== null && (
          <Alert color="red" variant="light" data-testid="receive-error">
            {errorMessage(failure)}
          </Alert>
        )}
        {lines.map((line, i) => (
          <Group key={line.key} align="flex-start" wrap="nowrap" data-testid={`receive-line-${i}`}>
            <TextInput
              label={i === 0 ? t('inventory.grid.sku') : undefined}
              placeholder="TEE-BLUE-M"
              value={line.sku}
              onChange={(e) => update(line.key, { sku: e.currentTarget.value })}
              error={lineErrors[line.key]?.sku}
              data-testid={`receive-sku-${i}`}
              style={{ flex: 2 }}
            />
            <Select
              label={i === 0 ? t('inventory.grid.location') : undefined}
              placeholder={t('inventory.receive.pickLocation')}
              data={index.options}
              value={line.location_id}
              onChange={(value) => update(line.key, { location_id: value })}
              error={lineErrors[line.key]?.location_id}
              searchable
              data-testid={`receive-location-${i}`}
              style={{ flex: 3 }}
            />
            <NumberInput
              label={i === 0 ? t('inventory.receive.quantity') : undefined}
              value={line.quantity}
              onChange={(value) => update(line.key, { quantity: value })}
              error={lineErrors[line.key]?.quantity}
              allowDecimal={false}
              data-testid={`receive-quantity-${i}`}
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
            onClick={() => setLines((current) => [...current, newLine(current.at(-1)?.sku ?? '')])}
            data-testid="receive-add-line"
          >
            {t('inventory.receive.addLine')}
          </Button>
        </Group>
        <TextInput
          label={t('inventory.receive.reason')}
          placeholder={t('inventory.receive.reasonPlaceholder')}
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          data-testid="receive-reason"
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('inventory.common.cancel')}
          </Button>
          <Button type="submit" loading={receive.isPending} data-testid="receive-submit">
            {t('inventory.receive.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
