/**
 * @module Settings: one heading and a tab per section; each section is its own route so links and the
 * back button work.
 */
import { Container, Tabs } from '@mantine/core';
import { IconHistory, IconKey, IconPlug, IconUserShield, IconWebhook, type Icon } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { PageHeader } from '../../components/page-header';

type Section = 'channels' | 'users' | 'apiKeys' | 'webhooks' | 'audit';

const SECTIONS: { key: Section; path: string; icon: Icon }[] = [
  { key: 'channels', path: 'channels', icon: IconPlug },
  { key: 'users', path: 'users', icon: IconUserShield },
  { key: 'apiKeys', path: 'api-keys', icon: IconKey },
  { key: 'webhooks', path: 'webhooks', icon: IconWebhook },
  { key: 'audit', path: 'audit', icon: IconHistory },
];

export function SettingsLayout() {
  const { t } = useTranslation();
  const location = useLocation();
  const navigate = useNavigate();
  const current = location.pathname.split('/')[2] ?? 'channels';

  return (
    <Container size="xl" px={0}>
      <PageHeader title={t('settings.title')} description={t('settings.subtitle')} order={2} />
      <Tabs
        value={current}
        onChange={(value) => value && navigate(`/settings/${value}`)}
        mb="lg"
        keepMounted={false}
      >
        <Tabs.List style={{ flexWrap: 'nowrap', overflowX: 'auto', overflowY: 'hidden' }}>
          {SECTIONS.map((section) => (
            <Tabs.Tab
              key={section.key}
              value={section.path}
              leftSection={<section.icon size={16} />}
              data-testid={`settings-tab-${section.path}`}
              style={{ flexShrink: 0 }}
            >
              {t(`settings.tabs.${section.key}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
      </Tabs>
      <Outlet />
    </Container>
  );
}
