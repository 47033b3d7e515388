/**
 * @module One stock level opened from the grid: its figures, and the two corrections a stock controller makes
 * there — an adjustment (signed units, or damage written off) and a cycle count (what is on the shelf) — each
 * with a reason. The server's field errors land on the fields; its 409 says how many units there are.
 */
import {
  Alert,
  Anchor,
  Button,
  Group,
  Modal,
  NumberInput,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { ApiError } from '../../api/client';
import { useCountStock, useRecordMovement, type StockLevel } from '../../api/inventory';
import { errorMessage, formFieldName } from '../../lib/errors';
import { formatNumber } from '../../lib/format';
import { notifySuccess } from '../../lib/notify';
import { useInventoryT } from './inventory-i18n';

type Action = 'adjustment' | 'damage' | 'count';

interface Props {
  level: StockLevel;
  locationName: string;
  canWrite: boolean;
  onClose: () => void;
}

export function StockLevelModal({ level, locationName, canWrite, onClose }: Props) {
  const { t } = useInventoryT();
  return (
    <Modal
      opened
      onClose={onClose}
      title={t('inventory.level.title', { sku: level.sku })}
      size="lg"
      centered
      data-testid="stock-level-modal"
    >
      <Stack>
        <Text size="sm" c="dimmed">
          {locationName}
        </Text>
        <SimpleGrid cols={{ base: 3, sm: 5 }}>
          {(
            [
              ['onHand', level.on_hand],
              ['reserved', level.reserved],
              ['safety', level.safety_stock],
              ['incoming', level.incoming],
              ['available', level.available],
            ] as const
          ).map(([key, value]) => (
            <Stack gap={0} key={key}>
              <Text size="xs" c="dimmed">
                {t(`inventory.level.${key}`)}
              </Text>
              <Text fw={700} size="xl" data-testid={`level-${key}`}>
                {formatNumber(value)}
              </Text>
            </Stack>
          ))}
        </SimpleGrid>
        <Anchor
          component={Link}
          to={`/inventory/ledger?sku=${encodeURIComponent(level.sku)}&location_id=${encodeURIComponent(level.location_id)}`}
          size="sm"
          data-testid="level-ledger-link"
        >
          {t('inventory.level.ledgerLink')}
        </Anchor>
        {canWrite && <CorrectionForm level={level} onDone={onClose} />}
      </Stack>
    </Modal>
  );
}

function CorrectionForm({ level, onDone }: { level: StockLevel; onDone: () => void }) {
  const { t } = useInventoryT();
  const move = useRecordMovement();
  const count = useCountStock();
  const [action, setAction] = useState<Action>('adjustment');
  const [quantity, setQuantity] = useState<number | string>('');
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<{ quantity?: string; reason?: string }>({});
  const [failure, setFailure] = useState<unknown>(null);
  const pending = move.isPending || count.isPending;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setFailure(null);
    const next: typeof errors = {};
    if (quantity === '') next.quantity = t('inventory.level.quantityRequired');
    if (!reason.trim()) next.reason = t('inventory.level.reasonRequired');
    setErrors(next);
    if (Object.keys(next).length > 0) return;
    const units = Number(quantity);
    const onError = (error: unknown) => {
      // `body.lines.0.quantity` / `body.lines.0.counted` → the number field; `body.reason` → the reason.
      if (error instanceof ApiError) {
        const mapped: typeof errors = {};
        for (const fieldError of error.errors) {
          const name = formFieldName(fieldError.field);
          if (/^lines\.0\.(quantity|counted)$/.test(name)) mapped.quantity = fieldError.message;
          else if (name === 'reason') mapped.reason = fieldError.message;
        }
        setErrors(mapped);
      }
      setFailure(error);
    };
    if (action === 'count') {
      count.mutate(
        {
          location_id: level.location_id,
          lines: [{ sku: level.sku, counted: units }],
          reason: reason.trim(),
        },
        {
          onSuccess: (result) => {
            const line = result.lines[0];
            notifySuccess(t('inventory.level.countedToast', { variance: line ? line.variance : 0 }));
            onDone();
          },
          onError,
        },
      );
    } else {
      move.mutate(
        {
          location_id: level.location_id,
          kind: action,
          lines: [{ sku: level.sku, quantity: units }],
          reason: reason.trim(),
        },
        {
          onSuccess: () => {
            notifySuccess(t('inventory.level.adjusted'));
            onDone();
          },
          onError,
        },
      );
    }
  };

  return (
    <form onSubmit={submit} noValidate data-testid="stock-correction-form">
      <Stack>
        <SegmentedControl
          value={action}
          onChange={(value) => {
            setAction(value as Action);
            setErrors({});
            setFailure(null);
          }}
          data={[
            { value: 'adjustment', label: t('inventory.level.adjust') },
            { value: 'damage', label: t('inventory.level.damage') },
            { value: 'count', label: t('inventory.level.count') },
          ]}
          data-testid="stock-action"
        />
        <Text size="sm" c="dimmed">
          {t(`inventory.level.${action}Hint`)}
        </Text>
        {failure !== null && (
          <Alert color="red" variant="light" data-testid="stock-correction-error">
            {errorMessage(failure)}
          </Alert>
        )}
        <Group grow align="flex-start">
          <NumberInput
            label={
              action === 'count'
                ? t('inventory.level.counted')
                : action === 'damage'
                  ? t('inventory.level.damagedUnits')
                  : t('inventory.level.delta')
            }
            value={quantity}
            onChange={setQuantity}
            allowDecimal={false}
            error={errors.quantity}
            data-testid="stock-quantity"
            required
          />
          <TextInput
            label={t('inventory.level.reason')}
            placeholder={t('inventory.level.reasonPlaceholder')}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            error={errors.reason}
            data-testid="stock-reason"
            required
          />
        </Group>
        <Group justify="flex-end">
          <Button type="submit" loading={pending} data-testid="stock-correction-submit">
            {t(`inventory.level.${action}Submit`)}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
