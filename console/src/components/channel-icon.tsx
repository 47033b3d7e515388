/**
 * @module Icons for where a customer meets the business: one per channel kind (web, store, WhatsApp…), one per
 * identifier type (email, phone, loyalty card…), and a badge naming a channel with its kind's icon.
 */
import { Badge, Tooltip } from '@mantine/core';
import {
  IconApps,
  IconBrandInstagram,
  IconBrandTelegram,
  IconBrandMessenger,
  IconBrandWhatsapp,
  IconBuildingStore,
  IconCreditCard,
  IconDeviceDesktop,
  IconDeviceMobile,
  IconFingerprint,
  IconId,
  IconMail,
  IconMessage,
  IconMessageCircle,
  IconPhone,
  IconReceipt,
  IconShoppingBag,
  IconUserQuestion,
  IconWorld,
  type Icon,
} from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { Channel, ChannelKind } from '../api/types';

const KIND_ICONS: Record<ChannelKind, Icon> = {
  web: IconWorld,
  app: IconDeviceMobile,
  store: IconBuildingStore,
  phone: IconPhone,
  email: IconMail,
  webchat: IconMessageCircle,
  sms: IconMessage,
  whatsapp: IconBrandWhatsapp,
  messenger: IconBrandMessenger,
  instagram: IconBrandInstagram,
  telegram: IconBrandTelegram,
  marketplace: IconShoppingBag,
  kiosk: IconDeviceDesktop,
};

const IDENTIFIER_ICONS: Record<string, Icon> = {
  email: IconMail,
  phone: IconPhone,
  external_id: IconId,
  anonymous_id: IconUserQuestion,
  device_id: IconDeviceMobile,
  loyalty_card: IconCreditCard,
  whatsapp: IconBrandWhatsapp,
  messenger_psid: IconBrandMessenger,
  instagram_id: IconBrandInstagram,
  telegram_id: IconBrandTelegram,
  pos_customer_no: IconReceipt,
};

/** Communication channels of consent (email, sms, push, post, in_app…) reuse the closest kind's icon. */
const COMMUNICATION_ICONS: Record<string, Icon> = {
  email: IconMail,
  sms: IconMessage,
  whatsapp: IconBrandWhatsapp,
  push: IconDeviceMobile,
  phone: IconPhone,
  post: IconMail,
  messenger: IconBrandMessenger,
  in_app: IconApps,
};

export function ChannelKindIcon({ kind, size = 16 }: { kind: string; size?: number }) {
  const Component = KIND_ICONS[kind as ChannelKind] ?? IconApps;
  return <Component size={size} stroke={1.6} aria-hidden />;
}

export function IdentifierIcon({ type, size = 16 }: { type: string; size?: number }) {
  const Component = IDENTIFIER_ICONS[type] ?? IconFingerprint;
  return <Component size={size} stroke={1.6} aria-hidden />;
}

export function CommunicationIcon({ channel, size = 16 }: { channel: string; size?: number }) {
  const Component = COMMUNICATION_ICONS[channel] ?? IconApps;
  return <Component size={size} stroke={1.6} aria-hidden />;
}

/** A channel by name with its kind's icon; an id the console doesn't know (deleted, no access) shows as is. */
export function ChannelBadge({ id, channels }: { id: string; channels: Map<string, Channel> }) {
  const { t } = useTranslation();
  const channel = channels.get(id);
  const badge = (
    <Badge
      variant="light"
      color="gray"
      radius="sm"
      tt="none"
      fw={500}
      leftSection={<ChannelKindIcon kind={channel?.kind ?? ''} size={12} />}
      data-testid="channel-badge"
      maw={220}
    >
      {channel?.name ?? id}
    </Badge>
  );
  if (!channel) return badge;
  return (
    <Tooltip label={t(`channelKinds.${channel.kind}`)} withArrow>
      {badge}
    </Tooltip>
  );
}
