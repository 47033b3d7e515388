/**
 * @module Settings → Canned responses: the answers agents insert with `/shortcut` in the composer, kept on the
 * server. Each has a body per language (English required; Spanish and Russian used for customers who speak
 * them), `{{variables}}` the server fills per conversation, and optionally one team. The server checks the
 * variables when saving; a refusal lands on the language field it names.
 */
import {
  ActionIcon,
  Badge,
  Button,
  Code,
  Group,
  Modal,
  Paper,
  Select,
  Stack,
  Table,
  Tabs,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core';
import { IconMessage2, IconPencil, IconPlus, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { ApiError } from '../../../api/client';
import {
  CANNED_LOCALES,
  useCannedResponses,
  useDeleteCanned,
  useSaveCanned,
  type CannedInput,
  type CannedLocale,
  type CannedResponse,
} from '../../../api/conversations';
import { useTeams } from '../../../api/conversations-routing';
import { ConfirmModal } from '../../../components/confirm-modal';
import { ListState } from '../../../components/list-state';
import { PageHeader } from '../../../components/page-header';
import { formFieldName } from '../../../lib/errors';
import { notifyError } from '../../../lib/notify';
import { useCan } from '../../../lib/permissions';
import { useInboxT } from '../../inbox/inbox-i18n';

const LANGUAGE_NAMES: Record<CannedLocale, string> = { en: 'English', es: 'Español', ru: 'Русский' };

const empty = (): CannedInput => ({ shortcut: '', title: '', body: { en: '' }, team_id: null });

function CannedForm(props: {
  editing: CannedResponse | null;
  variables: Record<string, string>;
  onClose: () => void;
}) {
  const { t } = useInboxT();
  const teams = useTeams();
  const save = useSaveCanned();
  const [value, setValue] = useState<CannedInput>(() =>
    props.editing
      ? {
          shortcut: props.editing.shortcut,
          title: props.editing.title,
          body: { ...props.editing.body },
          team_id: props.editing.team_id,
        }
      : empty(),
  );
  const [tab, setTab] = useState<CannedLocale>('en');
  const [errors, setErrors] = useState<Record<string, string>>({});

  const submit = () => {
    // Languages left empty are not sent: the customer then gets English.
    const body = Object.fromEntries(
      Object.entries(value.body).filter(([, text]) => text && text.trim()),
    ) as CannedInput['body'];
    save.mutate(
      { ...value, body, ...(props.editing ? { id: props.editing.id } : {}) },
      {
        onSuccess: props.onClose,
        onError: (error) => {
          if (error instanceof ApiError && error.errors.length) {
            const next: Record<string, string> = {};
            for (const e of error.errors) next[formFieldName(e.field)] = e.message;
            setErrors(next);
            const locale = CANNED_LOCALES.find((l) => next[`body.${l}`]);
            if (locale) setTab(locale);
          } else notifyError(error);
        },
      },
    );
  };

  const insertVariable = (name: string) =>
    setValue((v) => ({ ...v, body: { ...v.body, [tab]: `${v.body[tab] ?? ''}{{${name}}}` } }));

  return (
    <Stack>
      <Group grow align="flex-start">
        <TextInput
          label={t('inbox.cannedSettings.shortcut')}
          description={t('inbox.cannedSettings.shortcutHint')}
          leftSection="/"
          value={value.shortcut}
          onChange={(e) => setValue({ ...value, shortcut: e.currentTarget.value })}
          error={errors.shortcut}
          required
          data-testid="canned-shortcut"
        />
        <TextInput
          label={t('inbox.cannedSettings.name')}
          value={value.title}
          onChange={(e) => setValue({ ...value, title: e.currentTarget.value })}
          error={errors.title}
          required
          data-testid="canned-title"
        />
      </Group>
      <Select
        label={t('inbox.cannedSettings.team')}
        value={value.team_id ?? ''}
        onChange={(id) => setValue({ ...value, team_id: id || null })}
        data={[
          { value: '', label: t('inbox.cannedSettings.everyone') },
          ...(teams.data ?? []).map((team) => ({ value: team.id, label: team.name })),
        ]}
        error={errors.team_id}
        allowDeselect={false}
        data-testid="canned-team"
      />
      <Tabs value={tab} onChange={(v) => v && setTab(v as CannedLocale)}>
        <Tabs.List>
          {CANNED_LOCALES.map((l) => (
            <Tabs.Tab
              key={l}
              value={l}
              color={errors[`body.${l}`] ? 'red' : undefined}
              data-testid={`canned-tab-${l}`}
            >
              {LANGUAGE_NAMES[l]}
              {l !== 'en' && (
                <Text span size="xs" c="dimmed" ml={4}>
                  ({t('inbox.cannedSettings.optional')})
                </Text>
              )}
            </Tabs.Tab>
          ))}
        </Tabs.List>
      </Tabs>
      <Textarea
        label={t('inbox.cannedSettings.body')}
        autosize
        minRows={4}
        value={value.body[tab] ?? ''}
        onChange={(e) => setValue({ ...value, body: { ...value.body, [tab]: e.currentTarget.value } })}
        error={errors[`body.${tab}`]}
        required={tab === 'en'}
        data-testid="canned-body"
      />
      <Stack gap={4}>
        <Text size="xs" fw={600}>
          {t('inbox.cannedSettings.variables')}
        </Text>
        <Group gap={4}>
          {Object.entries(props.variables).map(([name, meaning]) => (
            <Badge
              key={name}
              variant="light"
              tt="none"
              style={{ cursor: 'pointer' }}
              title={meaning}
              onClick={() => insertVariable(name)}
            >
              {`{{${name}}}`}
            </Badge>
          ))}
        </Group>
      </Stack>
      <Group justify="flex-end">
        <Button loading={save.isPending} onClick={submit} data-testid="canned-save">
          {t('inbox.cannedSettings.save')}
        </Button>
      </Group>
    </Stack>
  );
}

export function CannedResponsesPage() {
  const { t } = useInboxT();
  const canned = useCannedResponses();
  const teams = useTeams();
  const remove = useDeleteCanned();
  const canWrite = useCan()('conversations:write');
  const [editing, setEditing] = useState<CannedResponse | 'new' | null>(null);
  const [deleting, setDeleting] = useState<CannedResponse | null>(null);
  const items = canned.data?.data ?? [];
  const teamName = (id: string | null) =>
    id ? ((teams.data ?? []).find((team) => team.id === id)?.name ?? id) : t('inbox.cannedSettings.everyone');

  return (
    <Stack>
      <PageHeader
        title={t('inbox.cannedSettings.title')}
        description={t('inbox.cannedSettings.description')}
        order={3}
        actions={
          canWrite && (
            <Button
              leftSection={<IconPlus size={16} />}
              onClick={() => setEditing('new')}
              data-testid="canned-create"
            >
              {t('inbox.cannedSettings.new')}
            </Button>
          )
        }
      />
      <ListState
        isPending={canned.isPending}
        error={canned.error}
        isEmpty={items.length === 0}
        onRetry={() => void canned.refetch()}
        emptyTitle={t('inbox.cannedSettings.empty')}
        emptyDescription={t('inbox.cannedSettings.emptyHint')}
        emptyIcon={<IconMessage2 size={28} />}
      >
        <Paper withBorder radius="md">
          <Table verticalSpacing="sm" data-testid="canned-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('inbox.cannedSettings.shortcut')}</Table.Th>
                <Table.Th>{t('inbox.cannedSettings.name')}</Table.Th>
                <Table.Th>{t('inbox.cannedSettings.body')}</Table.Th>
                <Table.Th>{t('inbox.cannedSettings.team')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((c) => (
                <Table.Tr key={c.id} data-testid="canned-row">
                  <Table.Td>
                    <Code>/{c.shortcut}</Code>
                  </Table.Td>
                  <Table.Td>{c.title}</Table.Td>
                  <Table.Td>
                    <Text size="sm" lineClamp={2}>
                      {c.body.en}
                    </Text>
                    <Group gap={4} mt={2}>
                      {CANNED_LOCALES.filter((l) => c.body[l]).map((l) => (
                        <Badge key={l} size="xs" variant="default">
                          {l}
                        </Badge>
                      ))}
                    </Group>
                  </Table.Td>
                  <Table.Td>{teamName(c.team_id)}</Table.Td>
                  <Table.Td>
                    {canWrite && (
                      <Group gap={4} justify="flex-end" wrap="nowrap">
                        <ActionIcon
                          variant="subtle"
                          aria-label={t('inbox.cannedSettings.edit')}
                          onClick={() => setEditing(c)}
                          data-testid="canned-edit"
                        >
                          <IconPencil size={16} />
                        </ActionIcon>
                        <ActionIcon
                          variant="subtle"
                          color="red"
                          aria-label={t('inbox.cannedSettings.delete')}
                          onClick={() => setDeleting(c)}
                          data-testid="canned-delete"
                        >
                          <IconTrash size={16} />
                        </ActionIcon>
                      </Group>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
      </ListState>
      <Modal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={editing === 'new' ? t('inbox.cannedSettings.new') : t('inbox.cannedSettings.edit')}
        size="lg"
      >
        {editing !== null && (
          <CannedForm
            editing={editing === 'new' ? null : editing}
            variables={canned.data?.variables ?? {}}
            onClose={() => setEditing(null)}
          />
        )}
      </Modal>
      <ConfirmModal
        opened={deleting !== null}
        title={t('inbox.cannedSettings.delete')}
        message={deleting ? `/${deleting.shortcut} — ${deleting.title}` : ''}
        confirmLabel={t('inbox.cannedSettings.delete')}
        danger
        loading={remove.isPending}
        onConfirm={() =>
          deleting &&
          remove.mutate(deleting.id, {
            onSuccess: () => setDeleting(null),
            onError: (error) => notifyError(error),
          })
        }
        onClose={() => setDeleting(null)}
      />
    </Stack>
  );
}
