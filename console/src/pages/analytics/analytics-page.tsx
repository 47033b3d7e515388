/**
 * @module Analytics: figures across channels. Not built yet: shows what will come here.
 */
import { IconChartBar } from '@tabler/icons-react';
import { ComingSoon } from '../../components/coming-soon';

export function AnalyticsPage() {
  return <ComingSoon area="analytics" icon={<IconChartBar size={32} />} />;
}
