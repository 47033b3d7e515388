/**
 * @module A channel's config as key/value rows (for flat string settings) or as JSON (for anything nested).
 * Switching views converts the content; a config with non-string values can only be edited as JSON so
 * nothing is silently turned into text.
 */
import {
  ActionIcon,
  Button,
  Group,
  JsonInput,
  SegmentedControl,
  Stack,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { JsonObject } from '../../../api/types';

export interface ConfigRow {
  key: string;
  value: string;
}

export interface ConfigState {
  mode: 'fields' | 'json';
  rows: ConfigRow[];
  json: string;
  error: string | null;
}

function isFlat(config: JsonObject): boolean {
  return Object.values(config).every((value) => typeof value === 'string');
}

export function initialConfigState(config: JsonObject): ConfigState {
  const json = JSON.stringify(config, null, 2);
  if (!isFlat(config)) return { mode: 'json', rows: [], json, error: null };
  const rows = Object.entries(config).map(([key, value]) => ({ key, value: String(value) }));
  return { mode: 'fields', rows: rows.length > 0 ? rows : [{ key: '', value: '' }], json, error: null };
}

type Translate = ReturnType<typeof useTranslation>['t'];

/** The config object the state describes, or a translated reason it is not valid. */
export function configFromState(
  state: ConfigState,
  t: Translate,
): { config: JsonObject } | { error: string } {
  if (state.mode === 'json') {
    if (!state.json.trim()) return { config: {} };
    let parsed: unknown;
    try {
      parsed = JSON.parse(state.json);
    } catch {
      return { error: t('channels.config.invalidJson') };
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      return { error: t('channels.config.notObject') };
    }
    return { config: parsed as JsonObject };
  }
  const config: JsonObject = {};
  for (const row of state.rows) {
    const key = row.key.trim();
    if (!key && !row.value) continue;
    if (!key) return { error: t('channels.config.keyRequired') };
    if (key in config) return { error: t('channels.config.duplicateKey', { key }) };
    config[key] = row.value;
  }
  return { config };
}

interface ConfigEditorProps {
  state: ConfigState;
  onChange: (state: ConfigState) => void;
}

export function ConfigEditor({ state, onChange }: ConfigEditorProps) {
  const { t } = useTranslation();

  const switchMode = (mode: string) => {
    if (mode === state.mode) return;
    if (mode === 'json') {
      const result = configFromState(state, t);
      if ('error' in result) return onChange({ ...state, error: result.error });
      return onChange({ ...state, mode: 'json', json: JSON.stringify(result.config, null, 2), error: null });
    }
    const result = configFromState(state, t);
    if ('error' in result) return onChange({ ...state, error: result.error });
    if (!isFlat(result.config)) return onChange({ ...state, error: t('channels.config.nestedOnlyJson') });
    const rows = Object.entries(result.config).map(([key, value]) => ({ key, value: String(value) }));
    onChange({
      ...state,
      mode: 'fields',
      rows: rows.length > 0 ? rows : [{ key: '', value: '' }],
      error: null,
    });
  };

  const setRow = (index: number, patch: Partial<ConfigRow>) =>
    onChange({
      ...state,
      error: null,
      rows: state.rows.map((row, i) => (i === index ? { ...row, ...patch } : row)),
    });

  return (
    <Stack gap="xs">
      <Group justify="space-between" align="flex-end">
        <div>
          <Text size="sm" fw={500}>
            {t('channels.config.label')}
          </Text>
          <Text size="xs" c="dimmed">
            {t('channels.config.hint')}
          </Text>
        </div>
        <SegmentedControl
          size="xs"
          value={state.mode}
          onChange={switchMode}
          data-testid="channel-config-mode"
          data={[
            {
              value: 'fields',
              label: <span data-testid="channel-config-mode-fields">{t('channels.config.fields')}</span>,
            },
            {
              value: 'json',
              label: <span data-testid="channel-config-mode-json">{t('channels.config.json')}</span>,
            },
          ]}
        />
      </Group>

      {state.mode === 'fields' ? (
        <Stack gap={6}>
          {state.rows.map((row, index) => (
            <Group key={index} gap={6} wrap="nowrap" align="flex-start">
              <TextInput
                placeholder={t('channels.config.keyPlaceholder')}
                aria-label={t('channels.config.key')}
                value={row.key}
                onChange={(event) => setRow(index, { key: event.currentTarget.value })}
                style={{ flex: 2 }}
                data-testid={`channel-config-key-${index}`}
              />
              <TextInput
                placeholder={t('channels.config.valuePlaceholder')}
                aria-label={t('channels.config.value')}
                value={row.value}
                onChange={(event) => setRow(index, { value: event.currentTarget.value })}
                style={{ flex: 3 }}
                data-testid={`channel-config-value-${index}`}
              />
              <Tooltip label={t('common.remove')} withArrow>
                <ActionIcon
                  variant="subtle"
                  color="gray"
                  size="lg"
                  aria-label={t('common.remove')}
                  onClick={() =>
                    onChange({ ...state, error: null, rows: state.rows.filter((_, i) => i !== index) })
                  }
                  data-testid={`channel-config-remove-${index}`}
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
              onClick={() => onChange({ ...state, rows: [...state.rows, { key: '', value: '' }] })}
              data-testid="channel-config-add"
            >
              {t('channels.config.add')}
            </Button>
          </Group>
        </Stack>
      ) : (
        <JsonInput
          aria-label={t('channels.config.label')}
          value={state.json}
          onChange={(json) => onChange({ ...state, json, error: null })}
          autosize
          minRows={4}
          maxRows={14}
          placeholder='{ "url": "https://shop.example.com" }'
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 13 } }}
          data-testid="channel-config-json"
        />
      )}
      {state.error && (
        <Text size="xs" c="red" data-testid="channel-config-error">
          {state.error}
        </Text>
      )}
    </Stack>
  );
}
