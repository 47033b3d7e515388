/** @module The Inbox area's heading and its two screens as tabs: the agent desk and the conversation reports. */
import { Tabs } from '@mantine/core';
import { IconChartBar, IconMessages } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useNavigate } from 'react-router';
import { PageHeader } from '../../components/page-header';
import { useInboxT } from './inbox-i18n';

export type InboxTab = 'desk' | 'reports';

const TABS: Array<{ tab: InboxTab; path: string; icon: ReactNode }> = [
  { tab: 'desk', path: '/inbox', icon: <IconMessages size={16} /> },
  { tab: 'reports', path: '/inbox/reports', icon: <IconChartBar size={16} /> },
];

export function InboxNav({ active }: { active: InboxTab }) {
  const { t } = useInboxT();
  const navigate = useNavigate();
  return (
    <>
      <PageHeader title={t('inbox.title')} description={t(`inbox.tabs.${active}Hint`)} order={2} />
      <Tabs
        value={active}
        onChange={(tab) => void navigate(TABS.find((e) => e.tab === tab)?.path ?? '/inbox')}
        mb="md"
      >
        <Tabs.List>
          {TABS.map(({ tab, icon }) => (
            <Tabs.Tab key={tab} value={tab} leftSection={icon} data-testid={`inbox-tab-${tab}`}>
              {t(`inbox.tabs.${tab}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
      </Tabs>
    </>
  );
}
