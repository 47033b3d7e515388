/**
 * @module A customer's consent: the matrix of purposes × communication channels (the newest record of each,
 * coloured by status), the preferred channel and quiet hours, and the full history with its evidence in a
 * drawer. Roles that may change customers click a cell (or "Record a change") to grant, deny or withdraw, and
 * edit the preferences.
 */
import {
  Badge,
  Button,
  Drawer,
  Group,
  Paper,
  Skeleton,
  Stack,
  Table,
  Text,
  Tooltip,
  UnstyledButton,
} from '@mantine/core';
import { IconAdjustments, IconHistory, IconPencil, IconShieldCheck } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useConsentHistory, useConsents } from '../../api/consent';
import {
  COMMUNICATION_CHANNELS,
  CONSENT_PURPOSES,
  type Consent,
  type ConsentRecord,
} from '../../api/customer-types';
import type { Channel } from '../../api/types';
import { ChannelBadge, CommunicationIcon } from '../../components/channel-icon';
import { ErrorAlert } from '../../components/error-alert';
import { ListState, LoadMore } from '../../components/list-state';
import i18n from '../../i18n';
import { formatDateTime } from '../../lib/format';
import { useCan } from '../../lib/permissions';
import { ConsentEditModal, type ConsentTarget } from './consent-edit-modal';
import { PreferencesModal } from './preferences-modal';

export const STATUS_COLORS: Record<string, string> = {
  granted: 'teal',
  denied: 'red',
  withdrawn: 'orange',
  pending_confirmation: 'yellow',
};

const label = (group: string, value: string) =>
  i18n.t(`customers.consent.${group}.${value}` as 'customers.consent.statuses.granted', {
    defaultValue: value,
  });

export const statusLabel = (status: string) => label('statuses', status);
export const purposeLabel = (purpose: string) => label('purposes', purpose);
export const communicationLabel = (channel: string) => label('channels', channel);
const sourceLabel = (source: string) => label('sources', source);
const legalBasisLabel = (basis: string) => label('legalBases', basis);

/** Columns: the purpose as a whole, then each communication channel. */
const COLUMNS: Array<string | null> = [null, ...COMMUNICATION_CHANNELS];

interface Props {
  customerId: string;
  channels: Map<string, Channel>;
  /** The profile's time zone, which quiet hours use unless they name one. */
  customerTimezone?: string | null;
}

export function ConsentPanel({ customerId, channels, customerTimezone = null }: Props) {
  const { t } = useTranslation();
  const matrix = useConsents(customerId);
  const canWrite = useCan()('customers:write');
  const [historyOpened, setHistoryOpened] = useState(false);
  const [editing, setEditing] = useState<{ target: ConsentTarget | null } | null>(null);
  const [prefsOpened, setPrefsOpened] = useState(false);

  if (matrix.isPending) {
    return (
      <Stack gap="xs" data-testid="list-loading" aria-busy="true">
        {CONSENT_PURPOSES.map((purpose) => (
          <Skeleton key={purpose} height={32} />
        ))}
      </Stack>
    );
  }
  if (matrix.error)
    return <ErrorAlert error={matrix.error} onRetry={() => void matrix.refetch()} data-testid="list-error" />;

  const cells = new Map<string, Consent>();
  for (const consent of matrix.data.consents)
    cells.set(`${consent.purpose}|${consent.channel ?? ''}`, consent);
  const { preferences } = matrix.data;

  return (
    <Stack gap="md" data-testid="customer-consent">
      <Group justify="space-between" align="flex-start" wrap="wrap">
        <Text size="sm" c="dimmed" style={{ flex: '1 1 300px' }}>
          {t('customers.consent.legend')} {t('customers.consent.noneLegend')}
        </Text>
        <Group gap="xs">
          {canWrite && (
            <Button
              size="xs"
              variant="light"
              leftSection={<IconPencil size={14} />}
              onClick={() => setEditing({ target: null })}
              data-testid="consent-record-button"
            >
              {t('customers.consent.editing.open')}
            </Button>
          )}
          <Button
            variant="default"
            size="xs"
            leftSection={<IconHistory size={14} />}
            onClick={() => setHistoryOpened(true)}
            data-testid="consent-history-button"
          >
            {t('customers.consent.history')}
          </Button>
        </Group>
      </Group>
      <Paper withBorder radius="md">
        <Table.ScrollContainer type="native" minWidth={860}>
          <Table verticalSpacing="xs" horizontalSpacing="xs" withColumnBorders data-testid="consent-matrix">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('customers.consent.purpose')}</Table.Th>
                {COLUMNS.map((column) => (
                  <Table.Th key={column ?? '*'} ta="center">
                    {column === null ? (
                      <Text size="xs" fw={600}>
                        {t('customers.consent.wholePurpose')}
                      </Text>
                    ) : (
                      <Group gap={4} justify="center" wrap="nowrap">
                        <CommunicationIcon channel={column} size={14} />
                        <Text size="xs" fw={600} style={{ whiteSpace: 'nowrap' }}>
                          {communicationLabel(column)}
                        </Text>
                      </Group>
                    )}
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {CONSENT_PURPOSES.map((purpose) => (
                <Table.Tr key={purpose}>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {purposeLabel(purpose)}
                    </Text>
                  </Table.Td>
                  {COLUMNS.map((column) => (
                    <Table.Td key={column ?? '*'} ta="center">
                      <ConsentCell
                        consent={cells.get(`${purpose}|${column ?? ''}`)}
                        purpose={purpose}
                        column={column}
                        onEdit={
                          canWrite ? () => setEditing({ target: { purpose, channel: column } }) : undefined
                        }
                      />
                    </Table.Td>
                  ))}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Paper>
      <Group gap="xl" wrap="wrap">
        <Stack gap={2}>
          <Text size="xs" c="dimmed">
            {t('customers.consent.preferredChannel')}
          </Text>
          <Text size="sm" data-testid="consent-preferred-channel">
            {preferences.preferred_channel
              ? communicationLabel(preferences.preferred_channel)
              : t('customers.consent.none')}
          </Text>
        </Stack>
        <Stack gap={2}>
          <Text size="xs" c="dimmed">
            {t('customers.consent.quietHours')}
          </Text>
          <Text size="sm" data-testid="consent-quiet-hours">
            {preferences.quiet_hours
              ? t('customers.consent.quietHoursValue', {
                  start: preferences.quiet_hours.start,
                  end: preferences.quiet_hours.end,
                  timezone: preferences.quiet_hours.timezone ?? t('customers.consent.profileTimezone'),
                })
              : t('customers.consent.none')}
          </Text>
        </Stack>
        {canWrite && (
          <Button
            size="xs"
            variant="default"
            leftSection={<IconAdjustments size={14} />}
            onClick={() => setPrefsOpened(true)}
            data-testid="preferences-edit-button"
          >
            {t('customers.consent.prefs.open')}
          </Button>
        )}
      </Group>
      <ConsentEditModal
        opened={editing !== null}
        customerId={customerId}
        target={editing?.target ?? null}
        consents={matrix.data.consents}
        channels={channels}
        onClose={() => setEditing(null)}
      />
      <PreferencesModal
        opened={prefsOpened}
        customerId={customerId}
        preferences={preferences}
        customerTimezone={customerTimezone}
        onClose={() => setPrefsOpened(false)}
      />
      <Drawer
        opened={historyOpened}
        onClose={() => setHistoryOpened(false)}
        title={t('customers.consent.historyTitle')}
        position="right"
        size="lg"
      >
        <ConsentHistory customerId={customerId} channels={channels} enabled={historyOpened} />
      </Drawer>
    </Stack>
  );
}

function ConsentCell({
  consent,
  purpose,
  column,
  onEdit,
}: {
  consent: Consent | undefined;
  purpose: string;
  column: string | null;
  /** Present for roles that may record consent: the cell opens the editor. */
  onEdit: (() => void) | undefined;
}) {
  const { t } = useTranslation();
  const cell = <CellContent consent={consent} purpose={purpose} column={column} />;
  if (!onEdit) return cell;
  return (
    <UnstyledButton
      onClick={onEdit}
      aria-label={t('customers.consent.editing.cellLabel', {
        purpose: purposeLabel(purpose),
        channel: column ? communicationLabel(column) : t('customers.consent.wholePurpose'),
      })}
      data-testid="consent-cell-edit"
      data-purpose={purpose}
      data-channel={column ?? ''}
      style={{ borderRadius: 'var(--mantine-radius-sm)', padding: '2px 4px' }}
    >
      {cell}
    </UnstyledButton>
  );
}

function CellContent({
  consent,
  purpose,
  column,
}: {
  consent: Consent | undefined;
  purpose: string;
  column: string | null;
}) {
  const { t } = useTranslation();
  if (!consent) {
    return (
      <Text
        size="sm"
        c="dimmed"
        aria-label={t('customers.consent.statuses.none')}
        title={t('customers.consent.statuses.none')}
        data-testid="consent-cell"
        data-purpose={purpose}
        data-channel={column ?? ''}
        data-status="none"
      >
        –
      </Text>
    );
  }
  return (
    <Tooltip
      withArrow
      multiline
      w={260}
      label={t('customers.consent.cellTooltip', {
        source: sourceLabel(consent.source.type),
        basis: legalBasisLabel(consent.legal_basis),
        date: formatDateTime(consent.occurred_at),
      })}
    >
      <Badge
        size="sm"
        variant="light"
        color={STATUS_COLORS[consent.status] ?? 'gray'}
        data-testid="consent-cell"
        data-purpose={purpose}
        data-channel={column ?? ''}
        data-status={consent.status}
        style={{ cursor: 'inherit' }}
      >
        {statusLabel(consent.status)}
      </Badge>
    </Tooltip>
  );
}

function ConsentHistory({
  customerId,
  channels,
  enabled,
}: {
  customerId: string;
  channels: Map<string, Channel>;
  enabled: boolean;
}) {
  const { t } = useTranslation();
  const history = useConsentHistory(customerId, enabled);
  return (
    <ListState
      isPending={history.isPending}
      error={history.error}
      onRetry={() => void history.refetch()}
      isEmpty={history.items.length === 0}
      emptyIcon={<IconShieldCheck size={28} />}
      emptyTitle={t('customers.consent.historyEmptyTitle')}
      emptyDescription={t('customers.consent.historyEmptyBody')}
    >
      <Stack gap="sm" data-testid="consent-history">
        {history.items.map((record) => (
          <HistoryRecord key={record.id} record={record} channels={channels} />
        ))}
      </Stack>
      <LoadMore {...history} />
    </ListState>
  );
}

function HistoryRecord({ record, channels }: { record: ConsentRecord; channels: Map<string, Channel> }) {
  const { t } = useTranslation();
  const evidence = Object.entries(record.evidence).filter(([, value]) => value);
  return (
    <Paper withBorder radius="md" p="sm" data-testid="consent-history-record">
      <Group justify="space-between" wrap="wrap" gap="xs">
        <Group gap="xs" wrap="wrap">
          <Text size="sm" fw={500}>
            {purposeLabel(record.purpose)}
            {' · '}
            {record.channel ? communicationLabel(record.channel) : t('customers.consent.wholePurpose')}
          </Text>
          <Badge size="sm" variant="light" color={STATUS_COLORS[record.status] ?? 'gray'}>
            {statusLabel(record.status)}
          </Badge>
        </Group>
        <Text size="xs" c="dimmed">
          {formatDateTime(record.occurred_at)}
        </Text>
      </Group>
      <Group gap="xs" mt={6} wrap="wrap">
        <Text size="xs" c="dimmed">
          {t('customers.consent.source')}: {sourceLabel(record.source.type)}
        </Text>
        {record.source.channel_id && <ChannelBadge id={record.source.channel_id} channels={channels} />}
        <Text size="xs" c="dimmed">
          {t('customers.consent.legalBasis')}: {legalBasisLabel(record.legal_basis)}
        </Text>
      </Group>
      {evidence.length > 0 && (
        <Stack gap={2} mt={6}>
          <Text size="xs" fw={500}>
            {t('customers.consent.evidence')}
          </Text>
          {evidence.map(([key, value]) => (
            <Text key={key} size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
              {key}: {value}
            </Text>
          ))}
        </Stack>
      )}
      <Text size="xs" c="dimmed" mt={6}>
        {t('customers.consent.recorded', { date: formatDateTime(record.recorded_at) })}
      </Text>
    </Paper>
  );
}
