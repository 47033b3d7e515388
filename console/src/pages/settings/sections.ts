/**
 * @module The sections of Settings and the permission each needs to be shown.
 */
import {
  IconHistory,
  IconKey,
  IconMessage2,
  IconPlug,
  IconUserShield,
  IconWebhook,
  type Icon,
} from '@tabler/icons-react';

export type SectionKey = 'channels' | 'users' | 'apiKeys' | 'webhooks' | 'audit' | 'canned';

export interface Section {
  key: SectionKey;
  path: string;
  icon: Icon;
  permission: string;
}

export const SETTINGS_SECTIONS: Section[] = [
  { key: 'channels', path: 'channels', icon: IconPlug, permission: 'channels:read' },
  { key: 'users', path: 'users', icon: IconUserShield, permission: 'users:read' },
  { key: 'apiKeys', path: 'api-keys', icon: IconKey, permission: 'api_keys:read' },
  { key: 'webhooks', path: 'webhooks', icon: IconWebhook, permission: 'webhooks:read' },
  { key: 'audit', path: 'audit', icon: IconHistory, permission: 'audit:read' },
  { key: 'canned', path: 'canned-responses', icon: IconMessage2, permission: 'conversations:read' },
];
