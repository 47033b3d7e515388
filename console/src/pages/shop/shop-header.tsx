/**
 * @module The storefront's header (shop name, search, shop and language switchers, mini-bag) with the category bar
 * under it, and the footer with the link to the customer's preference centre.
 */
import {
  Anchor,
  Box,
  Container,
  Group,
  Menu,
  SegmentedControl,
  Select,
  Text,
  TextInput,
  UnstyledButton,
} from '@mantine/core';
import { IconChevronDown, IconSearch, IconShoppingBag } from '@tabler/icons-react';
import { useQueries } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { fetchStoreChannel, useStoreCategories } from '../../api/store';
import type { Locale } from '../../api/types';
import { LANGUAGES } from '../../i18n/languages';
import { MiniBag } from './mini-bag';
import { useShop } from './shop-context';
import { useShopT } from './shop-i18n';
import { chooseShopLanguage } from './shop-language';

function SearchBox() {
  const { t } = useShopT();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [q, setQ] = useState(params.get('q') ?? '');
  useEffect(() => setQ(params.get('q') ?? ''), [params]);
  return (
    <form
      style={{ flex: 1, maxWidth: 520 }}
      role="search"
      onSubmit={(event) => {
        event.preventDefault();
        if (q.trim()) void navigate(`/shop/search?q=${encodeURIComponent(q.trim())}`);
      }}
    >
      <TextInput
        value={q}
        onChange={(event) => setQ(event.currentTarget.value)}
        placeholder={t('shop.header.searchPlaceholder')}
        aria-label={t('shop.header.search')}
        leftSection={<IconSearch size={16} />}
        radius="xl"
        data-testid="shop-search-input"
      />
    </form>
  );
}

/** Every shop this browser has a key for, by name and currency. */
function ShopSwitcher() {
  const { t } = useShopT();
  const shop = useShop();
  const channels = useQueries({
    queries: shop.keys.map((key) => ({
      queryKey: ['store', key, 'channel'],
      queryFn: () => fetchStoreChannel(key),
      staleTime: 5 * 60_000,
      retry: false,
    })),
  });
  const data = shop.keys.flatMap((key, i) => {
    const channel = channels[i]?.data;
    return channel
      ? [{ value: key, label: channel.currency ? `${channel.name} · ${channel.currency}` : channel.name }]
      : [];
  });
  if (data.length < 2) return null;
  return (
    <Select
      size="xs"
      w={200}
      aria-label={t('shop.header.shop')}
      data={data}
      value={shop.key}
      allowDeselect={false}
      onChange={(value) => value && shop.chooseShop(value)}
      data-testid="shop-switcher"
    />
  );
}

function CategoryBar() {
  const shop = useShop();
  const categories = useStoreCategories(shop.key, shop.locale);
  return (
    <Group gap="lg" h={44} wrap="nowrap" style={{ overflowX: 'auto' }} data-testid="shop-categories">
      {(categories.data?.data ?? []).map((top) =>
        top.children.length === 0 ? (
          <Anchor key={top.id} component={Link} to={`/shop/c/${top.handle}`} c="dark" size="sm" fw={600}>
            {top.name}
          </Anchor>
        ) : (
          <Menu key={top.id} trigger="hover" openDelay={50} closeDelay={150} position="bottom-start">
            <Menu.Target>
              <UnstyledButton component={Link} to={`/shop/c/${top.handle}`}>
                <Group gap={4} wrap="nowrap">
                  <Text size="sm" fw={600}>
                    {top.name}
                  </Text>
                  <IconChevronDown size={14} />
                </Group>
              </UnstyledButton>
            </Menu.Target>
            <Menu.Dropdown>
              {top.children.map((child) => (
                <Menu.Item key={child.id} component={Link} to={`/shop/c/${child.handle}`}>
                  {child.name}
                </Menu.Item>
              ))}
            </Menu.Dropdown>
          </Menu>
        ),
      )}
    </Group>
  );
}

export function ShopHeader() {
  const { t } = useShopT();
  const shop = useShop();
  return (
    <Box
      component="header"
      bg="white"
      style={{
        borderBottom: '1px solid var(--mantine-color-gray-3)',
        position: 'sticky',
        top: 0,
        zIndex: 10,
      }}
    >
      <Container size="xl">
        <Group h={64} gap="lg" wrap="nowrap" justify="space-between">
          <Anchor component={Link} to="/shop" underline="never" c="dark" data-testid="shop-home-link">
            <Group gap={8} wrap="nowrap">
              <IconShoppingBag size={26} stroke={1.6} color="var(--mantine-color-blue-7)" />
              <Text
                fw={750}
                size="lg"
                style={{ letterSpacing: '-0.01em', whiteSpace: 'nowrap' }}
                data-testid="shop-header-shop-name"
              >
                {shop.channel.name}
              </Text>
            </Group>
          </Anchor>
          <SearchBox />
          <Group gap="sm" wrap="nowrap">
            <ShopSwitcher />
            <SegmentedControl
              size="xs"
              aria-label={t('shop.header.language')}
              value={shop.locale}
              data={LANGUAGES.map((language) => ({
                value: language.code,
                label: language.code.toUpperCase(),
              }))}
              onChange={(value) => chooseShopLanguage(value as Locale)}
              data-testid="shop-language"
            />
            <MiniBag />
          </Group>
        </Group>
        <CategoryBar />
      </Container>
    </Box>
  );
}

export function ShopFooter() {
  const { t } = useShopT();
  const shop = useShop();
  return (
    <Box component="footer" bg="white" mt="xl" style={{ borderTop: '1px solid var(--mantine-color-gray-3)' }}>
      <Container size="xl" py="lg">
        <Group justify="space-between" gap="md">
          <Text size="sm" c="dimmed">
            {shop.currency
              ? t('shop.footer.pricesIn', { currency: shop.currency })
              : t('shop.footer.noCurrency')}
          </Text>
          <Group gap="lg">
            <Anchor component={Link} to="/preferences" size="sm" data-testid="shop-preferences-link">
              {t('shop.footer.preferences')}
            </Anchor>
            <Text size="sm" c="dimmed">
              {t('shop.footer.preferencesHint')}
            </Text>
          </Group>
        </Group>
      </Container>
    </Box>
  );
}
