/**
 * @module A channel's write-only secrets (API tokens, passwords). The server only says which are set; this
 * shows them as "••• set" and lets the user replace or clear each one, or add new ones. Values typed here
 * are sent once and never shown again.
 */
import {
  ActionIcon,
  Badge,
  Button,
  Group,
  Paper,
  PasswordInput,
  Stack,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { IconArrowBackUp, IconPlus, IconTrash } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';

export interface ExistingSecret {
  name: string;
  action: 'keep' | 'replace' | 'clear';
  value: string;
}

export interface NewSecret {
  name: string;
  value: string;
}

export interface SecretsState {
  existing: ExistingSecret[];
  added: NewSecret[];
}

export function initialSecretsState(secrets: Record<string, true> | undefined): SecretsState {
  return {
    existing: Object.keys(secrets ?? {})
      .sort()
      .map((name) => ({ name, action: 'keep', value: '' })),
    added: [],
  };
}

type Translate = ReturnType<typeof useTranslation>['t'];

/** The `secrets` body field to send, or a translated reason the input is incomplete. */
export function secretsPatchFromState(
  state: SecretsState,
  t: Translate,
): { secrets: Record<string, string | null> } | { error: string } {
  const secrets: Record<string, string | null> = {};
  for (const secret of state.existing) {
    if (secret.action === 'clear') secrets[secret.name] = null;
    if (secret.action === 'replace') {
      if (!secret.value) return { error: t('channels.secrets.valueRequired', { name: secret.name }) };
      secrets[secret.name] = secret.value;
    }
  }
  const names = new Set(state.existing.map((secret) => secret.name));
  for (const secret of state.added) {
    const name = secret.name.trim();
    if (!name && !secret.value) continue;
    if (!name) return { error: t('channels.secrets.nameRequired') };
    if (!/^[a-zA-Z][a-zA-Z0-9_]{0,63}$/.test(name))
      return { error: t('channels.secrets.nameInvalid', { name }) };
    if (names.has(name)) return { error: t('channels.secrets.duplicate', { name }) };
    if (!secret.value) return { error: t('channels.secrets.valueRequired', { name }) };
    names.add(name);
    secrets[name] = secret.value;
  }
  return { secrets };
}

interface SecretsEditorProps {
  state: SecretsState;
  onChange: (state: SecretsState) => void;
  error: string | null;
}

export function SecretsEditor({ state, onChange, error }: SecretsEditorProps) {
  const { t } = useTranslation();

  const setExisting = (name: string, patch: Partial<ExistingSecret>) =>
    onChange({
      ...state,
      existing: state.existing.map((secret) => (secret.name === name ? { ...secret, ...patch } : secret)),
    });
  const setAdded = (index: number, patch: Partial<NewSecret>) =>
    onChange({
      ...state,
      added: state.added.map((secret, i) => (i === index ? { ...secret, ...patch } : secret)),
    });

  return (
    <Stack gap="xs">
      <div>
        <Text size="sm" fw={500}>
          {t('channels.secrets.label')}
        </Text>
        <Text size="xs" c="dimmed">
          {t('channels.secrets.hint')}
        </Text>
      </div>

      {state.existing.map((secret) => (
        <Paper key={secret.name} withBorder p="xs" radius="sm" data-testid={`channel-secret-${secret.name}`}>
          <Group justify="space-between" wrap="nowrap" gap="xs">
            <Group gap="xs" wrap="nowrap" style={{ minWidth: 0 }}>
              <Text size="sm" ff="monospace" truncate>
                {secret.name}
              </Text>
              {secret.action === 'keep' && (
                <Badge variant="light" color="teal" size="sm" data-testid="secret-set-badge">
                  {t('channels.secrets.set')}
                </Badge>
              )}
              {secret.action === 'clear' && (
                <Badge variant="light" color="red" size="sm">
                  {t('channels.secrets.willClear')}
                </Badge>
              )}
            </Group>
            {secret.action === 'keep' ? (
              <Group gap={4} wrap="nowrap">
                <Button
                  size="compact-xs"
                  variant="subtle"
                  onClick={() => setExisting(secret.name, { action: 'replace' })}
                  data-testid={`channel-secret-replace-${secret.name}`}
                >
                  {t('channels.secrets.replace')}
                </Button>
                <Button
                  size="compact-xs"
                  variant="subtle"
                  color="red"
                  onClick={() => setExisting(secret.name, { action: 'clear' })}
                  data-testid={`channel-secret-clear-${secret.name}`}
                >
                  {t('channels.secrets.clear')}
                </Button>
              </Group>
            ) : (
              <Button
                size="compact-xs"
                variant="subtle"
                color="gray"
                leftSection={<IconArrowBackUp size={14} />}
                onClick={() => setExisting(secret.name, { action: 'keep', value: '' })}
                data-testid={`channel-secret-undo-${secret.name}`}
              >
                {t('channels.secrets.undo')}
              </Button>
            )}
          </Group>
          {secret.action === 'replace' && (
            <PasswordInput
              mt="xs"
              size="xs"
              placeholder={t('channels.secrets.newValue')}
              aria-label={t('channels.secrets.newValue')}
              value={secret.value}
              onChange={(event) => setExisting(secret.name, { value: event.currentTarget.value })}
              autoComplete="new-password"
              data-testid={`channel-secret-value-${secret.name}`}
            />
          )}
        </Paper>
      ))}

      {state.added.map((secret, index) => (
        <Group key={index} gap={6} wrap="nowrap" align="flex-start">
          <TextInput
            placeholder={t('channels.secrets.namePlaceholder')}
            aria-label={t('channels.secrets.name')}
            value={secret.name}
            onChange={(event) => setAdded(index, { name: event.currentTarget.value })}
            style={{ flex: 2 }}
            data-testid={`channel-secret-new-name-${index}`}
          />
          <PasswordInput
            placeholder={t('channels.secrets.value')}
            aria-label={t('channels.secrets.value')}
            value={secret.value}
            onChange={(event) => setAdded(index, { value: event.currentTarget.value })}
            autoComplete="new-password"
            style={{ flex: 3 }}
            data-testid={`channel-secret-new-value-${index}`}
          />
          <Tooltip label={t('common.remove')} withArrow>
            <ActionIcon
              variant="subtle"
              color="gray"
              size="lg"
              aria-label={t('common.remove')}
              onClick={() => onChange({ ...state, added: state.added.filter((_, i) => i !== index) })}
            >
              <IconTrash size={16} />
            </ActionIcon>
          </Tooltip>
        </Group>
      ))}

      <Group>
        <Button
          size="xs"
          variant="light"
          leftSection={<IconPlus size={14} />}
          onClick={() => onChange({ ...state, added: [...state.added, { name: '', value: '' }] })}
          data-testid="channel-secret-add"
        >
          {t('channels.secrets.add')}
        </Button>
      </Group>
      {error && (
        <Text size="xs" c="red" data-testid="channel-secrets-error">
          {error}
        </Text>
      )}
    </Stack>
  );
}
