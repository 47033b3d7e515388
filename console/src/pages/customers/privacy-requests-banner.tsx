/**
 * @module The Customer 360 banner for a pending erasure request: everyone working with the customer sees that
 * they asked to be erased and by when it must be answered; those who may decide get a way to the queue.
 */
import { Alert, Button, Text } from '@mantine/core';
import { IconShieldLock } from '@tabler/icons-react';
import { Link } from 'react-router';
import type { CustomerDetail } from '../../api/customer-types';
import { usePendingErasureRequests } from '../../api/privacy-requests';
import { formatDateTime } from '../../lib/format';
import { useCan } from '../../lib/permissions';
import { useCustomerActionsT } from './customer-actions-i18n';
import { dueLabel } from './privacy-requests-page';

export function ErasureRequestBanner({ customer }: { customer: CustomerDetail }) {
  const { ct } = useCustomerActionsT();
  const can = useCan();
  const pending = usePendingErasureRequests(can('customers:read'));
  // A request names the profile it was made from: this one, or the id that was opened before a merge.
  const request = pending.data?.find(
    (r) => r.customer_id === customer.id || r.customer_id === customer.merged_from,
  );
  if (!request) return null;
  return (
    <Alert
      color="orange"
      variant="light"
      icon={<IconShieldLock size={18} />}
      title={ct('customerActions.banner.title')}
      data-testid="customer-erasure-banner"
    >
      <Text size="sm">
        {ct('customerActions.banner.body', {
          requested: formatDateTime(request.requested_at),
          due: formatDateTime(request.due_at),
          left: dueLabel(request.due_at).text,
        })}
      </Text>
      {can('customers:erase') && (
        <Button
          component={Link}
          to="/customers/privacy-requests"
          size="xs"
          variant="light"
          color="orange"
          mt="sm"
          data-testid="customer-erasure-banner-open"
        >
          {ct('customerActions.banner.open')}
        </Button>
      )}
    </Alert>
  );
}
