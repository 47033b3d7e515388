/**
 * @module Campaigns: segments and outbound messages. Not built yet: shows what will come here.
 */
import { IconSpeakerphone } from '@tabler/icons-react';
import { ComingSoon } from '../../components/coming-soon';

export function CampaignsPage() {
  return <ComingSoon area="campaigns" icon={<IconSpeakerphone size={32} />} />;
}
