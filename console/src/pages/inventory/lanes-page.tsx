/**
 * @module Transfer lanes: how long stock takes from one location to another, and optionally the weekdays
 * transfers leave. Pickup-after-transfer promises and checkout's transfers count from a pair's lane; a pair
 * without one uses the global lead time. The pair is a lane's identity: editing changes its hours and days only.
 */
import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Chip,
  Group,
  Modal,
  NumberInput,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
} from '@mantine/core';
import { IconPencil, IconPlus, IconRoute2, IconTrash } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { ApiError } from '../../api/client';
import {
  WEEKDAYS,
  useDeleteTransferLane,
  useSaveTransferLane,
  useTransferLanes,
  type TransferLane,
  type Weekday,
} from '../../api/inventory';
import { ConfirmModal } from '../../components/confirm-modal';
import { ListState, LoadMore } from '../../components/list-state';
import { errorMessage, formFieldName } from '../../lib/errors';
import { notifyError, notifySuccess } from '../../lib/notify';
import { useCan } from '../../lib/permissions';
import { useLocationIndex } from './inventory-display';
import { label, useInventoryT } from './inventory-i18n';
import { LocationRoute } from './location-route';
import { InventoryNav } from './inventory-nav';

/** The lane being edited, or `new` for a new one. */
type Editing = TransferLane | 'new' | null;

export function LanesPage() {
  const { t } = useInventoryT();
  const can = useCan();
  const index = useLocationIndex();
  const list = useTransferLanes();
  const remove = useDeleteTransferLane();
  const [editing, setEditing] = useState<Editing>(null);
  const [deleting, setDeleting] = useState<TransferLane | null>(null);

  const confirmDelete = () =>
    deleting &&
    remove.mutate(deleting.id, {
      onSuccess: () => {
        notifySuccess(t('inventory.lanes.deleted'));
        setDeleting(null);
      },
      onError: (error) => notifyError(error),
    });

  return (
    <>
      <InventoryNav
        active="lanes"
        actions={
          can('inventory:write') && (
            <Button
              leftSection={<IconPlus size={16} />}
              onClick={() => setEditing('new')}
              data-testid="lane-new"
            >
              {t('inventory.lanes.new')}
            </Button>
          )
        }
      />
      <ListState
        isPending={list.isPending}
        error={list.error}
        isEmpty={list.items.length === 0}
        onRetry={() => void list.refetch()}
        emptyTitle={t('inventory.lanes.empty')}
        emptyDescription={t('inventory.lanes.emptyHint')}
        emptyIcon={<IconRoute2 size={28} />}
      >
        <Paper withBorder radius="md">
          <Table.ScrollContainer minWidth={700}>
            <Table striped data-testid="lanes-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('inventory.transfers.route')}</Table.Th>
                  <Table.Th>{t('inventory.lanes.leadTime')}</Table.Th>
                  <Table.Th>{t('inventory.lanes.departs')}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.items.map((lane) => (
                  <Table.Tr key={lane.id} data-testid={`lane-row-${lane.id}`}>
                    <Table.Td>
                      <LocationRoute
                        from={lane.from_location_id}
                        to={lane.to_location_id}
                        nameOf={index.nameOf}
                      />
                    </Table.Td>
                    <Table.Td data-testid="lane-hours">
                      <LeadTime hours={lane.lead_hours} />
                    </Table.Td>
                    <Table.Td>
                      {lane.departure_days ? (
                        <Group gap={4}>
                          {lane.departure_days.map((day) => (
                            <Badge key={day} variant="light" size="sm">
                              {label('weekdaysShort', day)}
                            </Badge>
                          ))}
                        </Group>
                      ) : (
                        <Text size="sm" c="dimmed">
                          {t('inventory.lanes.anyDay')}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td ta="right">
                      {can('inventory:write') && (
                        <Group gap={4} justify="flex-end" wrap="nowrap">
                          <ActionIcon
                            variant="subtle"
                            onClick={() => setEditing(lane)}
                            aria-label={t('inventory.common.edit')}
                            data-testid="lane-edit"
                          >
                            <IconPencil size={16} />
                          </ActionIcon>
                          <ActionIcon
                            variant="subtle"
                            color="red"
                            onClick={() => setDeleting(lane)}
                            aria-label={t('inventory.lanes.delete')}
                            data-testid="lane-delete"
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
          </Table.ScrollContainer>
        </Paper>
        <LoadMore {...list} />
      </ListState>
      <Text size="xs" c="dimmed" mt="sm">
        {t('inventory.lanes.fallback')}
      </Text>
      <Modal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={editing === 'new' ? t('inventory.lanes.newTitle') : t('inventory.lanes.editTitle')}
        size="lg"
        centered
      >
        {editing !== null && (
          <LaneForm lane={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />
        )}
      </Modal>
      <ConfirmModal
        opened={deleting !== null}
        title={t('inventory.lanes.deleteTitle')}
        message={
          deleting &&
          t('inventory.lanes.deleteBody', {
            from: index.nameOf(deleting.from_location_id),
            to: index.nameOf(deleting.to_location_id),
          })
        }
        confirmLabel={t('inventory.lanes.delete')}
        loading={remove.isPending}
        danger
        onConfirm={confirmDelete}
        onClose={() => setDeleting(null)}
      />
    </>
  );
}

/** "24 h", with whole days beside it ("72 h · 3 days"); 0 is "same day". */
function LeadTime({ hours }: { hours: number }) {
  const { t } = useInventoryT();
  if (hours === 0) return <Text size="sm">{t('inventory.lanes.sameDay')}</Text>;
  return (
    <Text size="sm">
      {t('inventory.lanes.hours', { count: hours })}
      {hours % 24 === 0 && (
        <Text span size="xs" c="dimmed">
          {' · '}
          {t('inventory.lanes.days', { count: hours / 24 })}
        </Text>
      )}
    </Text>
  );
}

function LaneForm({ lane, onClose }: { lane: TransferLane | null; onClose: () => void }) {
  const { t } = useInventoryT();
  const index = useLocationIndex();
  const save = useSaveTransferLane();
  const [from, setFrom] = useState<string | null>(lane?.from_location_id ?? null);
  const [to, setTo] = useState<string | null>(lane?.to_location_id ?? null);
  const [hours, setHours] = useState<number | string>(lane?.lead_hours ?? 24);
  const [days, setDays] = useState<string[]>(lane?.departure_days ?? []);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<unknown>(null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setFailure(null);
    const missing: Record<string, string> = {};
    const required = t('inventory.receive.required');
    if (!from) missing.from_location_id = required;
    if (!to) missing.to_location_id = required;
    if (hours === '') missing.lead_hours = required;
    setErrors(missing);
    if (Object.keys(missing).length > 0) return;
    save.mutate(
      {
        ...(lane ? { id: lane.id } : {}),
        from_location_id: from!,
        to_location_id: to!,
        lead_hours: Number(hours),
        // Kept in week order whatever order they were ticked in.
        departure_days: days.length > 0 ? WEEKDAYS.filter((d) => days.includes(d)) : null,
      },
      {
        onSuccess: () => {
          notifySuccess(t('inventory.lanes.saved'));
          onClose();
        },
        onError: (error) => {
          if (error instanceof ApiError)
            setErrors(Object.fromEntries(error.errors.map((e) => [formFieldName(e.field), e.message])));
          setFailure(error);
        },
      },
    );
  };

  return (
    <form onSubmit={submit} noValidate data-testid="lane-form">
      <Stack>
        {failure !== null && (
          <Alert color="red" variant="light" data-testid="lane-error">
            {errorMessage(failure)}
          </Alert>
        )}
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Select
            label={t('inventory.transfers.from')}
            data={index.options}
            value={from}
            onChange={setFrom}
            error={errors.from_location_id}
            disabled={lane !== null}
            searchable
            data-testid="lane-from"
          />
          <Select
            label={t('inventory.transfers.to')}
            data={index.options}
            value={to}
            onChange={setTo}
            error={errors.to_location_id}
            disabled={lane !== null}
            searchable
            data-testid="lane-to"
          />
        </SimpleGrid>
        <NumberInput
          label={t('inventory.lanes.leadHours')}
          description={t('inventory.lanes.leadHoursHint')}
          value={hours}
          onChange={setHours}
          min={0}
          max={1440}
          allowDecimal={false}
          allowNegative={false}
          error={errors.lead_hours}
          data-testid="lane-hours-input"
        />
        <Stack gap={6}>
          <Text size="sm" fw={500}>
            {t('inventory.lanes.departs')}
          </Text>
          <Text size="xs" c="dimmed">
            {t('inventory.lanes.departsHint')}
          </Text>
          <Chip.Group multiple value={days} onChange={setDays}>
            <Group gap={6}>
              {WEEKDAYS.map((day: Weekday) => (
                <Chip key={day} value={day} size="sm" data-testid={`lane-day-${day}`}>
                  {label('weekdaysShort', day)}
                </Chip>
              ))}
            </Group>
          </Chip.Group>
          {errors.departure_days && (
            <Text size="xs" c="red">
              {errors.departure_days}
            </Text>
          )}
        </Stack>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('inventory.common.cancel')}
          </Button>
          <Button type="submit" loading={save.isPending} data-testid="lane-submit">
            {t('inventory.common.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
