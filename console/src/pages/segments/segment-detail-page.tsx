/**
 * @module One segment (`/segments/:id`): how many customers are in it now, its rule in words, and its members,
 * each opening their Customer 360. Edit opens the builder; delete asks first.
 */
import {
  Anchor,
  Button,
  Grid,
  Group,
  Paper,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { IconArrowLeft, IconPencil, IconTrash, IconUsers } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { useDeleteSegment, useSegment, useSegmentMembers, type Segment } from '../../api/segments';
import { ConfirmModal } from '../../components/confirm-modal';
import { ErrorAlert } from '../../components/error-alert';
import { ListState, LoadMore } from '../../components/list-state';
import { formatDateTime, formatNumber } from '../../lib/format';
import { notifyError, notifySuccess } from '../../lib/notify';
import { useCan } from '../../lib/permissions';
import { useChannelMap } from '../customers/customer-display';
import { RuleSummary } from './rule-summary';
import { st } from './segments-i18n';

export function SegmentDetailPage() {
  useTranslation(); // re-renders on a language change
  const { id = '' } = useParams();
  const segment = useSegment(id);
  return (
    <Stack gap="md">
      <Anchor component={Link} to="/segments" size="sm" data-testid="segment-back">
        <Group gap={4}>
          <IconArrowLeft size={14} />
          {st('segments.back')}
        </Group>
      </Anchor>
      {segment.isPending ? (
        <Stack aria-busy="true" data-testid="segment-loading">
          <Skeleton height={36} width="40%" />
          <Skeleton height={200} />
        </Stack>
      ) : segment.error ? (
        <ErrorAlert
          error={segment.error}
          onRetry={() => void segment.refetch()}
          data-testid="segment-error"
        />
      ) : (
        <SegmentView segment={segment.data} />
      )}
    </Stack>
  );
}

function SegmentView({ segment }: { segment: Segment }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const can = useCan();
  const channels = useChannelMap();
  const remove = useDeleteSegment();
  const [deleteOpened, setDeleteOpened] = useState(false);

  const doDelete = () =>
    remove.mutate(segment.id, {
      onSuccess: () => {
        notifySuccess(st('segments.deleted'));
        void navigate('/segments', { replace: true });
      },
      onError: (error) => notifyError(error, st('segments.deleteFailed')),
    });

  return (
    <>
      <Group justify="space-between" align="flex-start" wrap="wrap" gap="sm">
        <Stack gap={4} style={{ flex: '1 1 320px', minWidth: 0 }}>
          <Title order={2} data-testid="segment-title" style={{ overflowWrap: 'anywhere' }}>
            {segment.name}
          </Title>
          {segment.description && (
            <Text size="sm" c="dimmed">
              {segment.description}
            </Text>
          )}
        </Stack>
        {can('campaigns:write') && (
          <Group gap="xs">
            <Button
              variant="default"
              leftSection={<IconPencil size={16} />}
              component={Link}
              to={`/segments/${segment.id}/edit`}
              data-testid="segment-edit-button"
            >
              {t('common.edit')}
            </Button>
            <Button
              color="red"
              variant="light"
              leftSection={<IconTrash size={16} />}
              onClick={() => setDeleteOpened(true)}
              data-testid="segment-delete-button"
            >
              {t('common.delete')}
            </Button>
          </Group>
        )}
      </Group>

      <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md">
        <Stat label={st('segments.members')} testId="segment-member-count">
          <Text fz={28} fw={650} style={{ fontVariantNumeric: 'tabular-nums' }}>
            {formatNumber(segment.member_count)}
          </Text>
        </Stat>
        <Stat label={t('common.updated')}>
          <Text size="sm">{formatDateTime(segment.updated_at)}</Text>
        </Stat>
        <Stat label={st('segments.evaluated')}>
          <Text size="sm">{formatDateTime(segment.evaluated_at)}</Text>
          <Text size="xs" c="dimmed">
            {st('segments.evaluatedHint')}
          </Text>
        </Stat>
      </SimpleGrid>

      <Grid gap="md" align="flex-start">
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Paper withBorder radius="md" p="md">
            <Text fw={600} mb="sm">
              {st('segments.rule')}
            </Text>
            <RuleSummary rule={segment.rule} channels={channels} />
          </Paper>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Paper withBorder radius="md" p="md">
            <Text fw={600} mb="sm">
              {st('segments.membersTitle')}
            </Text>
            {can('customers:read') ? (
              <Members segmentId={segment.id} />
            ) : (
              <Text size="sm" c="dimmed">
                {st('segments.membersNoAccess')}
              </Text>
            )}
          </Paper>
        </Grid.Col>
      </Grid>

      <ConfirmModal
        opened={deleteOpened}
        title={st('segments.deleteTitle')}
        message={st('segments.deleteBody', { name: segment.name })}
        confirmLabel={t('common.delete')}
        danger
        loading={remove.isPending}
        onConfirm={doDelete}
        onClose={() => setDeleteOpened(false)}
      />
    </>
  );
}

function Stat({ label, children, testId }: { label: string; children: React.ReactNode; testId?: string }) {
  return (
    <Paper withBorder radius="md" p="md" data-testid={testId}>
      <Text size="xs" c="dimmed" fw={500} tt="uppercase">
        {label}
      </Text>
      {children}
    </Paper>
  );
}

function Members({ segmentId }: { segmentId: string }) {
  const { t } = useTranslation();
  const members = useSegmentMembers(segmentId);
  return (
    <ListState
      isPending={members.isPending}
      error={members.error}
      onRetry={() => void members.refetch()}
      isEmpty={members.items.length === 0}
      emptyIcon={<IconUsers size={28} />}
      emptyTitle={st('segments.membersEmptyTitle')}
      emptyDescription={st('segments.membersEmptyBody')}
    >
      <Table verticalSpacing="xs" data-testid="segment-members">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('customers.name')}</Table.Th>
            <Table.Th>{st('segments.since')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {members.items.map((member) => {
            const name = [member.first_name, member.last_name].filter(Boolean).join(' ');
            return (
              <Table.Tr
                key={member.customer_id}
                data-testid="segment-member"
                data-customer-id={member.customer_id}
              >
                <Table.Td>
                  <Anchor
                    component={Link}
                    to={`/customers/${member.customer_id}`}
                    size="sm"
                    data-testid="segment-member-link"
                  >
                    {name || t('customers.unnamed')}
                  </Anchor>
                </Table.Td>
                <Table.Td>
                  <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                    {formatDateTime(member.since)}
                  </Text>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
      <LoadMore {...members} />
    </ListState>
  );
}
