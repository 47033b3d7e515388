/**
 * @module Settings → API keys: list, create (the full key is shown once) and revoke.
 */
import {
  ActionIcon,
  Badge,
  Button,
  Code,
  CopyButton,
  Group,
  Paper,
  Stack,
  Table,
  Text,
  Tooltip,
  VisuallyHidden,
} from '@mantine/core';
import { IconCheck, IconCopy, IconKey, IconPlus } from '@tabler/icons-react';
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
import { useCan } from '../../../lib/permissions';
import { ApiKeyCreateModal } from './api-key-create-modal';

export function ApiKeysPage() {
  const { t } = useTranslation();
  const keys = useApiKeys();
  const channels = useChannels();
  const revoke = useRevokeApiKey();
  const canWrite = useCan()('api_keys:write');
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

  // The header button and the empty state's call to action share a look but not a test id.
  const createButton = (testId = 'api-key-create-button') =>
    canWrite && (
      <Button leftSection={<IconPlus size={16} />} onClick={() => setCreateOpened(true)} data-testid={testId}>
        {t('apiKeys.create')}
      </Button>
    );

  return (
    <>
      <PageHeader title={t('apiKeys.title')} description={t('apiKeys.subtitle')} actions={createButton()} />
      <ListState
        isPending={keys.isPending}
        error={keys.error}
        onRetry={() => void keys.refetch()}
        isEmpty={keys.items.length === 0}
        emptyIcon={<IconKey size={28} />}
        emptyTitle={t('apiKeys.emptyTitle')}
        emptyDescription={t('apiKeys.emptyBody')}
        emptyAction={createButton('api-key-create-button-empty')}
      >
        <Paper withBorder radius="md">
          <Table.ScrollContainer type="native" minWidth={900}>
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
                        <Stack gap={4} align="flex-start">
                          <Text fw={500} size="sm">
                            {key.name}
                          </Text>
                          <Badge size="sm" variant="light" color={key.kind === 'secret' ? 'grape' : 'blue'}>
                            {t(`apiKeys.kinds.${key.kind}`)}
                          </Badge>
                        </Stack>
                      </Table.Td>
                      <Table.Td>
                        <Group gap={4} wrap="nowrap">
                          <Code data-testid="api-key-row-display" style={{ wordBreak: 'break-all' }}>
                            {key.display}
                          </Code>
                          {/* Publishable keys are not secret: the list shows them whole, so they can be copied. */}
                          {key.kind === 'publishable' && !revoked && (
                            <CopyButton value={key.display} timeout={2000}>
                              {({ copied, copy }) => (
                                <Tooltip label={copied ? t('common.copied') : t('common.copy')} withArrow>
                                  <ActionIcon
                                    variant="subtle"
                                    color={copied ? 'teal' : 'gray'}
                                    size="sm"
                                    onClick={copy}
                                    aria-label={t('common.copy')}
                                    data-testid="api-key-row-copy"
                                  >
                                    {copied ? <IconCheck size={14} /> : <IconCopy size={14} />}
                                  </ActionIcon>
                                </Tooltip>
                              )}
                            </CopyButton>
                          )}
                        </Group>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">
                          {key.kind === 'secret'
                            ? t('apiKeys.asRole', { role: key.role ? t(`roles.${key.role}`) : '—' })
                            : t('apiKeys.forChannel', {
                                channel:
                                  (key.channel_id && channelNames.get(key.channel_id)) ??
                                  key.channel_id ??
                                  '—',
                              })}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                          {formatDateTime(key.created_at)}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Text
                          size="sm"
                          c={key.last_used_at ? undefined : 'dimmed'}
                          style={{ whiteSpace: 'nowrap' }}
                        >
                          {key.last_used_at ? formatDateTime(key.last_used_at) : t('common.never')}
                        </Text>
                      </Table.Td>
                      <Table.Td ta="right">
                        {revoked ? (
                          <Badge color="red" variant="light" data-testid="api-key-row-revoked">
                            {t('apiKeys.revokedOn', { date: formatDateTime(key.revoked_at ?? '') })}
                          </Badge>
                        ) : (
                          canWrite && (
                            <Button
                              size="xs"
                              variant="subtle"
                              color="red"
                              onClick={() => revoking.open(key)}
                              data-testid="api-key-row-revoke"
                            >
                              {t('apiKeys.revoke')}
                            </Button>
                          )
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

      <ApiKeyCreateModal
        opened={createOpened}
        onClose={() => setCreateOpened(false)}
        onCreated={(key) => {
          setCreated(key);
          setRevealOpened(true);
        }}
      />
      <SecretRevealModal
        opened={revealOpened}
        title={t('apiKeys.createdTitle', { name: created?.name ?? '' })}
        description={
          created?.kind === 'publishable'
            ? t('apiKeys.createdPublishableBody')
            : t('apiKeys.createdSecretBody')
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
