/**
 * @module The POS area's heading: the till's store and channel (chosen once on this device) and its screens as
 * tabs — the till, click-and-collect handover (the orders area's pickup desk) and the returns desk.
 */
import { Group, Paper, Select, Text } from '@mantine/core';
import { IconArrowBackUp, IconBuildingStore, IconCashRegister, IconPackageExport } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { PageHeader } from '../../components/page-header';
import { RouteTabs } from '../../components/route-tabs';
import { useLocationIndex } from '../inventory/inventory-display';
import { usePosT } from './pos-i18n';
import type { Till } from './pos-till';

export type PosTab = 'till' | 'pickup' | 'returns';

const TABS: Array<{ tab: PosTab; path: string; icon: ReactNode }> = [
  { tab: 'till', path: '/pos', icon: <IconCashRegister size={16} /> },
  // Click-and-collect handover is the orders area's pickup desk (same "my store"): one desk, two ways in.
  { tab: 'pickup', path: '/orders/pickup', icon: <IconPackageExport size={16} /> },
  { tab: 'returns', path: '/pos/returns', icon: <IconArrowBackUp size={16} /> },
];

export function PosNav({ active, till }: { active: PosTab; till: Till }) {
  const { t } = usePosT();
  const index = useLocationIndex();
  const stores = (index.locations.data ?? [])
    .filter((l) => l.active && (l.kind === 'store' || l.id === till.locationId))
    .map((l) => ({ value: l.id, label: `${l.code} · ${l.name}` }));
  return (
    <>
      <PageHeader
        title={t('pos.title')}
        description={t(`pos.tabs.${active}Hint`)}
        order={2}
        actions={
          <Group gap="xs" align="flex-end">
            <Select
              label={t('pos.till.store')}
              leftSection={<IconBuildingStore size={16} />}
              data={stores}
              value={till.locationId}
              onChange={till.setLocation}
              searchable
              w={280}
              data-testid="pos-store"
            />
            <Select
              label={t('pos.till.channel')}
              data={till.storeChannels}
              value={till.channelId}
              onChange={till.setChannel}
              w={260}
              data-testid="pos-channel"
            />
          </Group>
        }
      />
      <RouteTabs
        active={active}
        tabs={TABS.map((entry) => ({ ...entry, label: t(`pos.tabs.${entry.tab}`) }))}
        testIdPrefix="pos-tab"
      />
    </>
  );
}

/** Until the till knows its store and channel, say so instead of selling into nowhere. */
export function PickStoreFirst() {
  const { t } = usePosT();
  return (
    <Paper withBorder radius="md" p="xl" data-testid="pos-pick-store">
      <Text fw={600}>{t('pos.till.pickStore')}</Text>
      <Text size="sm" c="dimmed">
        {t('pos.till.pickStoreHint')}
      </Text>
    </Paper>
  );
}
