/**
 * @module The fields of one builder condition, per type: which event, where and how often and how recently;
 * which consent; which trait compared how; which identifier; which channel used; which profile facts.
 * Every field is a plain form control over the condition's draft (see rule-model.ts).
 */
import {
  Autocomplete,
  Group,
  NumberInput,
  SegmentedControl,
  Select,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { COMMUNICATION_CHANNELS, CONSENT_PURPOSES } from '../../api/customer-types';
import {
  COMPARISON_OPS,
  CONSENT_CONDITION_STATUSES,
  TRACKING_KINDS,
  TRAIT_OPS,
  useDomainEventTypes,
} from '../../api/segments';
import { CHANNEL_KINDS, type Channel } from '../../api/types';
import { useCan } from '../../lib/permissions';
import { communicationLabel, purposeLabel, statusLabel } from '../customers/consent-panel';
import { IDENTIFIER_TYPES, identifierTypeLabel } from '../customers/identifier-types';
import { channelKindLabel, opLabel, trackingKindLabel } from './describe';
import type { ConditionDraft } from './rule-model';
import { st, type SegmentsKey } from './segments-i18n';

/** Names from Segment's e-commerce spec that shops and tills send; any other name can be typed. */
const TRACKING_EVENT_NAMES = [
  'Order Completed',
  'Product Viewed',
  'Product Added',
  'Cart Viewed',
  'Checkout Started',
  'Order Refunded',
  'Signed Up',
];

const MAX_DAYS = 3650;

interface Props {
  draft: ConditionDraft;
  onChange: (patch: Partial<ConditionDraft>) => void;
  channels: Channel[];
}

export function ConditionFields(props: Props) {
  switch (props.draft.type) {
    case 'event':
      return <EventFields {...props} />;
    case 'consent':
      return <ConsentFields {...props} />;
    case 'trait':
      return <TraitFields {...props} />;
    case 'identifier':
      return <IdentifierFields {...props} />;
    case 'channel_used':
      return <ChannelField {...props} required />;
    case 'profile':
      return <ProfileFields {...props} />;
  }
}

function ChannelField({ draft, onChange, channels, required }: Props & { required?: boolean }) {
  useTranslation(); // re-renders on a language change
  return (
    <Select
      label={st('segments.fields.channel')}
      placeholder={required ? st('segments.fields.chooseChannel') : st('segments.fields.anyChannel')}
      data={[
        {
          group: st('segments.fields.channelKinds'),
          items: CHANNEL_KINDS.map((kind) => ({ value: `kind:${kind}`, label: channelKindLabel(kind) })),
        },
        {
          group: st('segments.fields.channels'),
          items: channels.map((c) => ({ value: `id:${c.id}`, label: c.name })),
        },
      ]}
      value={draft.channel || null}
      onChange={(value) => onChange({ channel: value ?? '' })}
      clearable={!required}
      searchable
      w={230}
      data-testid="condition-channel"
    />
  );
}

function EventFields({ draft, onChange, channels }: Props) {
  useTranslation(); // re-renders on a language change
  const can = useCan();
  const eventTypes = useDomainEventTypes(draft.source === 'domain' && can('webhooks:read'));
  const domainNames = (eventTypes.data?.data ?? [])
    .map((e) => e.type)
    .filter((type) => !type.startsWith('segment.'));
  return (
    <>
      <Group gap="sm" align="flex-end" wrap="wrap">
        <Stack gap={4}>
          <Text size="sm" fw={500} component="span">
            {st('segments.fields.source')}
          </Text>
          <SegmentedControl
            size="sm"
            data={[
              { value: 'tracking', label: st('segments.fields.tracking') },
              { value: 'domain', label: st('segments.fields.domain') },
            ]}
            value={draft.source}
            onChange={(value) =>
              onChange({ source: value as ConditionDraft['source'], name: '', eventKind: '' })
            }
            data-testid="condition-source"
          />
        </Stack>
        <Autocomplete
          label={st('segments.fields.eventName')}
          placeholder={draft.source === 'domain' ? 'order.placed' : 'Order Completed'}
          data={draft.source === 'domain' ? domainNames : TRACKING_EVENT_NAMES}
          value={draft.name}
          onChange={(name) => onChange({ name })}
          maxLength={200}
          w={220}
          data-testid="condition-event-name"
        />
        {draft.source === 'tracking' ? (
          <Select
            label={st('segments.fields.eventKind')}
            placeholder={st('segments.fields.anyKind')}
            data={TRACKING_KINDS.map((kind) => ({ value: kind, label: trackingKindLabel(kind) }))}
            value={draft.eventKind || null}
            onChange={(value) => onChange({ eventKind: value ?? '' })}
            clearable
            w={160}
            data-testid="condition-event-kind"
          />
        ) : (
          <TextInput
            label={st('segments.fields.eventNoun')}
            placeholder="order"
            value={draft.eventKind}
            onChange={(event) => onChange({ eventKind: event.currentTarget.value })}
            maxLength={40}
            w={140}
            data-testid="condition-event-kind"
          />
        )}
      </Group>
      <Group gap="sm" align="flex-end" wrap="wrap">
        <ChannelField draft={draft} onChange={onChange} channels={channels} />
        <Select
          label={st('segments.fields.count')}
          data={COMPARISON_OPS.map((op) => ({
            value: op,
            label: st(`segments.countOps.${op}` as SegmentsKey),
          }))}
          value={draft.countOp}
          onChange={(value) => value && onChange({ countOp: value as ConditionDraft['countOp'] })}
          allowDeselect={false}
          w={140}
          data-testid="condition-count-op"
        />
        <NumberInput
          aria-label={st('segments.fields.times')}
          rightSection={st('segments.fields.timesSuffix')}
          rightSectionWidth={56}
          value={draft.countValue}
          onChange={(value) => onChange({ countValue: value === '' ? '' : Number(value) })}
          min={0}
          max={1_000_000}
          allowDecimal={false}
          allowNegative={false}
          w={110}
          data-testid="condition-count-value"
        />
        <Select
          label={st('segments.fields.when')}
          data={[
            { value: 'ever', label: st('segments.fields.ever') },
            { value: 'window', label: st('segments.fields.lastDays') },
          ]}
          value={draft.windowDays === '' ? 'ever' : 'window'}
          onChange={(value) => onChange({ windowDays: value === 'window' ? 30 : '' })}
          allowDeselect={false}
          w={170}
          data-testid="condition-when"
        />
        {draft.windowDays !== '' && (
          <NumberInput
            aria-label={st('segments.fields.days')}
            rightSection={st('segments.fields.daysSuffix')}
            rightSectionWidth={56}
            value={draft.windowDays}
            onChange={(value) => onChange({ windowDays: value === '' ? 1 : Number(value) })}
            min={1}
            max={MAX_DAYS}
            allowDecimal={false}
            allowNegative={false}
            clampBehavior="strict"
            w={120}
            data-testid="condition-window-days"
          />
        )}
      </Group>
    </>
  );
}

function ConsentFields({ draft, onChange }: Props) {
  const { t } = useTranslation();
  return (
    <Group gap="sm" align="flex-end" wrap="wrap">
      <Select
        label={t('customers.consent.purpose')}
        data={CONSENT_PURPOSES.map((p) => ({ value: p, label: purposeLabel(p) }))}
        value={draft.purpose}
        onChange={(value) => value && onChange({ purpose: value })}
        allowDeselect={false}
        w={180}
        data-testid="condition-consent-purpose"
      />
      <Select
        label={st('segments.fields.consentChannel')}
        data={[
          { value: '*', label: t('customers.consent.wholePurpose') },
          ...COMMUNICATION_CHANNELS.map((c) => ({ value: c, label: communicationLabel(c) })),
        ]}
        value={draft.consentChannel || '*'}
        onChange={(value) => onChange({ consentChannel: !value || value === '*' ? '' : value })}
        allowDeselect={false}
        w={180}
        data-testid="condition-consent-channel"
      />
      <Select
        label={st('segments.fields.status')}
        data={CONSENT_CONDITION_STATUSES.map((s) => ({ value: s, label: statusLabel(s) }))}
        value={draft.status}
        onChange={(value) => value && onChange({ status: value as ConditionDraft['status'] })}
        allowDeselect={false}
        w={160}
        data-testid="condition-consent-status"
      />
    </Group>
  );
}

function TraitFields({ draft, onChange }: Props) {
  useTranslation(); // re-renders on a language change
  return (
    <Group gap="sm" align="flex-end" wrap="wrap">
      <TextInput
        label={st('segments.fields.traitKey')}
        placeholder="tier"
        description={st('segments.fields.traitKeyHint')}
        value={draft.key}
        onChange={(event) => onChange({ key: event.currentTarget.value })}
        maxLength={320}
        w={200}
        data-testid="condition-trait-key"
      />
      <Select
        label={st('segments.fields.op')}
        data={TRAIT_OPS.map((op) => ({ value: op, label: opLabel(op) }))}
        value={draft.op}
        onChange={(value) => value && onChange({ op: value as ConditionDraft['op'] })}
        allowDeselect={false}
        w={150}
        data-testid="condition-trait-op"
      />
      {draft.op !== 'exists' && (
        <>
          <Select
            label={st('segments.fields.valueType')}
            data={(['text', 'number', 'boolean'] as const)
              .filter((type) => draft.op !== 'contains' || type === 'text')
              .map((type) => ({ value: type, label: st(`segments.valueTypes.${type}` as SegmentsKey) }))}
            value={draft.op === 'contains' ? 'text' : draft.valueType}
            onChange={(value) =>
              value &&
              onChange({
                valueType: value as ConditionDraft['valueType'],
                value: value === 'boolean' ? 'true' : '',
              })
            }
            allowDeselect={false}
            w={130}
            data-testid="condition-trait-value-type"
          />
          {draft.valueType === 'boolean' && draft.op !== 'contains' ? (
            <Select
              label={st('segments.fields.value')}
              data={[
                { value: 'true', label: st('segments.valueTypes.true') },
                { value: 'false', label: st('segments.valueTypes.false') },
              ]}
              value={draft.value || 'true'}
              onChange={(value) => value && onChange({ value })}
              allowDeselect={false}
              w={120}
              data-testid="condition-trait-value"
            />
          ) : (
            <TextInput
              label={st('segments.fields.value')}
              value={draft.value}
              inputMode={draft.valueType === 'number' ? 'decimal' : undefined}
              onChange={(event) => onChange({ value: event.currentTarget.value })}
              maxLength={500}
              w={180}
              data-testid="condition-trait-value"
            />
          )}
        </>
      )}
    </Group>
  );
}

function IdentifierFields({ draft, onChange }: Props) {
  const { t } = useTranslation();
  return (
    <Group gap="sm" align="flex-end" wrap="wrap">
      <Autocomplete
        label={t('customers.identifierType')}
        data={IDENTIFIER_TYPES.map((type) => ({ value: type, label: identifierTypeLabel(type) }))}
        value={draft.identifierType}
        onChange={(identifierType) => onChange({ identifierType })}
        maxLength={64}
        w={200}
        data-testid="condition-identifier-type"
      />
      <TextInput
        label={st('segments.fields.identifierValue')}
        placeholder={st('segments.fields.anyValue')}
        value={draft.identifierValue}
        onChange={(event) => onChange({ identifierValue: event.currentTarget.value })}
        maxLength={500}
        w={240}
        data-testid="condition-identifier-value"
      />
    </Group>
  );
}

function ProfileFields({ draft, onChange }: Props) {
  useTranslation(); // re-renders on a language change
  const days = (value: string | number) =>
    value === '' ? '' : Math.max(1, Math.min(MAX_DAYS, Number(value)));
  return (
    <Group gap="sm" align="flex-end" wrap="wrap">
      <Select
        label={st('segments.fields.restricted')}
        data={[
          { value: 'any', label: st('segments.fields.either') },
          { value: 'false', label: st('segments.fields.notRestricted') },
          { value: 'true', label: st('segments.fields.onlyRestricted') },
        ]}
        value={draft.restricted || 'any'}
        onChange={(value) =>
          onChange({ restricted: !value || value === 'any' ? '' : (value as 'true' | 'false') })
        }
        allowDeselect={false}
        w={200}
        data-testid="condition-profile-restricted"
      />
      <NumberInput
        label={st('segments.fields.createdWithin')}
        rightSection={st('segments.fields.daysSuffix')}
        rightSectionWidth={56}
        value={draft.createdWithinDays}
        onChange={(value) => onChange({ createdWithinDays: days(value) })}
        min={1}
        max={MAX_DAYS}
        allowDecimal={false}
        allowNegative={false}
        w={170}
        data-testid="condition-profile-created"
      />
      <NumberInput
        label={st('segments.fields.seenWithin')}
        rightSection={st('segments.fields.daysSuffix')}
        rightSectionWidth={56}
        value={draft.lastSeenWithinDays}
        onChange={(value) => onChange({ lastSeenWithinDays: days(value) })}
        min={1}
        max={MAX_DAYS}
        allowDecimal={false}
        allowNegative={false}
        w={170}
        data-testid="condition-profile-seen"
      />
    </Group>
  );
}
