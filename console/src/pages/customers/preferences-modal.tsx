/**
 * @module The customer's preferred channel and quiet hours (no marketing between two local times, in their own
 * time zone). Quiet hours need a time zone: the profile's, or one chosen here.
 */
import { Button, Group, Modal, Select, Stack, Switch, Text, TextInput } from '@mantine/core';
import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { useUpdatePreferences } from '../../api/consent';
import { COMMUNICATION_CHANNELS, type ConsentPreferences } from '../../api/customer-types';
import { ErrorAlert } from '../../components/error-alert';
import { notifySuccess } from '../../lib/notify';
import { communicationLabel } from './consent-panel';

const HH_MM = /^([01][0-9]|2[0-3]):[0-5][0-9]$/;
const PROFILE_ZONE = '';

interface Props {
  opened: boolean;
  customerId: string;
  preferences: ConsentPreferences;
  /** The profile's own time zone, used when none is chosen here. */
  customerTimezone: string | null;
  onClose: () => void;
}

export function PreferencesModal(props: Props) {
  const { t } = useTranslation();
  return (
    <Modal opened={props.opened} onClose={props.onClose} title={t('customers.consent.prefs.title')} centered>
      {props.opened && <PreferencesForm {...props} />}
    </Modal>
  );
}

function PreferencesForm({ customerId, preferences, customerTimezone, onClose }: Props) {
  const { t } = useTranslation();
  const save = useUpdatePreferences(customerId);
  const [preferred, setPreferred] = useState<string | null>(preferences.preferred_channel);
  const [quiet, setQuiet] = useState(preferences.quiet_hours !== null);
  const [start, setStart] = useState(preferences.quiet_hours?.start ?? '21:00');
  const [end, setEnd] = useState(preferences.quiet_hours?.end ?? '09:00');
  const [zone, setZone] = useState<string>(preferences.quiet_hours?.timezone ?? PROFILE_ZONE);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});

  const zones = useMemo(() => {
    const all = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : ['UTC'];
    return [
      {
        value: PROFILE_ZONE,
        label: customerTimezone
          ? t('customers.consent.prefs.profileZone', { zone: customerTimezone })
          : t('customers.consent.prefs.profileZoneUnset'),
      },
      ...all.map((z) => ({ value: z, label: z })),
    ];
  }, [customerTimezone, t]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const errors: Record<string, string> = {};
    if (quiet) {
      if (!HH_MM.test(start)) errors.start = t('customers.consent.prefs.timeFormat');
      if (!HH_MM.test(end)) errors.end = t('customers.consent.prefs.timeFormat');
      else if (start === end) errors.end = t('customers.consent.prefs.sameTimes');
      if (zone === PROFILE_ZONE && !customerTimezone)
        errors.timezone = t('customers.consent.prefs.zoneRequired');
    }
    setFieldErrors(errors);
    if (Object.keys(errors).length) return;
    save.mutate(
      {
        preferred_channel: preferred,
        quiet_hours: quiet ? { start, end, timezone: zone === PROFILE_ZONE ? null : zone } : null,
      },
      {
        onSuccess: () => {
          notifySuccess(t('customers.consent.prefs.saved'));
          onClose();
        },
        onError: (error) => {
          // The server names fields as body.quiet_hours.timezone: put each on its input.
          if (!(error instanceof ApiError)) return;
          const mapped: Record<string, string> = {};
          for (const e of error.errors) {
            const last = e.field.split('.').at(-1) ?? '';
            if (last === 'preferred_channel') mapped.preferred = e.message;
            else if (['start', 'end', 'timezone'].includes(last)) mapped[last] = e.message;
          }
          setFieldErrors(mapped);
        },
      },
    );
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm" data-testid="preferences-modal">
        <Select
          label={t('customers.consent.preferredChannel')}
          placeholder={t('customers.consent.none')}
          data={COMMUNICATION_CHANNELS.map((c) => ({ value: c, label: communicationLabel(c) }))}
          value={preferred}
          onChange={setPreferred}
          error={fieldErrors.preferred}
          clearable
          data-testid="preferences-channel"
        />
        <Switch
          label={t('customers.consent.prefs.quietEnabled')}
          description={t('customers.consent.prefs.quietHint')}
          checked={quiet}
          onChange={(event) => setQuiet(event.currentTarget.checked)}
          data-testid="preferences-quiet"
        />
        {quiet && (
          <>
            <Group grow align="flex-start">
              <TextInput
                type="time"
                label={t('customers.consent.prefs.from')}
                value={start}
                onChange={(event) => setStart(event.currentTarget.value)}
                error={fieldErrors.start}
                data-testid="preferences-start"
              />
              <TextInput
                type="time"
                label={t('customers.consent.prefs.to')}
                value={end}
                onChange={(event) => setEnd(event.currentTarget.value)}
                error={fieldErrors.end}
                data-testid="preferences-end"
              />
            </Group>
            <Select
              label={t('customers.consent.prefs.timezone')}
              data={zones}
              value={zone}
              onChange={(value) => setZone(value ?? PROFILE_ZONE)}
              error={fieldErrors.timezone}
              searchable
              allowDeselect={false}
              limit={200}
              data-testid="preferences-timezone"
            />
            <Text size="xs" c="dimmed">
              {t('customers.consent.prefs.postHint')}
            </Text>
          </>
        )}
        {save.error && !Object.keys(fieldErrors).length && <ErrorAlert error={save.error} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={save.isPending} data-testid="preferences-submit">
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
