/**
 * @module The Orders area's heading and its screens as tabs: the orders list (and an order's detail), the
 * fulfilment queue of a location and the pickup desk. The returns desk joins as one more entry in TABS.
 */
import { IconBuildingStore, IconPackage, IconReceipt } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { PageHeader } from '../../components/page-header';
import { RouteTabs } from '../../components/route-tabs';
import { useOrdersT } from './orders-i18n';

export type OrdersTab = 'list' | 'fulfilment' | 'pickup';

const TABS: Array<{ tab: OrdersTab; path: string; icon: ReactNode }> = [
  { tab: 'list', path: '/orders', icon: <IconReceipt size={16} /> },
  { tab: 'fulfilment', path: '/orders/fulfilment', icon: <IconPackage size={16} /> },
  { tab: 'pickup', path: '/orders/pickup', icon: <IconBuildingStore size={16} /> },
];

export function OrdersNav({ active, actions }: { active: OrdersTab; actions?: ReactNode }) {
  const { t } = useOrdersT();
  return (
    <>
      <PageHeader
        title={t('orders.title')}
        description={t(`orders.tabs.${active}Hint`)}
        order={2}
        actions={actions}
      />
      <RouteTabs
        active={active}
        tabs={TABS.map((entry) => ({ ...entry, label: t(`orders.tabs.${entry.tab}`) }))}
        testIdPrefix="orders-tab"
      />
    </>
  );
}
