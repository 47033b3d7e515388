/**
 * @module Customers: the 360° customer view. Not built yet: shows what will come here.
 */
import { IconUsers } from '@tabler/icons-react';
import { ComingSoon } from '../../components/coming-soon';

export function CustomersPage() {
  return <ComingSoon area="customers" icon={<IconUsers size={32} />} />;
}
