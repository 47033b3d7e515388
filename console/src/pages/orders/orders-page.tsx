/**
 * @module Orders: orders from every channel, fulfilment and returns. Not built yet: shows what will come here.
 */
import { IconReceipt } from '@tabler/icons-react';
import { ComingSoon } from '../../components/coming-soon';

export function OrdersPage() {
  return <ComingSoon area="orders" icon={<IconReceipt size={32} />} />;
}
