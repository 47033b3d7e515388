/**
 * @module How a customer is named on screen: their name, else their first email or phone, else a translated
 * "Unnamed customer"; and the channel list as a map from id to channel for badges.
 */
import { useMemo } from 'react';
import { useChannels } from '../../api/channels';
import type { Customer } from '../../api/customer-types';
import type { Channel } from '../../api/types';
import i18n from '../../i18n';

export function customerName(
  customer: Pick<Customer, 'first_name' | 'last_name' | 'emails' | 'phones'>,
): string {
  const name = [customer.first_name, customer.last_name].filter(Boolean).join(' ').trim();
  return name || customer.emails[0] || customer.phones[0] || i18n.t('customers.unnamed');
}

/** Channels by id, for naming the channels a customer used and the channel of each timeline entry. */
export function useChannelMap(): Map<string, Channel> {
  const channels = useChannels();
  return useMemo(() => new Map(channels.items.map((channel) => [channel.id, channel])), [channels.items]);
}
