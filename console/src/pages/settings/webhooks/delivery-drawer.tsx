/**
 * @module One delivery in full: its state, every attempt (time, HTTP status, duration, error, response
 * body), the payload that was sent, and a Redeliver button that queues it again.
 */
import {
  Alert,
  Button,
  Code,
  Drawer,
  Group,
  Paper,
  ScrollArea,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { IconRefresh } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useDelivery, useRedeliver } from '../../../api/webhooks';
import { ErrorAlert } from '../../../components/error-alert';
import { JsonView } from '../../../components/json-view';
import { formatDateTimePrecise, formatDurationMs, formatNumber } from '../../../lib/format';
import { notifyError, notifySuccess } from '../../../lib/notify';
import { DeliveryStatusBadge, HttpStatus } from './delivery-status';

interface DeliveryDrawerProps {
  opened: boolean;
  endpointId: string;
  deliveryId: string | null;
  canRedeliver: boolean;
  onClose: () => void;
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <div>{children}</div>
    </div>
  );
}

export function DeliveryDrawer({
  opened,
  endpointId,
  deliveryId,
  canRedeliver,
  onClose,
}: DeliveryDrawerProps) {
  const { t } = useTranslation();
  const delivery = useDelivery(endpointId, deliveryId);
  const redeliver = useRedeliver();
  const data = delivery.data;

  const runRedeliver = () => {
    if (!deliveryId) return;
    redeliver.mutate(
      { endpointId, deliveryId },
      {
        onSuccess: () => {
          notifySuccess(t('deliveries.redelivered'));
          void delivery.refetch();
        },
        onError: (error) => notifyError(error, t('deliveries.redeliverFailed')),
      },
    );
  };

  return (
    <Drawer
      opened={opened}
      onClose={onClose}
      position="right"
      size="xl"
      title={t('deliveries.detailTitle')}
      styles={{ title: { fontSize: 'var(--mantine-font-size-lg)', fontWeight: 650 } }}
      scrollAreaComponent={ScrollArea.Autosize}
    >
      <Stack data-testid="delivery-drawer">
        {delivery.isPending && (
          <Stack gap="xs">
            <Skeleton height={24} />
            <Skeleton height={120} />
            <Skeleton height={200} />
          </Stack>
        )}
        {delivery.isError && <ErrorAlert error={delivery.error} onRetry={() => void delivery.refetch()} />}
        {data && (
          <>
            <Group justify="space-between" align="flex-start">
              <Stack gap={4}>
                <Text ff="monospace" fw={600} data-testid="delivery-event-type">
                  {data.event_type}
                </Text>
                <DeliveryStatusBadge status={data.status} />
              </Stack>
              {canRedeliver && (
                <Button
                  leftSection={<IconRefresh size={16} />}
                  loading={redeliver.isPending}
                  onClick={runRedeliver}
                  data-testid="delivery-redeliver"
                >
                  {t('deliveries.redeliver')}
                </Button>
              )}
            </Group>

            <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="md">
              <Field label={t('deliveries.attempts')}>
                <Text size="sm">{formatNumber(data.attempts)}</Text>
              </Field>
              <Field label={t('deliveries.lastStatus')}>
                <HttpStatus code={data.last_status_code} />
              </Field>
              <Field label={t('common.created')}>
                <Text size="sm">{formatDateTimePrecise(data.created_at)}</Text>
              </Field>
              <Field label={t('deliveries.nextAttempt')}>
                <Text size="sm" c={data.next_attempt_at ? undefined : 'dimmed'}>
                  {data.next_attempt_at
                    ? formatDateTimePrecise(data.next_attempt_at)
                    : t('deliveries.noneScheduled')}
                </Text>
              </Field>
              <Field label={t('deliveries.eventId')}>
                <Code>{data.event_id}</Code>
              </Field>
              <Field label={t('deliveries.deliveryId')}>
                <Code>{data.id}</Code>
              </Field>
            </SimpleGrid>

            {data.last_error && (
              <Alert color="red" variant="light" title={t('deliveries.lastError')}>
                <Text size="sm" style={{ wordBreak: 'break-word' }}>
                  {data.last_error}
                </Text>
              </Alert>
            )}

            <div>
              <Title order={5} mb="xs">
                {t('deliveries.attemptLog', { count: data.attempt_log.length })}
              </Title>
              {data.attempt_log.length === 0 ? (
                <Text size="sm" c="dimmed">
                  {t('deliveries.noAttempts')}
                </Text>
              ) : (
                <Stack gap="xs">
                  {data.attempt_log.map((attempt, index) => (
                    <Paper
                      key={`${attempt.attempted_at}-${index}`}
                      withBorder
                      p="sm"
                      radius="sm"
                      data-testid="delivery-attempt"
                    >
                      <Group justify="space-between" wrap="wrap" gap="xs">
                        <Group gap="sm">
                          <Text size="sm" fw={600}>
                            {t('deliveries.attemptNumber', { number: formatNumber(index + 1) })}
                          </Text>
                          <HttpStatus code={attempt.status_code} />
                          <Text size="sm" c="dimmed">
                            {formatDurationMs(attempt.duration_ms)}
                          </Text>
                        </Group>
                        <Text size="xs" c="dimmed">
                          {formatDateTimePrecise(attempt.attempted_at)}
                        </Text>
                      </Group>
                      {attempt.error && (
                        <Text size="sm" c="red" mt={6} style={{ wordBreak: 'break-word' }}>
                          {attempt.error}
                        </Text>
                      )}
                      {attempt.response_body && (
                        <>
                          <Text size="xs" c="dimmed" mt={6}>
                            {t('deliveries.responseBody')}
                          </Text>
                          <ScrollArea.Autosize mah={160} type="auto">
                            <Code
                              block
                              style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all', fontSize: 12 }}
                            >
                              {attempt.response_body}
                            </Code>
                          </ScrollArea.Autosize>
                        </>
                      )}
                    </Paper>
                  ))}
                </Stack>
              )}
            </div>

            <div>
              <Title order={5} mb="xs">
                {t('deliveries.payload')}
              </Title>
              <JsonView value={data.payload} maxHeight={420} testId="delivery-payload" />
            </div>
          </>
        )}
      </Stack>
    </Drawer>
  );
}
