/**
 * @module The Inventory area's heading and its screens as tabs: stock grid, locations (with the map), channel
 * allocation, availability checker, reservations, transfers, transfer lanes and the ledger.
 */
import {
  IconArrowsExchange,
  IconBook2,
  IconLock,
  IconMapPin,
  IconRadar2,
  IconRoute,
  IconRoute2,
  IconTable,
} from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { PageHeader } from '../../components/page-header';
import { RouteTabs } from '../../components/route-tabs';
import { useInventoryT } from './inventory-i18n';

export type InventoryTab =
  'stock' | 'locations' | 'allocations' | 'availability' | 'reservations' | 'transfers' | 'lanes' | 'ledger';

const TABS: Array<{ tab: InventoryTab; path: string; icon: ReactNode }> = [
  { tab: 'stock', path: '/inventory', icon: <IconTable size={16} /> },
  { tab: 'locations', path: '/inventory/locations', icon: <IconMapPin size={16} /> },
  { tab: 'allocations', path: '/inventory/allocations', icon: <IconRoute size={16} /> },
  { tab: 'availability', path: '/inventory/availability', icon: <IconRadar2 size={16} /> },
  { tab: 'reservations', path: '/inventory/reservations', icon: <IconLock size={16} /> },
  { tab: 'transfers', path: '/inventory/transfers', icon: <IconArrowsExchange size={16} /> },
  { tab: 'lanes', path: '/inventory/lanes', icon: <IconRoute2 size={16} /> },
  { tab: 'ledger', path: '/inventory/ledger', icon: <IconBook2 size={16} /> },
];

export function InventoryNav({ active, actions }: { active: InventoryTab; actions?: ReactNode }) {
  const { t } = useInventoryT();
  return (
    <>
      <PageHeader
        title={t('inventory.title')}
        description={t(`inventory.tabs.${active}Hint`)}
        order={2}
        actions={actions}
      />
      <RouteTabs
        active={active}
        tabs={TABS.map((entry) => ({ ...entry, label: t(`inventory.tabs.${entry.tab}`) }))}
        testIdPrefix="inventory-tab"
      />
    </>
  );
}
