/**
 * @module The buttons that move a fulfilment one step, offered only where the server's rules allow that step
 * (fulfilment.service.ts): a pickup in transit from another location is received first; pick → pack → ship (carrier and tracking asked in a modal); same-day out for delivery →
 * delivered; pickup marked ready (its new code shown once, in a modal); a POS handover. The pickup code check
 * is CollectForm: a wrong code shows the server's answer under the field.
 */
import { Button, Group, Modal, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconCheck, IconTruckDelivery } from '@tabler/icons-react';
import { createContext, useContext, useState, type ReactNode } from 'react';
import {
  useCollectPickup,
  useFulfilmentStep,
  useReadyForPickup,
  useShipFulfilment,
  type SimpleStep,
} from '../../api/fulfilments';
import type { Fulfilment } from '../../api/orders';
import { applyFieldErrors, errorMessage } from '../../lib/errors';
import { notifyError, notifySuccess } from '../../lib/notify';
import { useOrdersT, type OrdersKey } from './orders-i18n';

type Action = SimpleStep | 'ship' | 'ready-for-pickup';

const ACTION_LABELS: Record<Action, OrdersKey> = {
  'receive-transfer': 'orders.fulfilments.receiveTransfer',
  pick: 'orders.fulfilments.pick',
  pack: 'orders.fulfilments.pack',
  ship: 'orders.fulfilments.ship',
  'out-for-delivery': 'orders.fulfilments.outForDelivery',
  deliver: 'orders.fulfilments.deliver',
  'hand-over': 'orders.fulfilments.handOver',
  'ready-for-pickup': 'orders.fulfilments.readyForPickup',
};

/** The steps the server accepts next for this fulfilment, most expected first. */
export function nextActions(f: Fulfilment): Action[] {
  switch (f.mode) {
    case 'ship':
      return f.status === 'pending'
        ? ['pick']
        : f.status === 'picked'
          ? ['pack']
          : f.status === 'packed'
            ? ['ship']
            : [];
    case 'same_day':
      if (f.status === 'pending') return ['pick', 'out-for-delivery'];
      if (f.status === 'picked') return ['pack', 'out-for-delivery'];
      if (f.status === 'packed') return ['out-for-delivery'];
      return f.status === 'out_for_delivery' ? ['deliver'] : [];
    case 'pickup':
      // Pickup after transfer: the store receives the units before it can prepare the pickup.
      if (f.status === 'in_transit') return ['receive-transfer'];
      if (f.status === 'pending') return ['ready-for-pickup', 'pick'];
      // Marking a waiting pickup ready again issues a new code (lost, or locked after wrong codes).
      return f.status === 'picked' || f.status === 'ready_for_pickup' ? ['ready-for-pickup'] : [];
    case 'handover':
      return f.status === 'pending' ? ['hand-over'] : [];
    case 'reserve_in_store':
      // Sold or released at the pickup desk (reserved-to-try.tsx), not stepped.
      return [];
  }
}

function ShipModal({ fulfilment, onClose }: { fulfilment: Fulfilment | null; onClose: () => void }) {
  const { t } = useOrdersT();
  const ship = useShipFulfilment(() =>
    notifySuccess(t('orders.fulfilments.stepDone', { step: t('orders.fulfilments.ship') })),
  );
  const form = useForm({ initialValues: { carrier: '', tracking_number: '', tracking_url: '' } });
  const fields = ['carrier', 'tracking_number', 'tracking_url'] as const;
  const submit = form.onSubmit((values) => {
    if (!fulfilment) return;
    const input = Object.fromEntries(
      fields.filter((k) => values[k].trim()).map((k) => [k, values[k].trim()]),
    );
    ship.mutate(
      { id: fulfilment.id, input },
      {
        onSuccess: () => {
          form.reset();
          onClose();
        },
        onError: (error) => {
          if (!applyFieldErrors(form, error, fields)) notifyError(error);
        },
      },
    );
  });
  return (
    <Modal opened={fulfilment !== null} onClose={onClose} title={t('orders.fulfilments.shipTitle')}>
      <form onSubmit={submit} data-testid="ship-form">
        <Stack>
          <TextInput
            label={t('orders.fulfilments.carrier')}
            {...form.getInputProps('carrier')}
            data-testid="ship-carrier"
          />
          <TextInput
            label={t('orders.fulfilments.tracking')}
            {...form.getInputProps('tracking_number')}
            data-testid="ship-tracking"
          />
          <TextInput
            label={t('orders.fulfilments.trackingUrl')}
            placeholder="https://"
            {...form.getInputProps('tracking_url')}
            data-testid="ship-tracking-url"
          />
          <Group justify="flex-end">
            <Button
              type="submit"
              loading={ship.isPending}
              leftSection={<IconTruckDelivery size={16} />}
              data-testid="ship-submit"
            >
              {t('orders.fulfilments.shipConfirm')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** The pickup code, shown the one time the server gives it. */
function PickupCodeModal({
  shown,
  onClose,
}: {
  shown: { number: string; code: string } | null;
  onClose: () => void;
}) {
  const { t } = useOrdersT();
  return (
    <Modal
      opened={shown !== null}
      onClose={onClose}
      title={shown ? t('orders.pickup.codeTitle', { number: shown.number }) : ''}
      centered
    >
      <Stack align="center">
        <Title order={1} ff="monospace" style={{ letterSpacing: '0.3em' }} data-testid="pickup-code">
          {shown?.code}
        </Title>
        <Text size="sm" c="dimmed" ta="center">
          {t('orders.pickup.codeBody')}
        </Text>
        <Button onClick={onClose} data-testid="pickup-code-done">
          {t('orders.pickup.codeDone')}
        </Button>
      </Stack>
    </Modal>
  );
}

type ShownCode = { number: string; code: string };

/** Where a freshly issued pickup code is shown: the page, since the row whose button issued it moves away. */
const PickupCodeContext = createContext<(shown: ShownCode) => void>(() => undefined);

/** Wraps a screen that marks pickups ready, and shows each issued code once in a modal. */
export function PickupCodeHost({ children }: { children: ReactNode }) {
  const [shown, setShown] = useState<ShownCode | null>(null);
  return (
    <PickupCodeContext.Provider value={setShown}>
      {children}
      <PickupCodeModal shown={shown} onClose={() => setShown(null)} />
    </PickupCodeContext.Provider>
  );
}

/** The next-step buttons of one fulfilment, with the modals they open. `number` names the order in the code modal. */
export function FulfilmentActions({
  fulfilment,
  number,
  size = 'xs',
}: {
  fulfilment: Fulfilment;
  number: string;
  size?: 'xs' | 'sm';
}) {
  const { t } = useOrdersT();
  const showCode = useContext(PickupCodeContext);
  // Confirmations come from the hooks: they fire even when the card has moved to another column meanwhile.
  const step = useFulfilmentStep((done) =>
    notifySuccess(t('orders.fulfilments.stepDone', { step: t(ACTION_LABELS[done]) })),
  );
  const ready = useReadyForPickup((answer) => showCode({ number, code: answer.pickup_code }));
  const [shipping, setShipping] = useState<Fulfilment | null>(null);
  const actions = nextActions(fulfilment);
  const busy = step.isPending || ready.isPending;

  const run = (action: Action) => {
    if (action === 'ship') return setShipping(fulfilment);
    if (action === 'ready-for-pickup')
      return ready.mutate(fulfilment.id, { onError: (error) => notifyError(error) });
    step.mutate({ id: fulfilment.id, step: action }, { onError: (error) => notifyError(error) });
  };

  if (actions.length === 0) return null;
  return (
    <>
      <Group gap={6} wrap="nowrap">
        {actions.map((action, i) => (
          <Button
            key={action}
            size={size}
            variant={i === 0 ? 'filled' : 'light'}
            disabled={busy}
            onClick={() => run(action)}
            data-testid={`fulfilment-${action}`}
          >
            {fulfilment.status === 'ready_for_pickup' && action === 'ready-for-pickup'
              ? t('orders.pickup.reissue')
              : t(ACTION_LABELS[action])}
          </Button>
        ))}
      </Group>
      <ShipModal fulfilment={shipping} onClose={() => setShipping(null)} />
    </>
  );
}

/** The pickup code the customer presents, and the handover; the server's refusal shows under the field. */
export function CollectForm({ fulfilment, number }: { fulfilment: Fulfilment; number: string }) {
  const { t } = useOrdersT();
  const collect = useCollectPickup();
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    if (!code.trim()) return;
    setError(null);
    collect.mutate(
      { id: fulfilment.id, code: code.trim() },
      {
        onSuccess: () => {
          setCode('');
          notifySuccess(t('orders.pickup.collected', { number }));
        },
        onError: (failure) => setError(errorMessage(failure)),
      },
    );
  };
  return (
    <form onSubmit={submit} data-testid={`collect-form-${fulfilment.id}`}>
      <Group align="flex-start" gap="xs" wrap="nowrap">
        <TextInput
          aria-label={t('orders.pickup.code')}
          placeholder={t('orders.pickup.codePlaceholder')}
          value={code}
          onChange={(e) => {
            setCode(e.currentTarget.value);
            setError(null);
          }}
          error={error}
          inputMode="numeric"
          autoComplete="off"
          maxLength={20}
          w={170}
          data-testid="collect-code"
        />
        <Button
          type="submit"
          loading={collect.isPending}
          leftSection={<IconCheck size={16} />}
          data-testid="collect-submit"
        >
          {t('orders.pickup.handOver')}
        </Button>
      </Group>
    </form>
  );
}
