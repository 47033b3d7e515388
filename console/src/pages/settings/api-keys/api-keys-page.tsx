/**
 * @module Settings → API keys: list, create (the full key is shown once) and revoke.
 */
import { Badge, Button, Code, Group, Paper, Table, Text, VisuallyHidden } from '@mantine/core';
import { IconKey, IconPlus } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApiKeys, useRevokeApiKey } from '../../../api/api-keys';
import { useChannels } from '../../../api/channels';
import type { ApiKey, CreatedApiKey } from '../../../api/types';
import { ConfirmModal } from '../../../components/confirm-modal';
import { ListState, LoadMore } from '../../../components/list-state';
import { PageHeader } from '../../../components/page-header';
import { SecretRevealModal } from '../../../components/secret-reveal-modal';
import { formatDateTime } from '../../../lib/format';
import { useTarget } from '../../../lib/use-target';
import { notifyError, notifySuccess } from '../../../lib/notify';
import { ApiKeyCreateModal } from './api-key-create-modal';

export function ApiKeysPage() {
  const { t } = useTranslation();
  const keys = useApiKeys();
  const channels = useChannels();
  const revoke = useRevokeApiKey();
  const [createOpened, setCreateOpened] = useState(false);
  // The created key outlives the reveal modal's closing animation, so it stays in state after closing.
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const [revealOpened, setRevealOpened] = useState(false);
  const revoking = useTarget<ApiKey>();

  const channelNames = useMemo(
    () => new Map(channels.items.map((channel) => [channel.id, channel.name])),
    [channels.items],
  );

  const confirmRevoke = () => {
    const key = revoking.target;
    if (!key) return;
    revoke.mutate(key.id, {
      onSuccess: () => {
        notifySuccess(t('apiKeys.revoked', { name: key.name }));
        revoking.close();
      },
      onError: (error) => notifyError(error, t('apiKeys.revokeFailed')),
    });
  };

  const createButton = (
    <Button leftSection={<IconPlus size={16} />} onClick={() => setCreateOpened(true)} data-testid="api-key-create-button">
      {t('apiKeys.create')}
    </Button>
  );

  return (
    <>
      <PageHeader title={t('apiKeys.title')} description={t('apiKeys.subtitle')} actions={createButton} />
      <ListState
        isPending={keys.isPending}
        error={keys.error}
        onRetry={() => void keys.refetch()}
        isEmpty={keys.items.length === 0}
        emptyIcon={<IconKey size={28} />}
        emptyTitle={t('apiKeys.emptyTitle')}
        emptyDescription={t('apiKeys.emptyBody')}
        emptyAction={createButton}
      >
        <Paper withBorder radius="md">
          <Table.ScrollContainer minWidth={900}>
            <Table verticalSpacing="sm" highlightOnHover data-testid="api-keys-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('apiKeys.name')}</Table.Th>
                  <Table.Th>{t('apiKeys.key')}</Table.Th>
                  <Table.Th>{t('apiKeys.access')}</Table.Th>
                  <Table.Th>{t('common.created')}</Table.Th>
                  <Table.Th>{t('apiKeys.lastUsed')}</Table.Th>
                  <Table.Th>
                    <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {keys.items.map((key) => {
                  const revoked = key.revoked_at !== null;
                  return (
                    <Table.Tr
                      key={key.id}
                      data-testid="api-key-row"
                      data-api-key-id={key.id}
                      data-revoked={revoked}
                      style={revoked ? { opacity: 0.6 } : undefined}
                    >
                      <Table.Td>
                        <Group gap="xs" wrap="nowrap">
                          <Text fw={500} size="sm">
                            {key.name}
                          </Text>
                          <Badge size="sm" variant="light" color={key.kind === 'secret' ? 'grape' : 'blue'}>
                            {t(`apiKeys.kinds.${key.kind}`)}
                          </Badge>
                        </Group>
                      </Table.Td>
                      <Table.Td>
                        <Code data-testid="api-key-row-display" style={{ wordBreak: 'break-all' }}>
                          {key.display}
                        </Code>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">
                          {key.kind === 'secret'
                            ? t('apiKeys.asRole', { role: key.role ? t(`roles.${key.role}`) : '—' })
                            : t('apiKeys.forChannel', {
                                channel: (key.channel_id && channelNames.get(key.channel_id)) ?? key.channel_id ?? '—',
                              })}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{formatDateTime(key.created_at)}</Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" c={key.last_used_at ? undefined : 'dimmed'}>
                          {key.last_used_at ? formatDateTime(key.last_used_at) : t('common.never')}
                        </Text>
                      </Table.Td>
                      <Table.Td ta="right">
                        {revoked ? (
                          <Badge color="red" variant="light" data-testid="api-key-row-revoked">
                            {t('apiKeys.revokedOn', { date: formatDateTime(key.revoked_at ?? '') })}
                          </Badge>
                        ) : (
                          <Button
                            size="xs"
                            variant="subtle"
                            color="red"
                            onClick={() => revoking.open(key)}
                            data-testid="api-key-row-revoke"
                          >
                            {t('apiKeys.revoke')}
                          </Button>
                        )}
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
        <LoadMore {...keys} />
      </ListState>

      <ApiKeyCreateModal opened={createOpened} onClose={() => setCreateOpened(false)} onCreated={(key) => {
          setCreated(key);
          setRevealOpened(true);
        }}
      />
      <SecretRevealModal
        opened={revealOpened}
        title={t('apiKeys.createdTitle', { name: created?.name ?? '' })}
        description={
          created?.kind === 'publishable' ? t('apiKeys.createdPublishableBody') : t('apiKeys.createdSecretBody')
        }
        secret={created?.key ?? null}
        onClose={() => setRevealOpened(false)}
      />
      <ConfirmModal
        opened={revoking.opened}
        title={t('apiKeys.revokeTitle')}
        message={t('apiKeys.revokeBody', { name: revoking.target?.name ?? '' })}
        confirmLabel={t('apiKeys.revoke')}
        danger
        loading={revoke.isPending}
        onConfirm={confirmRevoke}
        onClose={revoking.close}
      />
    </>
  );
}
