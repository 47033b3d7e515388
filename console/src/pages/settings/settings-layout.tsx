/**
 * @module Settings: one heading and a tab per section the user's role may see; each section is its own route
 * so links and the back button work.
 */
import { Container, Tabs } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Navigate, Outlet, useLocation, useNavigate } from 'react-router';
import { PageHeader } from '../../components/page-header';
import { useCan } from '../../lib/permissions';
import { SETTINGS_SECTIONS } from './sections';

export function SettingsLayout() {
  const { t } = useTranslation();
  const can = useCan();
  const location = useLocation();
  const navigate = useNavigate();
  const sections = SETTINGS_SECTIONS.filter((section) => can(section.permission));
  const current = location.pathname.split('/')[2];

  if (!current && sections[0]) return <Navigate to={`/settings/${sections[0].path}`} replace />;

  return (
    <Container size="xl" px={0}>
      <PageHeader title={t('settings.title')} description={t('settings.subtitle')} order={2} />
      <Tabs value={current ?? null} onChange={(value) => value && navigate(`/settings/${value}`)} mb="lg">
        <Tabs.List style={{ flexWrap: 'nowrap', overflowX: 'auto', overflowY: 'hidden' }}>
          {sections.map((section) => (
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
