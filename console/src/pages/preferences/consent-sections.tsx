/**
 * @module The switches of the preference centre: offers per channel (marketing consent per channel) and the
 * uses of data the customer decides on. Each switch's label is the wording recorded as evidence when it changes.
 */
import { Alert, Badge, Group, Paper, Stack, Switch, Text, Title } from '@mantine/core';
import { IconInfoCircle } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  CUSTOMER_CHANNELS,
  CUSTOMER_PURPOSES,
  WORDING_VERSION,
  type ConsentChange,
  type CustomerChannel,
  type CustomerPurpose,
  type Me,
  type usePreferenceActions,
} from '../../api/preferences';
import { currentLanguage } from '../../i18n';
import { notifyError } from '../../lib/notify';

type Consents = Me['consents'];
type Actions = ReturnType<typeof usePreferenceActions>;

const negative = (status: string | undefined) => status === 'denied' || status === 'withdrawn';

/**
 * The status that decides for a purpose and channel, as the server's `can()` reads it: the channel's own
 * record, unless a newer purpose-wide refusal stands over it.
 */
export function statusOf(consents: Consents, purpose: string, channel: string | null): string | undefined {
  const own = consents.find((c) => c.purpose === purpose && c.channel === channel);
  if (channel === null) return own?.status;
  const wide = consents.find((c) => c.purpose === purpose && c.channel === null);
  if (wide && negative(wide.status) && (!own || wide.occurred_at > own.occurred_at)) return wide.status;
  return own?.status;
}

interface SectionProps {
  me: Me;
  actions: Actions;
}

/** One switch; while its change is on the way it shows the state asked for. */
function ConsentSwitch(props: {
  testId: string;
  label: string;
  status: string | undefined;
  onChange: (granted: boolean) => Promise<void>;
}) {
  const { t } = useTranslation();
  const [asked, setAsked] = useState<boolean | null>(null);
  const pending = props.status === 'pending_confirmation';
  const checked = asked ?? props.status === 'granted';
  return (
    <Group justify="space-between" wrap="nowrap" gap="md">
      <Stack gap={2}>
        <Text size="sm">{props.label}</Text>
        {pending && (
          <Group gap={6}>
            <Badge color="yellow" variant="light" size="sm">
              {t('preferences.offers.pending')}
            </Badge>
            <Text size="xs" c="dimmed">
              {t('preferences.offers.pendingHint')}
            </Text>
          </Group>
        )}
      </Stack>
      <Switch
        size="md"
        checked={checked}
        disabled={asked !== null}
        aria-label={props.label}
        data-testid={props.testId}
        data-status={props.status ?? 'none'}
        onChange={(event) => {
          const granted = event.currentTarget.checked;
          setAsked(granted);
          void props.onChange(granted).finally(() => setAsked(null));
        }}
      />
    </Group>
  );
}

function useRecord(actions: Actions) {
  const { t } = useTranslation();
  const [confirmationSent, setConfirmationSent] = useState(false);
  const record = async (change: Omit<ConsentChange, 'evidence'>, wording: string) => {
    try {
      const result = await actions.changeConsent.mutateAsync({
        ...change,
        evidence: { wording, version: `${WORDING_VERSION}/${currentLanguage()}` },
      });
      if (result.confirmation_requested) setConfirmationSent(true);
    } catch (error) {
      notifyError(error, t('preferences.states.saveFailed'));
    }
  };
  return { record, confirmationSent };
}

export function OffersSection({ me, actions }: SectionProps) {
  const { t } = useTranslation();
  const { record, confirmationSent } = useRecord(actions);
  const label = (channel: CustomerChannel) => t(`preferences.offers.channels.${channel}`);
  return (
    <Paper withBorder radius="md" p="lg" data-testid="preferences-offers">
      <Stack gap="md">
        <div>
          <Title order={3} size="h4">
            {t('preferences.offers.title')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('preferences.offers.description')}
          </Text>
        </div>
        {confirmationSent && (
          <Alert
            color="blue"
            variant="light"
            icon={<IconInfoCircle size={18} />}
            data-testid="confirmation-sent"
          >
            {t('preferences.offers.confirmationSent')}
          </Alert>
        )}
        {CUSTOMER_CHANNELS.map((channel) => (
          <ConsentSwitch
            key={channel}
            testId={`consent-marketing-${channel}`}
            label={label(channel)}
            status={statusOf(me.consents, 'marketing', channel)}
            onChange={(granted) =>
              record(
                { purpose: 'marketing', channel, status: granted ? 'granted' : 'withdrawn' },
                label(channel),
              )
            }
          />
        ))}
      </Stack>
    </Paper>
  );
}

export function DataUseSection({ me, actions }: SectionProps) {
  const { t } = useTranslation();
  const { record } = useRecord(actions);
  const label = (purpose: CustomerPurpose) => t(`preferences.dataUse.purposes.${purpose}`);
  return (
    <Paper withBorder radius="md" p="lg" data-testid="preferences-data-use">
      <Stack gap="md">
        <Title order={3} size="h4">
          {t('preferences.dataUse.title')}
        </Title>
        {CUSTOMER_PURPOSES.map((purpose) => (
          <ConsentSwitch
            key={purpose}
            testId={`consent-${purpose}`}
            label={label(purpose)}
            status={statusOf(me.consents, purpose, null)}
            onChange={(granted) =>
              record({ purpose, status: granted ? 'granted' : 'withdrawn' }, label(purpose))
            }
          />
        ))}
        <Text size="xs" c="dimmed">
          {t('preferences.dataUse.service')}
        </Text>
      </Stack>
    </Paper>
  );
}
