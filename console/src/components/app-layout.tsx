/**
 * @module The signed-in frame: header (brand, language, user menu), navigation to every area, and the
 * page in the middle. The navigation collapses behind a burger on narrow screens.
 */
import {
  AppShell,
  Avatar,
  Badge,
  Box,
  Burger,
  Group,
  Menu,
  NavLink,
  ScrollArea,
  Text,
  UnstyledButton,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import {
  IconBuildingWarehouse,
  IconChartPie,
  IconCashRegister,
  IconChartBar,
  IconChevronDown,
  IconLogout,
  IconMessages,
  IconReceipt,
  IconSettings,
  IconSpeakerphone,
  IconTags,
  IconUsers,
  type Icon,
} from '@tabler/icons-react';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink as RouterNavLink, Outlet, useLocation } from 'react-router';
import { useUpdateMe } from '../api/auth';
import type { Locale } from '../api/types';
import { useAuth } from '../lib/auth-context';
import { notifyError } from '../lib/notify';
import { useCan } from '../lib/permissions';
import { SETTINGS_SECTIONS } from '../pages/settings/sections';
import { LanguageSwitcher } from './language-switcher';
import { Logo } from './logo';

type NavKey =
  | 'customers'
  | 'segments'
  | 'inbox'
  | 'catalog'
  | 'inventory'
  | 'orders'
  | 'pos'
  | 'campaigns'
  | 'analytics'
  | 'settings';

interface NavItem {
  key: NavKey;
  path: string;
  icon: Icon;
  /** Shown only to roles with this permission. */
  permission: string;
}

const NAV_ITEMS: NavItem[] = [
  { key: 'customers', path: '/customers', icon: IconUsers, permission: 'customers:read' },
  { key: 'segments', path: '/segments', icon: IconChartPie, permission: 'campaigns:read' },
  { key: 'inbox', path: '/inbox', icon: IconMessages, permission: 'conversations:read' },
  { key: 'catalog', path: '/catalog', icon: IconTags, permission: 'catalog:read' },
  { key: 'inventory', path: '/inventory', icon: IconBuildingWarehouse, permission: 'inventory:read' },
  { key: 'orders', path: '/orders', icon: IconReceipt, permission: 'orders:read' },
  { key: 'pos', path: '/pos', icon: IconCashRegister, permission: 'pos:use' },
  { key: 'campaigns', path: '/campaigns', icon: IconSpeakerphone, permission: 'campaigns:read' },
  { key: 'analytics', path: '/analytics', icon: IconChartBar, permission: 'analytics:read' },
];

const SETTINGS_ITEM = { key: 'settings' as const, path: '/settings', icon: IconSettings };

function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  return (
    parts.length > 1 ? `${parts[0]?.[0] ?? ''}${parts.at(-1)?.[0] ?? ''}` : name.slice(0, 2)
  ).toUpperCase();
}

export function AppLayout() {
  const { t } = useTranslation();
  const { me, signOut } = useAuth();
  const [navOpened, nav] = useDisclosure(false);
  const location = useLocation();
  const updateMe = useUpdateMe();

  // Navigating on a phone closes the drawer-like navbar. `close` is stable; the handlers object is not.
  const closeNav = nav.close;
  useEffect(() => closeNav(), [location.pathname, closeNav]);

  const saveLocale = (locale: Locale) => {
    if (me.data?.locale === locale) return;
    updateMe.mutate({ locale }, { onError: (error) => notifyError(error, t('language.saveFailed')) });
  };

  const user = me.data;

  const can = useCan();

  const renderItem = (item: Omit<NavItem, 'permission'>) => (
    <NavLink
      key={item.key}
      component={RouterNavLink}
      to={item.path}
      label={t(`nav.${item.key}`)}
      leftSection={<item.icon size={20} stroke={1.6} />}
      active={location.pathname === item.path || location.pathname.startsWith(`${item.path}/`)}
      data-testid={`nav-${item.key}`}
      style={{ borderRadius: 'var(--mantine-radius-md)' }}
    />
  );

  return (
    <AppShell
      header={{ height: 60 }}
      navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !navOpened } }}
      padding={{ base: 'md', sm: 'xl' }}
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={navOpened}
              onClick={nav.toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label={t('nav.toggle')}
              data-testid="nav-burger"
            />
            <Logo />
          </Group>
          <Group gap="xs" wrap="nowrap">
            <LanguageSwitcher onChosen={saveLocale} />
            {user && (
              <Menu position="bottom-end" shadow="md" width={240}>
                <Menu.Target>
                  <UnstyledButton data-testid="user-menu" aria-label={t('user.menu')}>
                    <Group gap="xs" wrap="nowrap">
                      <Avatar color="blue" radius="xl" size={34}>
                        {initials(user.name || user.email)}
                      </Avatar>
                      <Box visibleFrom="xs" style={{ lineHeight: 1.1 }}>
                        <Text size="sm" fw={600} data-testid="user-name" truncate maw={180}>
                          {user.name || user.email}
                        </Text>
                        <Text size="xs" c="dimmed" data-testid="user-role">
                          {t(`roles.${user.role}`)}
                        </Text>
                      </Box>
                      <IconChevronDown size={14} />
                    </Group>
                  </UnstyledButton>
                </Menu.Target>
                <Menu.Dropdown>
                  <Menu.Label>{t('user.signedInAs')}</Menu.Label>
                  <Box px="sm" pb="xs">
                    <Text size="sm" fw={600} truncate>
                      {user.name}
                    </Text>
                    <Text size="xs" c="dimmed" truncate>
                      {user.email}
                    </Text>
                    <Badge mt={6} variant="light" size="sm">
                      {t(`roles.${user.role}`)}
                    </Badge>
                  </Box>
                  <Menu.Divider />
                  <Menu.Item
                    color="red"
                    leftSection={<IconLogout size={16} />}
                    onClick={() => void signOut()}
                    data-testid="signout-button"
                  >
                    {t('user.signOut')}
                  </Menu.Item>
                </Menu.Dropdown>
              </Menu>
            )}
          </Group>
        </Group>
      </AppShell.Header>

      <AppShell.Navbar p="sm" aria-label={t('nav.label')}>
        <AppShell.Section grow component={ScrollArea}>
          <Box data-testid="nav">{NAV_ITEMS.filter((item) => can(item.permission)).map(renderItem)}</Box>
        </AppShell.Section>
        <AppShell.Section pt="sm" style={{ borderTop: '1px solid var(--mantine-color-default-border)' }}>
          {SETTINGS_SECTIONS.some((section) => can(section.permission)) && renderItem(SETTINGS_ITEM)}
        </AppShell.Section>
      </AppShell.Navbar>

      <AppShell.Main bg="var(--mantine-color-gray-0)">
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
