/**
 * @module Inbox: the agent desk for conversations from every channel. Not built yet: shows what will come here.
 */
import { IconMessages } from '@tabler/icons-react';
import { ComingSoon } from '../../components/coming-soon';

export function InboxPage() {
  return <ComingSoon area="inbox" icon={<IconMessages size={32} />} />;
}
