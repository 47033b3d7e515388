/**
 * @module Create or edit a channel: kind (fixed once created), name, active, config and write-only secrets.
 */
import { Alert, Button, Divider, Group, Modal, NativeSelect, Stack, Switch, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../api/client';
import { useCreateChannel, useUpdateChannel } from '../../../api/channels';
import { CHANNEL_KINDS, type Channel, type ChannelKind } from '../../../api/types';
import { errorMessage, formFieldName } from '../../../lib/errors';
import { notifyError, notifySuccess } from '../../../lib/notify';
import { ConfigEditor, configFromState, initialConfigState, type ConfigState } from './config-editor';
import {
  SecretsEditor,
  initialSecretsState,
  secretsPatchFromState,
  type SecretsState,
} from './secrets-editor';

interface ChannelFormModalProps {
  opened: boolean;
  /** The channel to edit; null to create one. */
  channel: Channel | null;
  onClose: () => void;
}

export function ChannelFormModal({ opened, channel, onClose }: ChannelFormModalProps) {
  const { t } = useTranslation();
  // The form lives inside the modal body, which mounts on every opening: it starts from the channel as it is now.
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={channel ? t('channels.editTitle', { name: channel.name }) : t('channels.createTitle')}
      size="lg"
      centered
    >
      <ChannelForm channel={channel} onClose={onClose} />
    </Modal>
  );
}

function ChannelForm({ channel, onClose }: { channel: Channel | null; onClose: () => void }) {
  const { t } = useTranslation();
  const create = useCreateChannel();
  const update = useUpdateChannel();

  const [kind, setKind] = useState<ChannelKind>(channel?.kind ?? 'web');
  const [name, setName] = useState(channel?.name ?? '');
  const [nameError, setNameError] = useState<string | null>(null);
  const [active, setActive] = useState(channel?.active ?? true);
  const [config, setConfig] = useState<ConfigState>(() => initialConfigState(channel?.config ?? {}));
  const [secrets, setSecrets] = useState<SecretsState>(() => initialSecretsState(channel?.secrets));
  const [secretsError, setSecretsError] = useState<string | null>(null);
  const [formError, setFormError] = useState<unknown>(null);

  const pending = create.isPending || update.isPending;

  const handleServerError = (error: unknown) => {
    if (error instanceof ApiError && error.status === 400) {
      for (const fieldError of error.errors) {
        const field = formFieldName(fieldError.field);
        if (field === 'name') setNameError(fieldError.message);
        else if (field.startsWith('config')) setConfig((state) => ({ ...state, error: fieldError.message }));
        else if (field.startsWith('secrets')) setSecretsError(fieldError.message);
      }
    }
    setFormError(error);
    notifyError(error, channel ? t('channels.updateFailed') : t('channels.createFailed'));
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setFormError(null);
    const trimmed = name.trim();
    if (!trimmed) setNameError(t('channels.nameRequired'));
    const configResult = configFromState(config, t);
    if ('error' in configResult) setConfig({ ...config, error: configResult.error });
    const secretsResult = secretsPatchFromState(secrets, t);
    setSecretsError('error' in secretsResult ? secretsResult.error : null);
    if (!trimmed || 'error' in configResult || 'error' in secretsResult) return;

    const secretValues = secretsResult.secrets;
    const hasSecrets = Object.keys(secretValues).length > 0;

    if (channel) {
      update.mutate(
        {
          id: channel.id,
          patch: {
            name: trimmed,
            active,
            config: configResult.config,
            ...(hasSecrets ? { secrets: secretValues } : {}),
          },
        },
        {
          onSuccess: (saved) => {
            notifySuccess(t('channels.updated', { name: saved.name }));
            onClose();
          },
          onError: handleServerError,
        },
      );
    } else {
      // New channels have no secrets to clear, so every value is a string here.
      const initialSecrets = Object.fromEntries(
        Object.entries(secretValues).filter((entry): entry is [string, string] => entry[1] !== null),
      );
      create.mutate(
        {
          kind,
          name: trimmed,
          active,
          config: configResult.config,
          ...(hasSecrets ? { secrets: initialSecrets } : {}),
        },
        {
          onSuccess: (saved) => {
            notifySuccess(t('channels.created', { name: saved.name }));
            onClose();
          },
          onError: handleServerError,
        },
      );
    }
  };

  return (
    <form onSubmit={submit} data-testid="channel-modal" noValidate>
      <Stack>
        {formError !== null && (
          <Alert color="red" variant="light" data-testid="channel-form-error">
            {errorMessage(formError)}
          </Alert>
        )}
        <Group grow align="flex-start">
          <NativeSelect
            label={t('channels.kind')}
            description={channel ? t('channels.kindFixed') : undefined}
            value={kind}
            onChange={(event) => setKind(event.currentTarget.value as ChannelKind)}
            disabled={channel !== null}
            data={CHANNEL_KINDS.map((value) => ({ value, label: t(`channelKinds.${value}`) }))}
            data-testid="channel-kind-select"
          />
          <TextInput
            label={t('channels.name')}
            placeholder={t('channels.namePlaceholder')}
            required
            value={name}
            error={nameError}
            onChange={(event) => {
              setName(event.currentTarget.value);
              setNameError(null);
            }}
            maxLength={200}
            data-testid="channel-name-input"
          />
        </Group>
        <Switch
          label={t('channels.activeLabel')}
          description={t('channels.activeHint')}
          checked={active}
          onChange={(event) => setActive(event.currentTarget.checked)}
          data-testid="channel-active-switch"
        />
        <Divider />
        <ConfigEditor state={config} onChange={setConfig} />
        <Divider />
        <SecretsEditor
          state={secrets}
          onChange={(next) => {
            setSecrets(next);
            setSecretsError(null);
          }}
          error={secretsError}
        />
        <Group justify="flex-end" mt="sm">
          <Button variant="default" onClick={onClose} data-testid="channel-cancel">
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={pending} data-testid="channel-submit">
            {channel ? t('common.save') : t('channels.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
