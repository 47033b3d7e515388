/**
 * @module "My store": the location a queue or desk works for, chosen once on this device. Until it is chosen
 * the screen says what to do instead of showing every location's work mixed together.
 */
import { Paper, Select, Text } from '@mantine/core';
import { IconBuildingStore } from '@tabler/icons-react';
import { useLocationIndex } from '../inventory/inventory-display';
import { useOrdersT } from './orders-i18n';

export function LocationPicker({
  value,
  onChange,
  capability,
}: {
  value: string | null;
  onChange: (id: string | null) => void;
  /** Only locations offering this service (pickup for the desk). */
  capability?: 'pickup' | 'ship' | 'same_day';
}) {
  const { t } = useOrdersT();
  const index = useLocationIndex();
  const options = (index.locations.data ?? [])
    .filter((l) => l.active && (!capability || l.capabilities.includes(capability) || l.id === value))
    .map((l) => ({ value: l.id, label: `${l.code} · ${l.name}` }));
  return (
    <Select
      label={t('orders.common.myStore')}
      description={t('orders.common.myStoreHint')}
      leftSection={<IconBuildingStore size={16} />}
      data={options}
      value={value}
      onChange={onChange}
      searchable
      w={340}
      data-testid="my-location"
    />
  );
}

export function PickLocationFirst() {
  const { t } = useOrdersT();
  return (
    <Paper withBorder radius="md" p="xl" data-testid="pick-location-first">
      <Text fw={600}>{t('orders.common.pickStore')}</Text>
      <Text size="sm" c="dimmed">
        {t('orders.common.pickStoreHint')}
      </Text>
    </Paper>
  );
}
