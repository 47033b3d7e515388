/**
 * @module The Inventory area's heading and its screens as tabs: stock grid, locations (with the map), channel
 * allocation, availability checker, reservations, transfers and the ledger.
 */
import { Tabs } from '@mantine/core';
import {
  IconArrowsExchange,
  IconBook2,
  IconLock,
  IconMapPin,
  IconRadar2,
  IconRoute,
  IconTable,
} from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useNavigate } from 'react-router';
import { PageHeader } from '../../components/page-header';
import { useInventoryT } from './inventory-i18n';

export type InventoryTab =
  'stock' | 'locations' | 'allocations' | 'availability' | 'reservations' | 'transfers' | 'ledger';

const TABS: Array<{ tab: InventoryTab; path: string; icon: ReactNode }> = [
  { tab: 'stock', path: '/inventory', icon: <IconTable size={16} /> },
  { tab: 'locations', path: '/inventory/locations', icon: <IconMapPin size={16} /> },
  { tab: 'allocations', path: '/inventory/allocations', icon: <IconRoute size={16} /> },
  { tab: 'availability', path: '/inventory/availability', icon: <IconRadar2 size={16} /> },
  { tab: 'reservations', path: '/inventory/reservations', icon: <IconLock size={16} /> },
  { tab: 'transfers', path: '/inventory/transfers', icon: <IconArrowsExchange size={16} /> },
  { tab: 'ledger', path: '/inventory/ledger', icon: <IconBook2 size={16} /> },
];

export function InventoryNav({ active, actions }: { active: InventoryTab; actions?: ReactNode }) {
  const { t } = useInventoryT();
  const navigate = useNavigate();
  return (
    <>
      <PageHeader
        title={t('inventory.title')}
        description={t(`inventory.tabs.${active}Hint`)}
        order={2}
        actions={actions}
      />
      <Tabs
        value={active}
        onChange={(tab) => {
          const target = TABS.find((entry) => entry.tab === tab);
          if (target) void navigate(target.path);
        }}
        mb="md"
      >
        <Tabs.List>
          {TABS.map(({ tab, icon }) => (
            <Tabs.Tab key={tab} value={tab} leftSection={icon} data-testid={`inventory-tab-${tab}`}>
              {t(`inventory.tabs.${tab}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
      </Tabs>
    </>
  );
}
