/**
 * @module The availability checker's answers in words: a delivery promise (mode, date, ready time and the factors
 * behind it) and the sourcing plan — its shipments, what cannot be fulfilled and why each location was or was not
 * chosen.
 */
import { Alert, Badge, Group, Paper, Skeleton, Stack, Table, Text, Title } from '@mantine/core';
import { IconCheck, IconX } from '@tabler/icons-react';
import type { DeliveryPromise, SourcingPlan } from '../../api/inventory';
import { ErrorAlert } from '../../components/error-alert';
import { formatDateTime } from '../../lib/format';
import { formatDistance } from './inventory-display';
import { label, useInventoryT } from './inventory-i18n';

export function PromiseText({ promise }: { promise: DeliveryPromise | null }) {
  const { t } = useInventoryT();
  if (!promise)
    return (
      <Text size="sm" c="dimmed">
        —
      </Text>
    );
  return (
    <Stack gap={2}>
      <Text size="sm" fw={600}>
        {t('inventory.availability.promise', {
          mode: label('modes', promise.mode),
          date: new Date(`${promise.delivery_date}T12:00:00Z`).toLocaleDateString(undefined, {
            weekday: 'short',
            day: 'numeric',
            month: 'short',
          }),
        })}
      </Text>
      <Text size="xs" c="dimmed">
        {t('inventory.availability.readyAt', { time: formatDateTime(promise.ready_at) })}
      </Text>
      {promise.factors.length > 0 && (
        <Group gap={4}>
          {promise.factors.map((factor) => (
            <Badge key={factor} size="xs" variant="light" color="grape">
              {label('factors', factor)}
            </Badge>
          ))}
        </Group>
      )}
    </Stack>
  );
}

export function PlanPanel({
  plan,
  pending,
  error,
}: {
  plan: SourcingPlan | undefined;
  pending: boolean;
  error: unknown;
}) {
  const { t } = useInventoryT();
  if (pending) return <Skeleton height={160} radius="md" />;
  if (error) return <ErrorAlert error={error} data-testid="plan-error" />;
  if (!plan) {
    return (
      <Text size="sm" c="dimmed" data-testid="plan-needs-mode">
        {t('inventory.plan.needsMode')}
      </Text>
    );
  }
  return (
    <Paper withBorder radius="md" p="md" data-testid="sourcing-plan">
      <Group justify="space-between" mb="sm">
        <Title order={5}>{t('inventory.plan.title')}</Title>
        <Badge color={plan.complete ? 'teal' : 'orange'} data-testid="plan-complete">
          {plan.complete ? t('inventory.plan.complete') : t('inventory.plan.incomplete')}
        </Badge>
      </Group>
      <Stack gap="xs">
        {plan.shipments.map((shipment, i) => (
          <Paper
            key={shipment.location_id}
            bg="var(--mantine-color-gray-0)"
            p="sm"
            radius="sm"
            data-testid={`plan-shipment-${shipment.code}`}
          >
            <Group justify="space-between" align="flex-start">
              <div>
                <Text size="sm" fw={700}>
                  {t('inventory.plan.shipment', { n: i + 1, code: shipment.code })}
                </Text>
                <Text size="xs" c="dimmed">
                  {shipment.name} · {formatDistance(shipment.distance_km)}
                </Text>
                <Text size="sm" ff="monospace" mt={4}>
                  {shipment.lines.map((line) => `${line.quantity} × ${line.sku}`).join(', ')}
                </Text>
              </div>
              <PromiseText promise={shipment.promise} />
            </Group>
          </Paper>
        ))}
        {plan.unfulfilled.length > 0 && (
          <Alert color="orange" variant="light" data-testid="plan-unfulfilled">
            {t('inventory.plan.unfulfilled', {
              lines: plan.unfulfilled.map((line) => `${line.quantity} × ${line.sku}`).join(', '),
            })}
          </Alert>
        )}
      </Stack>
      <Text size="sm" fw={600} mt="md" mb={4}>
        {t('inventory.plan.why')}
      </Text>
      <Table verticalSpacing={4} data-testid="plan-explanation">
        <Table.Tbody>
          {plan.explanation.map((entry) => (
            <Table.Tr key={entry.location_id} data-testid={`plan-why-${entry.code}`}>
              <Table.Td w={28}>
                {entry.chosen ? (
                  <IconCheck size={16} color="var(--mantine-color-teal-6)" />
                ) : (
                  <IconX size={16} color="var(--mantine-color-gray-5)" />
                )}
              </Table.Td>
              <Table.Td>
                <Text size="sm" fw={600}>
                  {entry.code}
                </Text>
              </Table.Td>
              <Table.Td>
                <Badge size="sm" variant="light" color={entry.chosen ? 'teal' : 'gray'}>
                  {label('reasons', entry.reason)}
                </Badge>
              </Table.Td>
              <Table.Td>
                <Text size="xs">{entry.detail}</Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}
