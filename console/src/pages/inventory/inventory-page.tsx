/**
 * @module Inventory: stock by location and channel. Not built yet: shows what will come here.
 */
import { IconBuildingWarehouse } from '@tabler/icons-react';
import { ComingSoon } from '../../components/coming-soon';

export function InventoryPage() {
  return <ComingSoon area="inventory" icon={<IconBuildingWarehouse size={32} />} />;
}
