/**
 * @module How a profile was assembled: every creation, identifier attachment, merge, unmerge and refused
 * merge, newest first. A merge that still stands can be undone from here (unmerge).
 */
import { Anchor, Badge, Button, Group, Paper, Table, Text } from '@mantine/core';
import { IconArrowBackUp, IconFingerprint } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useIdentityLog, useUnmergeCustomer } from '../../api/customers';
import type { IdentityLogEntry } from '../../api/customer-types';
import { ConfirmModal } from '../../components/confirm-modal';
import { ListState, LoadMore } from '../../components/list-state';
import i18n from '../../i18n';
import { formatDateTime } from '../../lib/format';
import { notifyError, notifySuccess } from '../../lib/notify';
import { useCan } from '../../lib/permissions';
import { useTarget } from '../../lib/use-target';

const KIND_COLORS: Record<string, string> = {
  created: 'blue',
  attached: 'cyan',
  merged: 'violet',
  unmerged: 'grape',
  conflict: 'red',
};

const kindLabel = (kind: string) =>
  i18n.t(`customers.identityLog.kinds.${kind}` as 'customers.identityLog.kinds.created', {
    defaultValue: kind,
  });

export function IdentityLogPanel({ customerId }: { customerId: string }) {
  const { t } = useTranslation();
  const log = useIdentityLog(customerId);
  const unmerge = useUnmergeCustomer();
  const canWrite = useCan()('customers:write');
  const undoing = useTarget<IdentityLogEntry>();
  const navigate = useNavigate();

  const confirmUnmerge = () => {
    const entry = undoing.target;
    if (!entry?.other_customer_id) return;
    unmerge.mutate(
      { id: entry.customer_id, mergedId: entry.other_customer_id },
      {
        onSuccess: () => {
          notifySuccess(t('customers.identityLog.unmerged'));
          undoing.close();
          // Opened through the merged-away id? That id is its own customer again: stay with the survivor.
          void navigate(`/customers/${entry.customer_id}?tab=identity`, { replace: true });
        },
        onError: (error) => notifyError(error, t('customers.identityLog.unmergeFailed')),
      },
    );
  };

  return (
    <>
      <ListState
        isPending={log.isPending}
        error={log.error}
        onRetry={() => void log.refetch()}
        isEmpty={log.items.length === 0}
        emptyIcon={<IconFingerprint size={28} />}
        emptyTitle={t('customers.identityLog.emptyTitle')}
        emptyDescription={t('customers.identityLog.emptyBody')}
      >
        <Paper withBorder radius="md">
          <Table.ScrollContainer type="native" minWidth={640}>
            <Table verticalSpacing="sm" data-testid="identity-log">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('customers.identityLog.when')}</Table.Th>
                  <Table.Th>{t('customers.identityLog.what')}</Table.Th>
                  <Table.Th>{t('customers.identityLog.reason')}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {log.items.map((entry) => {
                  const undoable =
                    canWrite &&
                    entry.kind === 'merged' &&
                    !entry.undone &&
                    entry.customer_id === customerId &&
                    entry.other_customer_id !== null;
                  const other = entry.other_customer_id;
                  return (
                    <Table.Tr
                      key={entry.id}
                      data-testid="identity-log-entry"
                      data-kind={entry.kind}
                      data-undone={entry.undone}
                    >
                      <Table.Td>
                        <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                          {formatDateTime(entry.occurred_at)}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Group gap={6} wrap="wrap">
                          <Badge size="sm" variant="light" color={KIND_COLORS[entry.kind] ?? 'gray'}>
                            {kindLabel(entry.kind)}
                          </Badge>
                          {entry.undone && (
                            <Badge size="sm" variant="outline" color="gray">
                              {t('customers.identityLog.undone')}
                            </Badge>
                          )}
                        </Group>
                        {other && (
                          <Text size="xs" c="dimmed" mt={4}>
                            {t('customers.identityLog.other')}{' '}
                            <Anchor component={Link} to={`/customers/${other}`} size="xs" ff="monospace">
                              {other}
                            </Anchor>
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td maw={280}>
                        <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                          {entry.reason}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        {undoable && (
                          <Button
                            size="xs"
                            variant="light"
                            leftSection={<IconArrowBackUp size={14} />}
                            onClick={() => undoing.open(entry)}
                            data-testid="identity-log-unmerge"
                          >
                            {t('customers.identityLog.unmerge')}
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
        <LoadMore {...log} />
      </ListState>
      <ConfirmModal
        opened={undoing.opened}
        title={t('customers.identityLog.unmergeTitle')}
        message={t('customers.identityLog.unmergeBody', { id: undoing.target?.other_customer_id ?? '' })}
        confirmLabel={t('customers.identityLog.unmerge')}
        loading={unmerge.isPending}
        onConfirm={confirmUnmerge}
        onClose={undoing.close}
      />
    </>
  );
}
