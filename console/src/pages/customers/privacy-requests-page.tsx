/**
 * @module Privacy requests: the customers' erasure requests from the preference centre, pending first, each with
 * the date it must be answered by (one month, GDPR Art. 12(3)) and the days left. Staff with `customers:erase`
 * confirm one (the person is erased everywhere) or reject it for a stated reason.
 */
import {
  Anchor,
  Badge,
  Button,
  Group,
  Paper,
  SegmentedControl,
  Table,
  Text,
  VisuallyHidden,
} from '@mantine/core';
import { IconCheck, IconShieldLock, IconTrash, IconX } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useSearchParams } from 'react-router';
import {
  ERASURE_STATUSES,
  useErasureRequests,
  type ErasureRequest,
  type ErasureStatus,
} from '../../api/privacy-requests';
import { ListState, LoadMore } from '../../components/list-state';
import { PageHeader } from '../../components/page-header';
import { formatDateTime } from '../../lib/format';
import { useCan } from '../../lib/permissions';
import { ct, useCustomerActionsT } from './customer-actions-i18n';
import { ConfirmErasureModal, RejectErasureModal } from './privacy-requests-modals';

const DAY_MS = 24 * 3_600_000;
const STATUS_COLORS: Record<ErasureStatus, string> = {
  pending: 'orange',
  completed: 'gray',
  rejected: 'red',
  cancelled: 'blue',
};

/** "12 days left" / "3 days overdue", and how urgent that is. */
export function dueLabel(dueAt: string, now = Date.now()): { text: string; color: string } {
  const ms = new Date(dueAt).getTime() - now;
  if (ms < 0) {
    return { text: ct('customerActions.requests.overdue', { count: Math.ceil(-ms / DAY_MS) }), color: 'red' };
  }
  const days = Math.ceil(ms / DAY_MS);
  return {
    text: ct('customerActions.requests.daysLeft', { count: days }),
    color: days <= 7 ? 'orange' : 'gray',
  };
}

type Filter = ErasureStatus | 'all';
const isFilter = (value: string | null): value is Filter =>
  value === 'all' || ERASURE_STATUSES.includes(value as ErasureStatus);

export function PrivacyRequestsPage() {
  const can = useCan();
  if (!can('customers:erase')) return <Navigate to="/customers" replace />;
  return <PrivacyRequests />;
}

function PrivacyRequests() {
  const { t } = useTranslation();
  useCustomerActionsT();
  const [params, setParams] = useSearchParams();
  const raw = params.get('status');
  const filter: Filter = isFilter(raw) ? raw : 'pending';
  const requests = useErasureRequests(filter === 'all' ? null : filter);
  const [confirming, setConfirming] = useState<ErasureRequest | null>(null);
  const [rejecting, setRejecting] = useState<ErasureRequest | null>(null);

  const setFilter = (value: string) => {
    const next = new URLSearchParams(params);
    if (value === 'pending') next.delete('status');
    else next.set('status', value);
    setParams(next, { replace: true });
  };

  return (
    <>
      <PageHeader
        title={ct('customerActions.requests.title')}
        description={ct('customerActions.requests.subtitle')}
        order={2}
      />
      <SegmentedControl
        mb="md"
        value={filter}
        onChange={setFilter}
        aria-label={ct('customerActions.requests.filterLabel')}
        data={[...ERASURE_STATUSES, 'all' as const].map((value) => ({
          value,
          label: ct(`customerActions.requests.statuses.${value}`),
        }))}
        data-testid="privacy-requests-filter"
      />
      <ListState
        isPending={requests.isPending}
        error={requests.error}
        onRetry={() => void requests.refetch()}
        isEmpty={requests.items.length === 0}
        emptyIcon={<IconShieldLock size={28} />}
        emptyTitle={
          filter === 'pending'
            ? ct('customerActions.requests.emptyPendingTitle')
            : ct('customerActions.requests.emptyTitle')
        }
        emptyDescription={
          filter === 'pending'
            ? ct('customerActions.requests.emptyPendingBody')
            : ct('customerActions.requests.emptyBody')
        }
      >
        <Paper withBorder radius="md">
          <Table.ScrollContainer type="native" minWidth={860}>
            <Table verticalSpacing="sm" data-testid="privacy-requests-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{ct('customerActions.requests.customer')}</Table.Th>
                  <Table.Th>{ct('customerActions.requests.requested')}</Table.Th>
                  <Table.Th>{ct('customerActions.requests.due')}</Table.Th>
                  <Table.Th>{ct('customerActions.requests.status')}</Table.Th>
                  <Table.Th>
                    <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {requests.items.map((request) => (
                  <RequestRow
                    key={request.id}
                    request={request}
                    onConfirm={() => setConfirming(request)}
                    onReject={() => setRejecting(request)}
                  />
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
        <LoadMore
          hasNextPage={requests.hasNextPage}
          isFetchingNextPage={requests.isFetchingNextPage}
          fetchNextPage={requests.fetchNextPage}
        />
      </ListState>
      <ConfirmErasureModal request={confirming} onClose={() => setConfirming(null)} />
      <RejectErasureModal request={rejecting} onClose={() => setRejecting(null)} />
    </>
  );
}

function RequestRow({
  request,
  onConfirm,
  onReject,
}: {
  request: ErasureRequest;
  onConfirm: () => void;
  onReject: () => void;
}) {
  const pending = request.status === 'pending';
  const due = dueLabel(request.due_at);
  return (
    <Table.Tr data-testid="privacy-request-row" data-request-id={request.id} data-status={request.status}>
      <Table.Td>
        {request.status === 'completed' ? (
          // The profile is gone: its id opens nothing, so it is not a link.
          <Group gap={6} wrap="nowrap">
            <Text size="sm" ff="monospace" c="dimmed">
              {request.customer_id}
            </Text>
            <Badge size="xs" variant="outline" color="gray">
              {ct('customerActions.requests.erasedProfile')}
            </Badge>
          </Group>
        ) : (
          <Anchor
            component={Link}
            to={`/customers/${encodeURIComponent(request.customer_id)}`}
            size="sm"
            ff="monospace"
            data-testid="privacy-request-customer"
          >
            {request.customer_id}
          </Anchor>
        )}
      </Table.Td>
      <Table.Td>
        <Text size="sm">{formatDateTime(request.requested_at)}</Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm">{formatDateTime(request.due_at)}</Text>
        {pending ? (
          <Badge size="sm" variant="light" color={due.color} data-testid="privacy-request-days-left">
            {due.text}
          </Badge>
        ) : (
          request.decided_at && (
            <Text size="xs" c="dimmed">
              {ct('customerActions.requests.decidedOn', { date: formatDateTime(request.decided_at) })}
            </Text>
          )
        )}
      </Table.Td>
      <Table.Td>
        <Badge
          variant="light"
          color={STATUS_COLORS[request.status]}
          leftSection={
            request.status === 'completed' ? (
              <IconCheck size={12} />
            ) : request.status === 'rejected' ? (
              <IconX size={12} />
            ) : null
          }
          data-testid="privacy-request-status"
        >
          {ct(`customerActions.requests.rowStatus.${request.status}`)}
        </Badge>
        {request.reason && (
          <Text size="xs" c="dimmed" mt={4} data-testid="privacy-request-reason">
            {ct(`customerActions.requests.reasons.${request.reason}`)}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        {pending && (
          <Group gap="xs" justify="flex-end" wrap="nowrap">
            <Button size="xs" variant="default" onClick={onReject} data-testid="privacy-request-reject">
              {ct('customerActions.requests.reject')}
            </Button>
            <Button
              size="xs"
              color="red"
              variant="light"
              leftSection={<IconTrash size={14} />}
              onClick={onConfirm}
              data-testid="privacy-request-confirm"
            >
              {ct('customerActions.requests.confirm')}
            </Button>
          </Group>
        )}
      </Table.Td>
    </Table.Tr>
  );
}
