/**
 * @module POS: the in-store point of sale. Not built yet: shows what will come here.
 */
import { IconCashRegister } from '@tabler/icons-react';
import { ComingSoon } from '../../components/coming-soon';

export function PosPage() {
  return <ComingSoon area="pos" icon={<IconCashRegister size={32} />} />;
}
