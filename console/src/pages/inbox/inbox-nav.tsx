/**
 * @module The Inbox area's heading and its two screens as tabs: the agent desk and the conversation reports (only
 * for roles that read analytics; an agent would otherwise open a tab that answers "no access").
 */
import { IconChartBar, IconMessages } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { PageHeader } from '../../components/page-header';
import { RouteTabs } from '../../components/route-tabs';
import { useCan } from '../../lib/permissions';
import { useInboxT } from './inbox-i18n';

export type InboxTab = 'desk' | 'reports';

const TABS: Array<{ tab: InboxTab; path: string; icon: ReactNode; permission?: string }> = [
  { tab: 'desk', path: '/inbox', icon: <IconMessages size={16} /> },
  { tab: 'reports', path: '/inbox/reports', icon: <IconChartBar size={16} />, permission: 'analytics:read' },
];

export function InboxNav({ active }: { active: InboxTab }) {
  const { t } = useInboxT();
  const can = useCan();
  return (
    <>
      <PageHeader title={t('inbox.title')} description={t(`inbox.tabs.${active}Hint`)} order={2} />
      <RouteTabs
        active={active}
        tabs={TABS.filter((entry) => !entry.permission || can(entry.permission)).map(
          ({ tab, path, icon }) => ({
            tab,
            path,
            icon,
            label: t(`inbox.tabs.${tab}`),
          }),
        )}
        testIdPrefix="inbox-tab"
      />
    </>
  );
}
