/**
 * @module A delivery's state and an HTTP status code, coloured the same everywhere.
 */
import { Badge, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { DeliveryStatus } from '../../../api/types';

const STATUS_COLORS: Record<DeliveryStatus, string> = { pending: 'yellow', succeeded: 'teal', failed: 'red' };

export function DeliveryStatusBadge({ status }: { status: DeliveryStatus }) {
  const { t } = useTranslation();
  return (
    <Badge
      color={STATUS_COLORS[status] ?? 'gray'}
      variant="light"
      data-testid="delivery-status"
      data-status={status}
    >
      {t(`deliveries.status.${status}`, { defaultValue: status })}
    </Badge>
  );
}

export function HttpStatus({ code }: { code: number | null }) {
  const { t } = useTranslation();
  if (code === null) {
    return (
      <Text size="sm" c="dimmed">
        {t('deliveries.noResponse')}
      </Text>
    );
  }
  const color = code >= 200 && code < 300 ? 'teal' : code >= 500 ? 'red' : 'orange';
  return (
    <Text size="sm" ff="monospace" fw={600} c={color}>
      {code}
    </Text>
  );
}
