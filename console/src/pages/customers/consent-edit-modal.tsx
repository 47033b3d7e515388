/**
 * @module Recording a consent change by hand: a purpose (and channel), granted, denied or withdrawn, where it
 * came from (staff by default — the customer told someone), the legal basis and the evidence a regulator would
 * ask for. The record joins the history; the matrix shows it when it is the newest. Email marketing for an
 * unverified address waits for the customer's double opt-in, and the modal says so.
 */
import {
  Alert,
  Button,
  Group,
  Modal,
  SegmentedControl,
  Select,
  Stack,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useRecordConsent, type ConsentChange } from '../../api/consent';
import { COMMUNICATION_CHANNELS, CONSENT_PURPOSES, type Consent } from '../../api/customer-types';
import type { Channel } from '../../api/types';
import { ErrorAlert } from '../../components/error-alert';
import { formatDateTime } from '../../lib/format';
import { notifySuccess } from '../../lib/notify';
import i18n from '../../i18n';
import { communicationLabel, purposeLabel, statusLabel } from './consent-panel';

const SOURCES = ['staff', 'customer', 'channel', 'import'] as const;
const LEGAL_BASES = [
  'consent',
  'contract',
  'legal_obligation',
  'vital_interests',
  'public_task',
  'legitimate_interests',
] as const;
type Status = ConsentChange['status'];

const legalBasisLabel = (basis: string) =>
  i18n.t(`customers.consent.legalBases.${basis}` as 'customers.consent.legalBases.consent');

export interface ConsentTarget {
  purpose: string;
  /** null: the purpose as a whole. */
  channel: string | null;
}

interface Props {
  opened: boolean;
  customerId: string;
  /** The cell clicked, or null for "Record a change" (marketing by email by default). */
  target: ConsentTarget | null;
  /** The current matrix, to show what stands now for the chosen cell. */
  consents: Consent[];
  channels: Map<string, Channel>;
  onClose: () => void;
}

export function ConsentEditModal(props: Props) {
  const { t } = useTranslation();
  return (
    <Modal
      opened={props.opened}
      onClose={props.onClose}
      title={t('customers.consent.editing.title')}
      size="lg"
      centered
    >
      {props.opened && <ConsentEditForm {...props} />}
    </Modal>
  );
}

function ConsentEditForm({ customerId, target, consents, channels, onClose }: Props) {
  const { t } = useTranslation();
  const record = useRecordConsent(customerId);
  const [purpose, setPurpose] = useState(target?.purpose ?? 'marketing');
  const [channel, setChannel] = useState<string>(target ? (target.channel ?? '*') : 'email');
  const current = consents.find((c) => c.purpose === purpose && (c.channel ?? '*') === channel);
  const [status, setStatus] = useState<Status>(current?.status === 'granted' ? 'withdrawn' : 'granted');
  const [source, setSource] = useState<(typeof SOURCES)[number]>('staff');
  const [sourceChannel, setSourceChannel] = useState<string | null>(null);
  const [legalBasis, setLegalBasis] = useState<string | null>(null);
  const [wording, setWording] = useState('');
  const [note, setNote] = useState('');
  const [sourceChannelError, setSourceChannelError] = useState<string | null>(null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (source === 'channel' && !sourceChannel) {
      setSourceChannelError(t('customers.consent.editing.sourceChannelRequired'));
      return;
    }
    const evidence = {
      ...(wording.trim() ? { wording: wording.trim() } : {}),
      ...(note.trim() ? { note: note.trim() } : {}),
    };
    const change: ConsentChange = {
      purpose,
      ...(channel !== '*' ? { channel } : {}),
      status,
      source: { type: source, ...(source === 'channel' ? { channel_id: sourceChannel } : {}) },
      ...(legalBasis ? { legal_basis: legalBasis } : {}),
      ...(Object.keys(evidence).length ? { evidence } : {}),
    };
    record.mutate([change], {
      onSuccess: (result) => {
        const recorded = result.consents[0];
        if (recorded?.status === 'pending_confirmation')
          notifySuccess(t('customers.consent.editing.pending'));
        else if (recorded && !recorded.current) notifySuccess(t('customers.consent.editing.superseded'));
        else notifySuccess(t('customers.consent.editing.recorded'));
        onClose();
      },
    });
  };

  const statusColors: Record<Status, string> = { granted: 'teal', denied: 'red', withdrawn: 'orange' };

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm" data-testid="consent-edit-modal">
        <Group grow align="flex-start">
          <Select
            label={t('customers.consent.purpose')}
            data={CONSENT_PURPOSES.map((p) => ({ value: p, label: purposeLabel(p) }))}
            value={purpose}
            onChange={(value) => value && setPurpose(value)}
            allowDeselect={false}
            data-testid="consent-edit-purpose"
          />
          <Select
            label={t('customers.consent.editing.channel')}
            data={[
              { value: '*', label: t('customers.consent.wholePurpose') },
              ...COMMUNICATION_CHANNELS.map((c) => ({ value: c, label: communicationLabel(c) })),
            ]}
            value={channel}
            onChange={(value) => value && setChannel(value)}
            allowDeselect={false}
            data-testid="consent-edit-channel"
          />
        </Group>
        <Text size="sm" c="dimmed" data-testid="consent-edit-current">
          {current
            ? t('customers.consent.editing.now', {
                status: statusLabel(current.status),
                date: formatDateTime(current.occurred_at),
              })
            : t('customers.consent.editing.nowNone')}
        </Text>
        <Stack gap={4}>
          <Text size="sm" fw={500}>
            {t('customers.consent.editing.newStatus')}
          </Text>
          <SegmentedControl
            fullWidth
            color={statusColors[status]}
            data={(['granted', 'denied', 'withdrawn'] as const).map((s) => ({
              value: s,
              label: statusLabel(s),
            }))}
            value={status}
            onChange={(value) => setStatus(value as Status)}
            data-testid="consent-edit-status"
          />
        </Stack>
        <Group grow align="flex-start">
          <Select
            label={t('customers.consent.source')}
            data={SOURCES.map((s) => ({
              value: s,
              label: t(`customers.consent.sources.${s}`),
            }))}
            value={source}
            onChange={(value) => {
              if (!value) return;
              setSource(value as (typeof SOURCES)[number]);
              setSourceChannelError(null);
            }}
            allowDeselect={false}
            data-testid="consent-edit-source"
          />
          {source === 'channel' ? (
            <Select
              label={t('customers.consent.editing.sourceChannel')}
              data={[...channels.values()].map((c) => ({ value: c.id, label: c.name }))}
              value={sourceChannel}
              onChange={(value) => {
                setSourceChannel(value);
                setSourceChannelError(null);
              }}
              error={sourceChannelError}
              searchable
              required
              data-testid="consent-edit-source-channel"
            />
          ) : (
            <Select
              label={t('customers.consent.legalBasis')}
              placeholder={t('customers.consent.editing.legalBasisDefault', {
                basis: legalBasisLabel(purpose === 'service' ? 'contract' : 'consent'),
              })}
              data={LEGAL_BASES.map((b) => ({ value: b, label: legalBasisLabel(b) }))}
              value={legalBasis}
              onChange={setLegalBasis}
              clearable
              data-testid="consent-edit-legal-basis"
            />
          )}
        </Group>
        <TextInput
          label={t('customers.consent.editing.wording')}
          description={t('customers.consent.editing.wordingHint')}
          value={wording}
          onChange={(event) => setWording(event.currentTarget.value)}
          maxLength={4000}
          data-testid="consent-edit-wording"
        />
        <Textarea
          label={t('customers.consent.editing.note')}
          placeholder={t('customers.consent.editing.notePlaceholder')}
          value={note}
          onChange={(event) => setNote(event.currentTarget.value)}
          maxLength={2000}
          autosize
          minRows={2}
          data-testid="consent-edit-note"
        />
        {purpose === 'marketing' && channel === 'email' && status === 'granted' && (
          <Alert variant="light" color="yellow" data-testid="consent-edit-doi-hint">
            {t('customers.consent.editing.doiHint')}
          </Alert>
        )}
        {record.error && <ErrorAlert error={record.error} data-testid="consent-edit-error" />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={record.isPending} data-testid="consent-edit-submit">
            {t('customers.consent.editing.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
