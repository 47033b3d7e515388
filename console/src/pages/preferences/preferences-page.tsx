/**
 * @module The preference centre a customer opens from any message we send (`/preferences?token=…`), with no
 * staff sign-in and no storefront key: the token in the link alone opens the customer's own /store/v1/me routes.
 * It shows their consents as switches with the wording recorded as evidence, how to reach them, and their data
 * (download, erasure request), in English, Spanish or Russian.
 */
import {
  Alert,
  Box,
  Button,
  Container,
  Group,
  Paper,
  SegmentedControl,
  Skeleton,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { IconAlertTriangle, IconLink, IconLinkOff } from '@tabler/icons-react';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { takeCustomerToken, useMyPreferences, usePreferenceActions, type Me } from '../../api/preferences';
import type { Locale } from '../../api/types';
import { Logo } from '../../components/logo';
import { currentLanguage } from '../../i18n';
import { LANGUAGES } from '../../i18n/languages';
import { notifyError } from '../../lib/notify';
import { DataUseSection, OffersSection } from './consent-sections';
import { ContactSection } from './contact-section';
import { DataSection } from './data-section';
import { formatLongDate, languageFromLink, languageOfLocale, showLanguage } from './preferences-language';

/** A page-sized message instead of the preferences: no link, a dead link, a failure. */
function StateCard(props: {
  testId: string;
  icon: ReactNode;
  title: string;
  body: string;
  action?: ReactNode;
}) {
  return (
    <Paper withBorder radius="md" p="xl" data-testid={props.testId}>
      <Stack align="center" ta="center" gap="sm">
        {props.icon}
        <Title order={2} size="h3">
          {props.title}
        </Title>
        <Text c="dimmed" maw={440}>
          {props.body}
        </Text>
        {props.action}
      </Stack>
    </Paper>
  );
}

function LoadingState() {
  return (
    <Stack data-testid="preferences-loading" aria-busy="true">
      <Skeleton height={32} width="60%" />
      {[0, 1, 2].map((block) => (
        <Skeleton key={block} height={180} radius="md" />
      ))}
    </Stack>
  );
}

function Preferences({ me, actions }: { me: Me; actions: ReturnType<typeof usePreferenceActions> }) {
  const { t } = useTranslation();
  return (
    <Stack gap="lg" data-testid="preferences-page">
      <div>
        <Title order={1} size="h2" data-testid="preferences-title">
          {me.customer.first_name
            ? t('preferences.greeting', { name: me.customer.first_name })
            : t('preferences.greetingNoName')}
        </Title>
        <Text c="dimmed" mt={4}>
          {t('preferences.intro')}
        </Text>
      </div>
      <OffersSection me={me} actions={actions} />
      <DataUseSection me={me} actions={actions} />
      <ContactSection me={me} actions={actions} />
      <DataSection me={me} actions={actions} />
    </Stack>
  );
}

export function PreferencesPage() {
  const { t, i18n } = useTranslation();
  const [token, setToken] = useState<string | null>(() => takeCustomerToken());
  const [linkLanguage, setLinkLanguage] = useState<Locale | null>(() => languageFromLink());
  const [forgotten, setForgotten] = useState(false);
  const me = useMyPreferences(token);
  const actions = usePreferenceActions(token);
  const ownLanguageApplied = useRef(false);

  useEffect(() => {
    if (linkLanguage) showLanguage(linkLanguage);
  }, [linkLanguage]);
  // Without ?lang=, the customer's own language, once: a later switch on the page must not be undone.
  useEffect(() => {
    if (ownLanguageApplied.current || !me.data) return;
    ownLanguageApplied.current = true;
    const own = languageOfLocale(me.data.customer.locale);
    if (!linkLanguage && own) showLanguage(own);
  }, [me.data, linkLanguage]);
  useEffect(() => {
    document.title = t('preferences.pageTitle');
  }, [t, i18n.language]);

  const chooseLanguage = (language: Locale) => {
    showLanguage(language);
    // The choice outlives the link's ?lang=: drop it so a reload shows what was chosen.
    const url = new URL(window.location.href);
    url.searchParams.delete('lang');
    window.history.replaceState(window.history.state, '', url.pathname + url.search);
    setLinkLanguage(null);
    const data = me.data;
    if (!data) return;
    const quiet = data.preferences.quiet_hours;
    const zone = data.customer.timezone ?? quiet?.timezone ?? null;
    actions.savePreferences.mutate(
      {
        preferred_channel: data.preferences.preferred_channel,
        quiet_hours: quiet ? { start: quiet.start, end: quiet.end } : null,
        ...(zone ? { timezone: zone } : {}),
        locale: language,
      },
      { onError: (error) => notifyError(error, t('preferences.states.saveFailed')) },
    );
  };

  let content: ReactNode;
  if (forgotten) {
    content = (
      <StateCard
        testId="preferences-forgotten"
        icon={<IconLinkOff size={40} color="var(--mantine-color-dimmed)" />}
        title={t('preferences.states.forgottenTitle')}
        body={t('preferences.states.forgottenBody')}
      />
    );
  } else if (!token) {
    content = (
      <StateCard
        testId="preferences-no-token"
        icon={<IconLink size={40} color="var(--mantine-color-dimmed)" />}
        title={t('preferences.states.noTokenTitle')}
        body={t('preferences.states.noTokenBody')}
      />
    );
  } else if (me.isPending) {
    content = <LoadingState />;
  } else if (me.error instanceof ApiError && me.error.status === 401) {
    content = (
      <StateCard
        testId="preferences-invalid"
        icon={<IconLinkOff size={40} color="var(--mantine-color-red-6)" />}
        title={t('preferences.states.invalidTitle')}
        body={t('preferences.states.invalidBody')}
      />
    );
  } else if (me.error || !me.data) {
    content = (
      <Alert
        color="red"
        variant="light"
        icon={<IconAlertTriangle size={18} />}
        title={t('preferences.states.errorTitle')}
        data-testid="preferences-error"
      >
        <Stack gap="sm" align="flex-start">
          <Text size="sm">{t('preferences.states.errorBody')}</Text>
          <Button size="xs" variant="white" color="red" onClick={() => void me.refetch()}>
            {t('preferences.states.retry')}
          </Button>
        </Stack>
      </Alert>
    );
  } else {
    content = <Preferences me={me.data} actions={actions} />;
  }

  return (
    <Box mih="100vh" bg="var(--mantine-color-gray-0)">
      <Container size={720} py="lg">
        <Stack gap="lg">
          <Group justify="space-between" wrap="wrap" gap="sm">
            <Logo size={30} />
            <SegmentedControl
              size="xs"
              aria-label={t('preferences.language')}
              value={currentLanguage()}
              data={LANGUAGES.map((language) => ({ value: language.code, label: language.label }))}
              onChange={(value) => chooseLanguage(value as Locale)}
              data-testid="preferences-language"
            />
          </Group>
          {content}
          {me.data && !forgotten && (
            <Stack gap={4} align="center" pb="xl">
              <Text size="xs" c="dimmed" ta="center">
                {t('preferences.link.expires', { date: formatLongDate(me.data.link.expires_at) })}
              </Text>
              <Button
                variant="subtle"
                color="gray"
                size="compact-xs"
                loading={actions.forgetLink.isPending}
                onClick={() =>
                  actions.forgetLink.mutate(undefined, {
                    onSuccess: () => {
                      setForgotten(true);
                      setToken(null);
                    },
                    onError: (error) => notifyError(error, t('preferences.states.saveFailed')),
                  })
                }
                data-testid="forget-link"
              >
                {t('preferences.link.forget')}
              </Button>
            </Stack>
          )}
        </Stack>
      </Container>
    </Box>
  );
}
