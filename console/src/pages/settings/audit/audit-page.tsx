/**
 * @module Settings → Audit log: who did what to which record, from where, newest first. A row opens the
 * recorded details.
 */
import { Badge, Code, Modal, Paper, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { IconHistory } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useAuditLog } from '../../../api/audit';
import type { AuditEntry } from '../../../api/types';
import { JsonView } from '../../../components/json-view';
import { ListState, LoadMore } from '../../../components/list-state';
import { PageHeader } from '../../../components/page-header';
import { formatDateTimePrecise } from '../../../lib/format';
import { useTarget } from '../../../lib/use-target';

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

function Actor({ entry }: { entry: AuditEntry }) {
  const { t } = useTranslation();
  return (
    <Stack gap={2}>
      <Text size="sm">{entry.actor.label ?? entry.actor.id ?? '—'}</Text>
      <Badge size="xs" variant="light" color="gray">
        {t(`audit.actorTypes.${entry.actor.type}`, { defaultValue: entry.actor.type })}
      </Badge>
    </Stack>
  );
}

export function AuditPage() {
  const { t } = useTranslation();
  const audit = useAuditLog();
  const opened = useTarget<AuditEntry>();
  const entry = opened.target;

  return (
    <>
      <PageHeader title={t('audit.title')} description={t('audit.subtitle')} />
      <ListState
        isPending={audit.isPending}
        error={audit.error}
        onRetry={() => void audit.refetch()}
        isEmpty={audit.items.length === 0}
        emptyIcon={<IconHistory size={28} />}
        emptyTitle={t('audit.emptyTitle')}
        emptyDescription={t('audit.emptyBody')}
      >
        <Paper withBorder radius="md">
          <Table.ScrollContainer type="native" minWidth={900}>
            <Table verticalSpacing="sm" highlightOnHover data-testid="audit-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('audit.time')}</Table.Th>
                  <Table.Th>{t('audit.actor')}</Table.Th>
                  <Table.Th>{t('audit.action')}</Table.Th>
                  <Table.Th>{t('audit.target')}</Table.Th>
                  <Table.Th>{t('audit.ip')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {audit.items.map((item) => (
                  <Table.Tr
                    key={item.id}
                    data-testid="audit-row"
                    onClick={() => opened.open(item)}
                    style={{ cursor: 'pointer' }}
                    tabIndex={0}
                    onKeyDown={(event) => {
                      if (event.key === 'Enter') opened.open(item);
                    }}
                  >
                    <Table.Td>
                      <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                        {formatDateTimePrecise(item.occurred_at)}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Actor entry={item} />
                    </Table.Td>
                    <Table.Td>
                      <Code>{item.action}</Code>
                    </Table.Td>
                    <Table.Td>
                      {item.target_type ? (
                        <>
                          <Text size="sm">{item.target_type}</Text>
                          <Text size="xs" c="dimmed" ff="monospace">
                            {item.target_id}
                          </Text>
                        </>
                      ) : (
                        <Text size="sm" c="dimmed">
                          —
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" ff="monospace">
                        {item.ip ?? '—'}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
        <LoadMore {...audit} />
      </ListState>

      <Modal opened={opened.opened} onClose={opened.close} title={t('audit.detailTitle')} size="lg" centered>
        {entry && (
          <Stack data-testid="audit-detail">
            <SimpleGrid cols={{ base: 1, xs: 2 }}>
              <Field label={t('audit.time')}>
                <Text size="sm">{formatDateTimePrecise(entry.occurred_at)}</Text>
              </Field>
              <Field label={t('audit.actor')}>
                <Actor entry={entry} />
              </Field>
              <Field label={t('audit.action')}>
                <Code>{entry.action}</Code>
              </Field>
              <Field label={t('audit.target')}>
                <Text size="sm">
                  {entry.target_type ?? '—'} <Code>{entry.target_id ?? ''}</Code>
                </Text>
              </Field>
              <Field label={t('audit.ip')}>
                <Text size="sm" ff="monospace">
                  {entry.ip ?? '—'}
                </Text>
              </Field>
              <Field label={t('audit.requestId')}>
                <Code>{entry.request_id ?? '—'}</Code>
              </Field>
            </SimpleGrid>
            <Field label={t('audit.data')}>
              <JsonView value={entry.data} />
            </Field>
          </Stack>
        )}
      </Modal>
    </>
  );
}
