/**
 * @module Segment builder (`/segments/new`, `/segments/:id/edit`): name and description, the rule as a tree of
 * conditions and groups — or as raw JSON for those who prefer it — and the live count beside it, re-asked a
 * moment after each change. Saving needs every condition complete; the server's answer to a bad rule lands
 * on the condition it names.
 */
import {
  Alert,
  Anchor,
  Box,
  Button,
  Grid,
  Group,
  JsonInput,
  Paper,
  Skeleton,
  Stack,
  Tabs,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconAlertTriangle, IconArrowLeft, IconBraces, IconListTree } from '@tabler/icons-react';
import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { ApiError, request } from '../../api/client';
import {
  useCreateSegment,
  useSegment,
  useSegmentPreview,
  useUpdateSegment,
  type Segment,
  type SegmentRule,
} from '../../api/segments';
import { ErrorAlert } from '../../components/error-alert';
import { errorMessage } from '../../lib/errors';
import { notifyError, notifySuccess } from '../../lib/notify';
import { useChannelMap } from '../customers/customer-display';
import { LiveCount } from './live-count';
import { GroupEditor, type TreeActions } from './rule-builder';
import {
  addChild,
  emptyRoot,
  nodeForField,
  removeNode,
  toRule,
  treeFromRule,
  updateNode,
  type GroupNode,
} from './rule-model';
import { st } from './segments-i18n';

/** Long enough not to ask on every keystroke, short enough to feel live. */
const PREVIEW_DEBOUNCE_MS = 400;

export function SegmentEditorPage() {
  useTranslation(); // re-renders on a language change
  const { id } = useParams();
  const segment = useSegment(id);
  return (
    <Stack gap="md">
      <Anchor component={Link} to={id ? `/segments/${id}` : '/segments'} size="sm" data-testid="segment-back">
        <Group gap={4}>
          <IconArrowLeft size={14} />
          {id ? st('segments.backToSegment') : st('segments.back')}
        </Group>
      </Anchor>
      {!id ? (
        <SegmentEditor initial={null} />
      ) : segment.isPending ? (
        <Stack aria-busy="true" data-testid="segment-loading">
          <Skeleton height={36} width="40%" />
          <Skeleton height={320} />
        </Stack>
      ) : segment.error ? (
        <ErrorAlert
          error={segment.error}
          onRetry={() => void segment.refetch()}
          data-testid="segment-error"
        />
      ) : (
        <SegmentEditor key={segment.data.id} initial={segment.data} />
      )}
    </Stack>
  );
}

/** Server field errors under `body.rule`, by the builder node they are about. */
function errorsByNode(error: unknown, paths: Map<string, string>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  if (!(error instanceof ApiError) || error.status !== 400) return out;
  for (const fieldError of error.errors) {
    const node = nodeForField(fieldError.field, paths);
    if (!node) continue;
    const field = fieldError.field.split('.').at(-1) ?? '';
    const label = /^\d+$/.test(field) || ['all', 'any', 'not', 'rule'].includes(field) ? '' : `${field}: `;
    out.set(node, [...(out.get(node) ?? []), `${label}${fieldError.message}`]);
  }
  return out;
}

function SegmentEditor({ initial }: { initial: Segment | null }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const channels = useChannelMap();
  const channelList = useMemo(() => [...channels.values()], [channels]);
  const create = useCreateSegment();
  const update = useUpdateSegment();
  const [name, setName] = useState(initial?.name ?? '');
  const [description, setDescription] = useState(initial?.description ?? '');
  const [root, setRoot] = useState<GroupNode>(() => (initial ? treeFromRule(initial.rule) : emptyRoot()));
  const [tab, setTab] = useState<string>('builder');
  const [json, setJson] = useState('');
  const [jsonError, setJsonError] = useState<unknown>(null);
  const [applying, setApplying] = useState(false);
  const [nameError, setNameError] = useState<string | null>(null);
  const [saveProblem, setSaveProblem] = useState<unknown>(null);
  const [saveErrors, setSaveErrors] = useState<Map<string, string[]>>(new Map());

  const [counted] = useDebouncedValue(root, PREVIEW_DEBOUNCE_MS);
  const countedRule = useMemo(() => toRule(counted), [counted]);
  const current = useMemo(() => toRule(root), [root]);
  const preview = useSegmentPreview(countedRule.rule);
  const previewErrors = useMemo(
    () => errorsByNode(preview.error, countedRule.paths),
    [preview.error, countedRule.paths],
  );
  const errors = saveErrors.size > 0 ? saveErrors : previewErrors;

  const actions: TreeActions = {
    update: (id, change) => setRoot((r) => updateNode(r, id, change)),
    remove: (id) => setRoot((r) => removeNode(r, id)),
    add: (groupId, child) => setRoot((r) => addChild(r, groupId, child)),
  };

  const openJson = (value: string | null) => {
    if (value === 'json') {
      setJson(JSON.stringify(current.rule ?? { all: [] }, null, 2));
      setJsonError(null);
    }
    setTab(value ?? 'builder');
  };

  /** The server is the judge of a rule: a JSON rule goes to the builder only once preview accepts it. */
  const applyJson = async () => {
    setJsonError(null);
    let parsed: SegmentRule;
    try {
      parsed = JSON.parse(json) as SegmentRule;
    } catch (error) {
      setJsonError(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    setApplying(true);
    try {
      await request('/v1/segments/preview', { method: 'POST', body: { rule: parsed } });
      setRoot(treeFromRule(parsed));
      setTab('builder');
    } catch (error) {
      setJsonError(error);
    } finally {
      setApplying(false);
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSaveProblem(null);
    setSaveErrors(new Map());
    setNameError(name.trim() ? null : st('segments.nameRequired'));
    if (!name.trim()) return;
    if (current.incomplete.length > 0 || current.rule === null) {
      setSaveProblem(
        current.rule === null
          ? st('segments.needCondition')
          : st('segments.finishConditions', { count: current.incomplete.length }),
      );
      return;
    }
    const body = { name: name.trim(), description: description.trim() || null, rule: current.rule };
    const onError = (error: unknown) => {
      const byNode = errorsByNode(error, current.paths);
      setSaveErrors(byNode);
      if (error instanceof ApiError) {
        const nameProblem = error.errors.find((e) => e.field === 'body.name');
        if (nameProblem) setNameError(nameProblem.message);
      }
      setSaveProblem(error);
      notifyError(error, st('segments.saveFailed'));
    };
    if (initial) {
      update.mutate(
        { id: initial.id, ...body },
        {
          onSuccess: (saved) => {
            notifySuccess(st('segments.saved'));
            void navigate(`/segments/${saved.id}`);
          },
          onError,
        },
      );
    } else {
      create.mutate(body, {
        onSuccess: (saved) => {
          notifySuccess(st('segments.created', { count: saved.member_count }));
          void navigate(`/segments/${saved.id}`);
        },
        onError,
      });
    }
  };

  const saving = create.isPending || update.isPending;

  return (
    <form onSubmit={submit} noValidate>
      <Group justify="space-between" align="flex-start" mb="md" wrap="wrap" gap="sm">
        <Box style={{ flex: '1 1 320px', minWidth: 0 }}>
          <Text component="h2" fz={26} fw={650} m={0} data-testid="segment-editor-title">
            {initial ? st('segments.editTitle') : st('segments.newTitle')}
          </Text>
          <Text size="sm" c="dimmed">
            {st('segments.builderHint')}
          </Text>
        </Box>
        <Group gap="xs">
          <Button
            variant="default"
            component={Link}
            to={initial ? `/segments/${initial.id}` : '/segments'}
            data-testid="segment-cancel"
          >
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={saving} data-testid="segment-save">
            {initial ? t('common.save') : st('segments.save')}
          </Button>
        </Group>
      </Group>
      <Grid gap="md" align="flex-start">
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Stack gap="md">
            <Paper withBorder radius="md" p="md">
              <Stack gap="sm">
                <TextInput
                  label={st('segments.name')}
                  placeholder={st('segments.namePlaceholder')}
                  value={name}
                  onChange={(event) => setName(event.currentTarget.value)}
                  error={nameError}
                  maxLength={200}
                  required
                  data-testid="segment-name"
                />
                <Textarea
                  label={st('segments.description')}
                  placeholder={st('segments.descriptionPlaceholder')}
                  value={description}
                  onChange={(event) => setDescription(event.currentTarget.value)}
                  maxLength={2000}
                  autosize
                  minRows={2}
                  data-testid="segment-description"
                />
              </Stack>
            </Paper>
            {saveProblem !== null && (
              <Alert
                color="red"
                variant="light"
                icon={<IconAlertTriangle size={18} />}
                data-testid="segment-save-problem"
              >
                {typeof saveProblem === 'string' ? saveProblem : errorMessage(saveProblem)}
              </Alert>
            )}
            <Tabs value={tab} onChange={openJson} keepMounted={false}>
              <Tabs.List mb="sm">
                <Tabs.Tab
                  value="builder"
                  leftSection={<IconListTree size={16} />}
                  data-testid="segment-tab-builder"
                >
                  {st('segments.tabs.builder')}
                </Tabs.Tab>
                <Tabs.Tab value="json" leftSection={<IconBraces size={16} />} data-testid="segment-tab-json">
                  {st('segments.tabs.json')}
                </Tabs.Tab>
              </Tabs.List>
              <Tabs.Panel value="builder">
                <GroupEditor node={root} depth={0} actions={actions} channels={channelList} errors={errors} />
              </Tabs.Panel>
              <Tabs.Panel value="json">
                <Stack gap="sm">
                  <Text size="sm" c="dimmed">
                    {st('segments.jsonHint')}
                  </Text>
                  <JsonInput
                    aria-label={st('segments.tabs.json')}
                    value={json}
                    onChange={setJson}
                    autosize
                    minRows={12}
                    maxRows={40}
                    formatOnBlur
                    styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 13 } }}
                    data-testid="segment-json"
                  />
                  {jsonError instanceof ApiError ? (
                    <ErrorAlert error={jsonError} data-testid="segment-json-error" />
                  ) : jsonError instanceof Error ? (
                    // Not JSON at all: the parser's own words say where.
                    <Alert color="red" variant="light" data-testid="segment-json-error">
                      {jsonError.message}
                    </Alert>
                  ) : null}
                  <Group>
                    <Button
                      variant="light"
                      onClick={() => void applyJson()}
                      loading={applying}
                      data-testid="segment-json-apply"
                    >
                      {st('segments.jsonApply')}
                    </Button>
                  </Group>
                </Stack>
              </Tabs.Panel>
            </Tabs>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }} style={{ position: 'sticky', top: 76 }}>
          <LiveCount
            preview={preview}
            empty={countedRule.rule === null}
            root={counted}
            channels={channels}
            errorsShownInRule={previewErrors.size > 0}
          />
          {current.incomplete.length > 0 && (
            <Text size="xs" c="orange.8" mt="xs" data-testid="segment-incomplete-note">
              {st('segments.incompleteNote', { count: current.incomplete.length })}
            </Text>
          )}
        </Grid.Col>
      </Grid>
    </form>
  );
}
