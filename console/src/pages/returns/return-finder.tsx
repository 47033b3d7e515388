/**
 * @module Finding a return at the desk, wherever it was opened (online, by mail, at another store): the open
 * returns newest first, and a search by what the customer brings — email, phone, order number or the return's
 * id. While searching, finished returns (refunding, completed) follow the open ones, so the open one is always on
 * top. Choosing one continues it on the desk (return-progress.tsx).
 */
import { Badge, Paper, Stack, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconSearch } from '@tabler/icons-react';
import { useState } from 'react';
import { useReturns, type Return } from '../../api/returns';
import { ListState, LoadMore } from '../../components/list-state';
import { formatMoney } from '../../lib/format';
import { useLocationIndex } from '../inventory/inventory-display';
import { posLabel, usePosT } from '../pos/pos-i18n';

function ReturnRows({ rows, onOpen }: { rows: Return[]; onOpen: (id: string) => void }) {
  const { t } = usePosT();
  const { nameOf } = useLocationIndex();
  return (
    <Table highlightOnHover>
      <Table.Tbody>
        {rows.map((r) => (
          <Table.Tr
            key={r.id}
            style={{ cursor: 'pointer' }}
            onClick={() => onOpen(r.id)}
            data-testid={`returns-found-${r.id}`}
          >
            <Table.Td>
              <Badge variant="light" color={r.status === 'completed' ? 'gray' : 'blue'}>
                {posLabel('returnStatuses', r.status)}
              </Badge>
            </Table.Td>
            <Table.Td fw={600}>{r.order_display_number}</Table.Td>
            <Table.Td>{new Date(r.requested_at).toLocaleDateString()}</Table.Td>
            <Table.Td>
              {r.method === 'mail' ? t('pos.returns.byMail') : t('pos.returns.inStore')}
              {' · '}
              {r.location_id ? nameOf(r.location_id) : t('pos.returns.notReceived')}
            </Table.Td>
            <Table.Td>
              <Text span ff="monospace" size="xs" c="dimmed">
                {r.id}
              </Text>
            </Table.Td>
            <Table.Td ta="right">{formatMoney(r.refund_total)}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

export function ReturnFinder({ onOpen }: { onOpen: (id: string) => void }) {
  const { t } = usePosT();
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 300);
  const filter = q ? { q } : {};
  const open = useReturns({ ...filter, open: true });
  // Without a search the desk shows the work in hand only; with one, what the customer returned before too.
  const finished = useReturns({ ...filter, open: false }, { enabled: Boolean(q) });
  const finishedRows = q ? finished.items : [];
  return (
    <Paper withBorder radius="md" p="sm" data-testid="returns-list">
      <TextInput
        label={t('pos.returns.findReturn')}
        placeholder={t('pos.returns.findPlaceholder')}
        leftSection={<IconSearch size={16} />}
        value={search}
        onChange={(e) => setSearch(e.currentTarget.value)}
        mb="sm"
        data-testid="returns-search"
      />
      <ListState
        isPending={open.isPending || (Boolean(q) && finished.isPending)}
        error={open.error ?? (q ? finished.error : null)}
        isEmpty={open.items.length === 0 && finishedRows.length === 0}
        onRetry={() => {
          void open.refetch();
          if (q) void finished.refetch();
        }}
        emptyTitle={q ? t('pos.returns.noneFound', { q }) : t('pos.returns.noneOpen')}
        emptyDescription={q ? t('pos.returns.noneFoundHint') : t('pos.returns.noneOpenHint')}
      >
        <Stack gap="xs">
          {open.items.length > 0 && (
            <>
              <Text size="sm" fw={600}>
                {t('pos.returns.openReturns')}
              </Text>
              <ReturnRows rows={open.items} onOpen={onOpen} />
              <LoadMore {...open} />
            </>
          )}
          {finishedRows.length > 0 && (
            <>
              <Text size="sm" fw={600} c="dimmed">
                {t('pos.returns.finishedReturns')}
              </Text>
              <ReturnRows rows={finishedRows} onOpen={onOpen} />
              <LoadMore {...finished} />
            </>
          )}
        </Stack>
      </ListState>
    </Paper>
  );
}
