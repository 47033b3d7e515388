/**
 * @module How each channel kind looks in lists: a badge colour per family (web and apps, stores,
 * messaging, marketplaces).
 */
import type { ChannelKind } from '../../../api/types';

export const KIND_COLORS: Record<ChannelKind, string> = {
  web: 'blue',
  app: 'indigo',
  store: 'orange',
  phone: 'grape',
  email: 'cyan',
  webchat: 'teal',
  sms: 'lime',
  whatsapp: 'green',
  messenger: 'violet',
  instagram: 'pink',
  telegram: 'cyan',
  marketplace: 'yellow',
  kiosk: 'gray',
};
