/**
 * @module "Reserve": hold units of one SKU for a reference (a phone order, a cart) in a channel, at a chosen
 * location or wherever the server's sourcing puts them, for a time to live. A 409 says how many there are.
 */
import {
  Alert,
  Button,
  Group,
  Modal,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  TextInput,
} from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useChannels } from '../../api/channels';
import { ApiError } from '../../api/client';
import { useReserve } from '../../api/inventory';
import { errorMessage, formFieldName } from '../../lib/errors';
import { notifySuccess } from '../../lib/notify';
import { useLocationIndex } from './inventory-display';
import { useInventoryT } from './inventory-i18n';

export function ReserveModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useInventoryT();
  return (
    <Modal opened={opened} onClose={onClose} title={t('inventory.reservations.newTitle')} size="lg" centered>
      {opened && <ReserveForm onClose={onClose} />}
    </Modal>
  );
}

type Field = 'sku' | 'quantity' | 'location_id' | 'reference' | 'ttl';

function ReserveForm({ onClose }: { onClose: () => void }) {
  const { t } = useInventoryT();
  const channels = useChannels({ active: true });
  const index = useLocationIndex();
  const reserve = useReserve();
  const [channelId, setChannelId] = useState<string | null>(null);
  const [sku, setSku] = useState('');
  const [quantity, setQuantity] = useState<number | string>(1);
  const [locationId, setLocationId] = useState<string | null>(null);
  const [reference, setReference] = useState('');
  const [ttlMinutes, setTtlMinutes] = useState<number | string>(15);
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [failure, setFailure] = useState<unknown>(null);
  const channel = channelId ?? channels.items[0]?.id ?? null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setFailure(null);
    const missing: Partial<Record<Field, string>> = {};
    if (!sku.trim()) missing.sku = t('inventory.receive.required');
    if (quantity === '') missing.quantity = t('inventory.receive.required');
    if (!reference.trim()) missing.reference = t('inventory.receive.required');
    setErrors(missing);
    if (Object.keys(missing).length > 0 || !channel) return;
    reserve.mutate(
      {
        channel_id: channel,
        reference: { type: 'order', id: reference.trim() },
        lines: [{ sku: sku.trim(), quantity: Number(quantity), location_id: locationId ?? undefined }],
        ttl_seconds: ttlMinutes === '' ? undefined : Math.round(Number(ttlMinutes) * 60),
      },
      {
        onSuccess: (result) => {
          notifySuccess(t('inventory.reservations.reserved', { count: result.data.length }));
          onClose();
        },
        onError: (error) => {
          if (error instanceof ApiError) {
            const mapped: Partial<Record<Field, string>> = {};
            for (const fieldError of error.errors) {
              const name = formFieldName(fieldError.field);
              const match = /^lines\.0\.(sku|quantity|location_id)$/.exec(name);
              if (match) mapped[match[1] as Field] = fieldError.message;
              else if (name.startsWith('reference')) mapped.reference = fieldError.message;
              else if (name === 'ttl_seconds') mapped.ttl = fieldError.message;
            }
            setErrors(mapped);
          }
          setFailure(error);
        },
      },
    );
  };

  return (
    <form onSubmit={submit} noValidate data-testid="reserve-form">
      <Stack>
        {failure !== null && (
          <Alert color="red" variant="light" data-testid="reserve-error">
            {errorMessage(failure)}
          </Alert>
        )}
        <SimpleGrid cols={2}>
          <Select
            label={t('inventory.availability.channel')}
            data={channels.items.map((c) => ({ value: c.id, label: c.name }))}
            value={channel}
            onChange={setChannelId}
            allowDeselect={false}
            data-testid="reserve-channel"
          />
          <TextInput
            label={t('inventory.reservations.orderReference')}
            placeholder="PHONE-1042"
            value={reference}
            onChange={(e) => setReference(e.currentTarget.value)}
            error={errors.reference}
            data-testid="reserve-reference"
          />
          <TextInput
            label={t('inventory.grid.sku')}
            value={sku}
            onChange={(e) => setSku(e.currentTarget.value)}
            error={errors.sku}
            data-testid="reserve-sku"
          />
          <NumberInput
            label={t('inventory.receive.quantity')}
            value={quantity}
            onChange={setQuantity}
            allowDecimal={false}
            error={errors.quantity}
            data-testid="reserve-quantity"
          />
          <Select
            label={t('inventory.grid.location')}
            placeholder={t('inventory.reservations.sourced')}
            data={index.options}
            value={locationId}
            onChange={setLocationId}
            clearable
            error={errors.location_id}
            data-testid="reserve-location"
          />
          <NumberInput
            label={t('inventory.reservations.ttl')}
            value={ttlMinutes}
            onChange={setTtlMinutes}
            min={1}
            error={errors.ttl}
            data-testid="reserve-ttl"
          />
        </SimpleGrid>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('inventory.common.cancel')}
          </Button>
          <Button type="submit" loading={reserve.isPending} disabled={!channel} data-testid="reserve-submit">
            {t('inventory.reservations.reserve')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
