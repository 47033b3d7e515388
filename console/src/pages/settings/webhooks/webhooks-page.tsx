/**
 * @module Settings → Webhooks: endpoints that receive signed event notifications, with create (the signing
 * secret is shown once), edit, delete and a link to each endpoint's delivery log.
 */
import { ActionIcon, Anchor, Button, Group, Menu, Paper, Table, Text, VisuallyHidden } from '@mantine/core';
import { IconDots, IconList, IconPencil, IconPlus, IconTrash, IconWebhook } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useDeleteWebhook, useWebhooks } from '../../../api/webhooks';
import type { CreatedWebhookEndpoint, WebhookEndpoint } from '../../../api/types';
import { ActiveBadge } from '../../../components/active-badge';
import { ConfirmModal } from '../../../components/confirm-modal';
import { ListState, LoadMore } from '../../../components/list-state';
import { PageHeader } from '../../../components/page-header';
import { SecretRevealModal } from '../../../components/secret-reveal-modal';
import { formatDateTime } from '../../../lib/format';
import { notifyError, notifySuccess } from '../../../lib/notify';
import { useCan } from '../../../lib/permissions';
import { useTarget } from '../../../lib/use-target';
import { EventTypeBadges } from './event-type-badges';
import { WebhookFormModal } from './webhook-form-modal';

export function WebhooksPage() {
  const { t } = useTranslation();
  const webhooks = useWebhooks();
  const remove = useDeleteWebhook();
  const canWrite = useCan()('webhooks:write');
  const [formOpened, setFormOpened] = useState(false);
  const [editing, setEditing] = useState<WebhookEndpoint | null>(null);
  const created = useTarget<CreatedWebhookEndpoint>();
  const deleting = useTarget<WebhookEndpoint>();

  const openCreate = () => {
    setEditing(null);
    setFormOpened(true);
  };
  const openEdit = (endpoint: WebhookEndpoint) => {
    setEditing(endpoint);
    setFormOpened(true);
  };

  const confirmDelete = () => {
    const endpoint = deleting.target;
    if (!endpoint) return;
    remove.mutate(endpoint.id, {
      onSuccess: () => {
        notifySuccess(t('webhooks.deleted'));
        deleting.close();
      },
      onError: (error) => notifyError(error, t('webhooks.deleteFailed')),
    });
  };

  // The header button and the empty state's call to action share a look but not a test id.
  const createButton = (testId = 'webhook-create-button') =>
    canWrite && (
      <Button leftSection={<IconPlus size={16} />} onClick={openCreate} data-testid={testId}>
        {t('webhooks.create')}
      </Button>
    );

  return (
    <>
      <PageHeader title={t('webhooks.title')} description={t('webhooks.subtitle')} actions={createButton()} />
      <ListState
        isPending={webhooks.isPending}
        error={webhooks.error}
        onRetry={() => void webhooks.refetch()}
        isEmpty={webhooks.items.length === 0}
        emptyIcon={<IconWebhook size={28} />}
        emptyTitle={t('webhooks.emptyTitle')}
        emptyDescription={t('webhooks.emptyBody')}
        emptyAction={createButton('webhook-create-button-empty')}
      >
        <Paper withBorder radius="md">
          <Table.ScrollContainer type="native" minWidth={820}>
            <Table verticalSpacing="sm" highlightOnHover data-testid="webhooks-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('webhooks.endpoint')}</Table.Th>
                  <Table.Th>{t('webhooks.eventTypes')}</Table.Th>
                  <Table.Th>{t('common.status')}</Table.Th>
                  <Table.Th>{t('common.created')}</Table.Th>
                  <Table.Th>
                    <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {webhooks.items.map((endpoint) => (
                  <Table.Tr key={endpoint.id} data-testid="webhook-row" data-webhook-id={endpoint.id}>
                    <Table.Td maw={360}>
                      <Anchor
                        component={Link}
                        to={`/settings/webhooks/${endpoint.id}`}
                        size="sm"
                        fw={500}
                        style={{ wordBreak: 'break-all' }}
                        data-testid="webhook-row-link"
                      >
                        {endpoint.url}
                      </Anchor>
                      {endpoint.description && (
                        <Text size="xs" c="dimmed" lineClamp={2}>
                          {endpoint.description}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <EventTypeBadges types={endpoint.event_types} />
                    </Table.Td>
                    <Table.Td>
                      <ActiveBadge active={endpoint.active} />
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                        {formatDateTime(endpoint.created_at)}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Group gap={4} justify="flex-end" wrap="nowrap">
                        <Button
                          size="xs"
                          variant="light"
                          leftSection={<IconList size={14} />}
                          component={Link}
                          to={`/settings/webhooks/${endpoint.id}`}
                          data-testid="webhook-row-deliveries"
                        >
                          {t('webhooks.deliveries')}
                        </Button>
                        {canWrite && (
                          <Menu position="bottom-end" withinPortal>
                            <Menu.Target>
                              <ActionIcon
                                variant="subtle"
                                color="gray"
                                aria-label={t('common.actions')}
                                data-testid="webhook-row-menu"
                              >
                                <IconDots size={18} />
                              </ActionIcon>
                            </Menu.Target>
                            <Menu.Dropdown>
                              <Menu.Item
                                leftSection={<IconPencil size={16} />}
                                onClick={() => openEdit(endpoint)}
                                data-testid="webhook-row-edit"
                              >
                                {t('common.edit')}
                              </Menu.Item>
                              <Menu.Item
                                color="red"
                                leftSection={<IconTrash size={16} />}
                                onClick={() => deleting.open(endpoint)}
                                data-testid="webhook-row-delete"
                              >
                                {t('common.delete')}
                              </Menu.Item>
                            </Menu.Dropdown>
                          </Menu>
                        )}
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
        <LoadMore {...webhooks} />
      </ListState>

      <WebhookFormModal
        opened={formOpened}
        endpoint={editing}
        onClose={() => setFormOpened(false)}
        onCreated={created.open}
      />
      <SecretRevealModal
        opened={created.opened}
        title={t('webhooks.secretTitle')}
        description={t('webhooks.secretBody')}
        secret={created.target?.secret ?? null}
        onClose={created.close}
      />
      <ConfirmModal
        opened={deleting.opened}
        title={t('webhooks.deleteTitle')}
        message={t('webhooks.deleteBody', { url: deleting.target?.url ?? '' })}
        confirmLabel={t('common.delete')}
        danger
        loading={remove.isPending}
        onConfirm={confirmDelete}
        onClose={deleting.close}
      />
    </>
  );
}
