/**
 * @module One webhook endpoint: its settings (edit, rotate the signing secret, delete) and its delivery log,
 * newest first, refreshed while open. A delivery opens in a drawer whose id is kept in the URL
 * (`?delivery=…`) so it can be linked to.
 */
import {
  Anchor,
  Button,
  Code,
  Group,
  Paper,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Text,
  Title,
  Tooltip,
} from '@mantine/core';
import { IconArrowLeft, IconPencil, IconRotate, IconSend, IconTrash } from '@tabler/icons-react';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { useDeleteWebhook, useDeliveries, useRotateWebhookSecret, useWebhook } from '../../../api/webhooks';
import { ActiveBadge } from '../../../components/active-badge';
import { ConfirmModal } from '../../../components/confirm-modal';
import { ErrorAlert } from '../../../components/error-alert';
import { ListState, LoadMore } from '../../../components/list-state';
import { SecretRevealModal } from '../../../components/secret-reveal-modal';
import { formatDateTime, formatNumber } from '../../../lib/format';
import { notifyError, notifySuccess } from '../../../lib/notify';
import { useCan } from '../../../lib/permissions';
import { DeliveryDrawer } from './delivery-drawer';
import { DeliveryStatusBadge, HttpStatus } from './delivery-status';
import { EventTypeBadges } from './event-type-badges';
import { WebhookFormModal } from './webhook-form-modal';

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600} mb={2}>
        {label}
      </Text>
      {children}
    </div>
  );
}

export function WebhookDetailPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const [searchParams, setSearchParams] = useSearchParams();
  const endpoint = useWebhook(id);
  const deliveries = useDeliveries(id);
  const remove = useDeleteWebhook();
  const rotate = useRotateWebhookSecret();
  const canWrite = useCan()('webhooks:write');

  const [editOpened, setEditOpened] = useState(false);
  const [deleteOpened, setDeleteOpened] = useState(false);
  const [rotateOpened, setRotateOpened] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const [secretOpened, setSecretOpened] = useState(false);

  // The drawer keeps showing the last delivery while it slides out.
  const selected = searchParams.get('delivery');
  const [shownDelivery, setShownDelivery] = useState(selected);
  if (selected && selected !== shownDelivery) setShownDelivery(selected);

  const openDelivery = (deliveryId: string) => setSearchParams({ delivery: deliveryId });
  const closeDelivery = () => setSearchParams({}, { replace: true });

  const confirmDelete = () =>
    remove.mutate(id, {
      onSuccess: () => {
        notifySuccess(t('webhooks.deleted'));
        void navigate('/settings/webhooks', { replace: true });
      },
      onError: (error) => notifyError(error, t('webhooks.deleteFailed')),
    });

  const confirmRotate = () =>
    rotate.mutate(id, {
      onSuccess: (result) => {
        setRotateOpened(false);
        setSecret(result.secret);
        setSecretOpened(true);
      },
      onError: (error) => notifyError(error, t('webhooks.rotateFailed')),
    });

  const back = (
    <Anchor component={Link} to="/settings/webhooks" size="sm" data-testid="webhook-back">
      <Group gap={4}>
        <IconArrowLeft size={14} />
        {t('webhooks.backToList')}
      </Group>
    </Anchor>
  );

  if (endpoint.isPending) {
    return (
      <Stack>
        {back}
        <Skeleton height={140} radius="md" />
        <Skeleton height={240} radius="md" />
      </Stack>
    );
  }
  if (endpoint.isError) {
    return (
      <Stack>
        {back}
        <ErrorAlert error={endpoint.error} onRetry={() => void endpoint.refetch()} />
      </Stack>
    );
  }
  const data = endpoint.data;

  return (
    <Stack gap="lg" data-testid="webhook-detail">
      {back}
      <Paper withBorder radius="md" p="lg">
        <Group justify="space-between" align="flex-start" wrap="wrap" gap="sm">
          <Stack gap={6} style={{ minWidth: 0, flex: '1 1 360px' }}>
            <Group gap="sm" wrap="nowrap">
              <Title order={4} style={{ wordBreak: 'break-all' }} data-testid="webhook-detail-url">
                {data.url}
              </Title>
              <ActiveBadge active={data.active} />
            </Group>
            {data.description && (
              <Text size="sm" c="dimmed">
                {data.description}
              </Text>
            )}
          </Stack>
          {canWrite && (
            <Group gap="xs">
              <Button
                variant="default"
                leftSection={<IconPencil size={16} />}
                onClick={() => setEditOpened(true)}
                data-testid="webhook-edit-button"
              >
                {t('common.edit')}
              </Button>
              <Button
                variant="default"
                leftSection={<IconRotate size={16} />}
                onClick={() => setRotateOpened(true)}
                data-testid="webhook-rotate-button"
              >
                {t('webhooks.rotateSecret')}
              </Button>
              <Button
                variant="light"
                color="red"
                leftSection={<IconTrash size={16} />}
                onClick={() => setDeleteOpened(true)}
                data-testid="webhook-delete-button"
              >
                {t('common.delete')}
              </Button>
            </Group>
          )}
        </Group>
        <SimpleGrid cols={{ base: 1, sm: 3 }} mt="lg" spacing="lg">
          <Field label={t('webhooks.eventTypes')}>
            <EventTypeBadges types={data.event_types} max={6} />
          </Field>
          <Field label={t('common.created')}>
            <Text size="sm">{formatDateTime(data.created_at)}</Text>
          </Field>
          <Field label={t('common.id')}>
            <Code>{data.id}</Code>
          </Field>
        </SimpleGrid>
      </Paper>

      <div>
        <Group justify="space-between" mb="sm">
          <div>
            <Title order={4}>{t('deliveries.title')}</Title>
            <Text size="sm" c="dimmed">
              {t('deliveries.subtitle')}
            </Text>
          </div>
        </Group>
        <ListState
          isPending={deliveries.isPending}
          error={deliveries.error}
          onRetry={() => void deliveries.refetch()}
          isEmpty={deliveries.items.length === 0}
          emptyIcon={<IconSend size={28} />}
          emptyTitle={t('deliveries.emptyTitle')}
          emptyDescription={t('deliveries.emptyBody')}
        >
          <Paper withBorder radius="md">
            <Table.ScrollContainer type="native" minWidth={760}>
              <Table verticalSpacing="sm" highlightOnHover data-testid="deliveries-table">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('deliveries.eventType')}</Table.Th>
                    <Table.Th>{t('common.status')}</Table.Th>
                    <Table.Th ta="right">{t('deliveries.attempts')}</Table.Th>
                    <Table.Th>{t('deliveries.lastStatus')}</Table.Th>
                    <Table.Th>{t('deliveries.time')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {deliveries.items.map((delivery) => (
                    <Table.Tr
                      key={delivery.id}
                      data-testid="delivery-row"
                      data-delivery-id={delivery.id}
                      data-status={delivery.status}
                      onClick={() => openDelivery(delivery.id)}
                      style={{ cursor: 'pointer' }}
                      tabIndex={0}
                      onKeyDown={(event) => {
                        if (event.key === 'Enter' || event.key === ' ') {
                          event.preventDefault();
                          openDelivery(delivery.id);
                        }
                      }}
                      aria-label={t('deliveries.open', { type: delivery.event_type })}
                    >
                      <Table.Td>
                        <Text size="sm" ff="monospace">
                          {delivery.event_type}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <DeliveryStatusBadge status={delivery.status} />
                      </Table.Td>
                      <Table.Td ta="right">
                        <Text size="sm">{formatNumber(delivery.attempts)}</Text>
                      </Table.Td>
                      <Table.Td>
                        {delivery.last_error ? (
                          <Tooltip label={delivery.last_error} withArrow multiline maw={360}>
                            <span>
                              <HttpStatus code={delivery.last_status_code} />
                            </span>
                          </Tooltip>
                        ) : (
                          <HttpStatus code={delivery.last_status_code} />
                        )}
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                          {formatDateTime(delivery.created_at)}
                        </Text>
                        {delivery.status === 'pending' && delivery.next_attempt_at && (
                          <Text size="xs" c="dimmed">
                            {t('deliveries.nextAttemptAt', {
                              time: formatDateTime(delivery.next_attempt_at),
                            })}
                          </Text>
                        )}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </Paper>
          <LoadMore {...deliveries} />
        </ListState>
      </div>

      <DeliveryDrawer
        opened={selected !== null}
        endpointId={id}
        deliveryId={shownDelivery}
        canRedeliver={canWrite}
        onClose={closeDelivery}
      />
      <WebhookFormModal opened={editOpened} endpoint={data} onClose={() => setEditOpened(false)} />
      <ConfirmModal
        opened={rotateOpened}
        title={t('webhooks.rotateTitle')}
        message={t('webhooks.rotateBody')}
        confirmLabel={t('webhooks.rotateSecret')}
        loading={rotate.isPending}
        onConfirm={confirmRotate}
        onClose={() => setRotateOpened(false)}
      />
      <SecretRevealModal
        opened={secretOpened}
        title={t('webhooks.secretTitle')}
        description={t('webhooks.secretBody')}
        secret={secret}
        onClose={() => setSecretOpened(false)}
      />
      <ConfirmModal
        opened={deleteOpened}
        title={t('webhooks.deleteTitle')}
        message={t('webhooks.deleteBody', { url: data.url })}
        confirmLabel={t('common.delete')}
        danger
        loading={remove.isPending}
        onConfirm={confirmDelete}
        onClose={() => setDeleteOpened(false)}
      />
    </Stack>
  );
}
