/**
 * @module How to reach the customer: preferred channel, quiet hours and the time zone they are kept in. Saved
 * together with one button, because quiet hours mean nothing without a time zone.
 */
import { Button, Group, Paper, Select, Stack, Switch, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import {
  CUSTOMER_CHANNELS,
  type CustomerChannel,
  type Me,
  type usePreferenceActions,
} from '../../api/preferences';
import { notifyError, notifySuccess } from '../../lib/notify';

/**
 * Every IANA zone the browser knows, plus the one shown: browsers list canonical zones only, so a profile's
 * `UTC` or an alias such as `Europe/Kiev` would otherwise show as an empty field.
 */
function timeZones(shown: string | null): string[] {
  const supported = (Intl as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf;
  const zones = supported ? supported('timeZone') : [];
  return shown && !zones.includes(shown) ? [shown, ...zones] : zones;
}

const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

interface ContactSectionProps {
  me: Me;
  actions: ReturnType<typeof usePreferenceActions>;
}

export function ContactSection({ me, actions }: ContactSectionProps) {
  const { t } = useTranslation();
  const quiet = me.preferences.quiet_hours;
  const [preferred, setPreferred] = useState<CustomerChannel | null>(me.preferences.preferred_channel);
  const [quietOn, setQuietOn] = useState(quiet !== null);
  const [start, setStart] = useState(quiet?.start ?? '21:00');
  const [end, setEnd] = useState(quiet?.end ?? '08:00');
  const [zone, setZone] = useState<string | null>(me.customer.timezone ?? quiet?.timezone ?? browserZone());
  const [errors, setErrors] = useState<Record<string, string>>({});

  const save = () => {
    setErrors({});
    if (quietOn && !zone) {
      setErrors({ timezone: t('preferences.contact.timezoneRequired') });
      return;
    }
    actions.savePreferences.mutate(
      {
        preferred_channel: preferred,
        quiet_hours: quietOn ? { start, end } : null,
        ...(zone ? { timezone: zone } : {}),
      },
      {
        onSuccess: () => notifySuccess(t('preferences.contact.saved')),
        onError: (error) => {
          // The server names each bad field (in English); mark that field in the reader's language.
          if (error instanceof ApiError && error.errors.length > 0) {
            const byField: Record<string, string> = {};
            for (const e of error.errors)
              byField[e.field.replace(/^body\./, '')] = t('preferences.contact.invalidField');
            setErrors(byField);
          } else notifyError(error, t('preferences.states.saveFailed'));
        },
      },
    );
  };

  const channelLabel = (channel: CustomerChannel) => t(`preferences.contact.channels.${channel}`);
  return (
    <Paper withBorder radius="md" p="lg" data-testid="preferences-contact">
      <Stack gap="md">
        <Title order={3} size="h4">
          {t('preferences.contact.title')}
        </Title>
        <Select
          label={t('preferences.contact.preferredChannel')}
          data={[
            { value: '', label: t('preferences.contact.noPreference') },
            ...CUSTOMER_CHANNELS.map((channel) => ({ value: channel, label: channelLabel(channel) })),
          ]}
          value={preferred ?? ''}
          onChange={(value) => setPreferred(value ? (value as CustomerChannel) : null)}
          allowDeselect={false}
          error={errors.preferred_channel}
          data-testid="preferred-channel"
        />
        <Switch
          label={t('preferences.contact.quietHours')}
          description={t('preferences.contact.quietHoursHint')}
          checked={quietOn}
          onChange={(event) => setQuietOn(event.currentTarget.checked)}
          data-testid="quiet-hours"
        />
        {quietOn && (
          <Group grow align="flex-start">
            <TextInput
              type="time"
              label={t('preferences.contact.from')}
              value={start}
              onChange={(event) => setStart(event.currentTarget.value)}
              error={errors['quiet_hours.start']}
              data-testid="quiet-start"
            />
            <TextInput
              type="time"
              label={t('preferences.contact.to')}
              value={end}
              onChange={(event) => setEnd(event.currentTarget.value)}
              error={errors['quiet_hours.end']}
              data-testid="quiet-end"
            />
          </Group>
        )}
        <Select
          label={t('preferences.contact.timezone')}
          data={timeZones(zone)}
          value={zone}
          onChange={setZone}
          searchable
          limit={50}
          nothingFoundMessage={t('preferences.contact.noZone')}
          error={errors.timezone}
          data-testid="timezone"
        />
        <Group justify="flex-end">
          <Button onClick={save} loading={actions.savePreferences.isPending} data-testid="save-preferences">
            {t('preferences.contact.save')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
