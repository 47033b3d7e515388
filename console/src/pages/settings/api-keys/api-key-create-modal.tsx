/**
 * @module Create an API key: a secret key that acts with a role (server-to-server), or a publishable key
 * bound to one channel (storefronts, apps). The new key is handed to the caller to show once.
 */
import {
  Alert,
  Button,
  Group,
  Modal,
  NativeSelect,
  SegmentedControl,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useCreateApiKey } from '../../../api/api-keys';
import { useChannels } from '../../../api/channels';
import { ROLES, type CreatedApiKey, type Role } from '../../../api/types';
import { errorMessage } from '../../../lib/errors';
import { notifyError } from '../../../lib/notify';

interface ApiKeyCreateModalProps {
  opened: boolean;
  onClose: () => void;
  onCreated: (key: CreatedApiKey) => void;
}

export function ApiKeyCreateModal({ opened, onClose, onCreated }: ApiKeyCreateModalProps) {
  const { t } = useTranslation();
  return (
    <Modal opened={opened} onClose={onClose} title={t('apiKeys.createTitle')} centered>
      <ApiKeyForm onClose={onClose} onCreated={onCreated} />
    </Modal>
  );
}

function ApiKeyForm({ onClose, onCreated }: Omit<ApiKeyCreateModalProps, 'opened'>) {
  const { t } = useTranslation();
  const create = useCreateApiKey();
  const channels = useChannels();
  const [kind, setKind] = useState<'secret' | 'publishable'>('secret');
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('admin');
  const [channelId, setChannelId] = useState('');
  const [errors, setErrors] = useState<{ name?: string; channel?: string }>({});
  const [formError, setFormError] = useState<unknown>(null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = name.trim();
    const nextErrors = {
      name: trimmed ? undefined : t('apiKeys.nameRequired'),
      channel: kind === 'publishable' && !channelId ? t('apiKeys.channelRequired') : undefined,
    };
    setErrors(nextErrors);
    if (nextErrors.name || nextErrors.channel) return;
    setFormError(null);
    create.mutate(
      kind === 'secret' ? { kind, name: trimmed, role } : { kind, name: trimmed, channel_id: channelId },
      {
        onSuccess: (key) => {
          onClose();
          onCreated(key);
        },
        onError: (error) => {
          setFormError(error);
          notifyError(error, t('apiKeys.createFailed'));
        },
      },
    );
  };

  const channelOptions = channels.items.map((channel) => ({
    value: channel.id,
    label: `${channel.name} (${t(`channelKinds.${channel.kind}`, { defaultValue: channel.kind })})`,
  }));

  return (
    <form onSubmit={submit} data-testid="api-key-modal" noValidate>
      <Stack>
        {formError !== null && (
          <Alert color="red" variant="light" data-testid="api-key-form-error">
            {errorMessage(formError)}
          </Alert>
        )}
        <div>
          <SegmentedControl
            fullWidth
            value={kind}
            onChange={(value) => setKind(value as 'secret' | 'publishable')}
            data={[
              {
                value: 'secret',
                label: <span data-testid="api-key-kind-secret">{t('apiKeys.kinds.secret')}</span>,
              },
              {
                value: 'publishable',
                label: <span data-testid="api-key-kind-publishable">{t('apiKeys.kinds.publishable')}</span>,
              },
            ]}
            data-testid="api-key-kind"
          />
          <Text size="xs" c="dimmed" mt={6}>
            {kind === 'secret' ? t('apiKeys.secretHint') : t('apiKeys.publishableHint')}
          </Text>
        </div>
        <TextInput
          label={t('apiKeys.name')}
          placeholder={
            kind === 'secret' ? t('apiKeys.secretNamePlaceholder') : t('apiKeys.publishableNamePlaceholder')
          }
          required
          value={name}
          error={errors.name}
          onChange={(event) => setName(event.currentTarget.value)}
          maxLength={200}
          data-testid="api-key-name-input"
        />
        {kind === 'secret' ? (
          <NativeSelect
            label={t('apiKeys.role')}
            description={t('apiKeys.roleHint')}
            value={role}
            onChange={(event) => setRole(event.currentTarget.value as Role)}
            data={ROLES.map((value) => ({ value, label: t(`roles.${value}`) }))}
            data-testid="api-key-role-select"
          />
        ) : (
          <NativeSelect
            label={t('apiKeys.channel')}
            description={
              channels.isPending
                ? t('common.loading')
                : channelOptions.length === 0
                  ? t('apiKeys.noChannels')
                  : t('apiKeys.channelHint')
            }
            value={channelId}
            error={errors.channel}
            onChange={(event) => setChannelId(event.currentTarget.value)}
            data={[{ value: '', label: t('apiKeys.chooseChannel') }, ...channelOptions]}
            data-testid="api-key-channel-select"
          />
        )}
        <Group justify="flex-end" mt="sm">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={create.isPending} data-testid="api-key-submit">
            {t('apiKeys.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
