/** @module The Inbox area's heading and its two screens as tabs: the agent desk and the conversation reports. */
import { IconChartBar, IconMessages } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { PageHeader } from '../../components/page-header';
import { RouteTabs } from '../../components/route-tabs';
import { useInboxT } from './inbox-i18n';

export type InboxTab = 'desk' | 'reports';

const TABS: Array<{ tab: InboxTab; path: string; icon: ReactNode }> = [
  { tab: 'desk', path: '/inbox', icon: <IconMessages size={16} /> },
  { tab: 'reports', path: '/inbox/reports', icon: <IconChartBar size={16} /> },
];

export function InboxNav({ active }: { active: InboxTab }) {
  const { t } = useInboxT();
  return (
    <>
      <PageHeader title={t('inbox.title')} description={t(`inbox.tabs.${active}Hint`)} order={2} />
      <RouteTabs
        active={active}
        tabs={TABS.map((entry) => ({ ...entry, label: t(`inbox.tabs.${entry.tab}`) }))}
        testIdPrefix="inbox-tab"
      />
    </>
  );
}
