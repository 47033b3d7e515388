/**
 * @module The storefront's frame (`/shop`): which shop (publishable key from `?key=`, remembered on this
 * device), the header with search, shop and language switchers and the category bar, then the page. Without a
 * key, or with one the server refuses, it says so plainly and lets the shopper paste one. The chat widget
 * (`/widget.js`) is embedded with the same key.
 */
import { Alert, Box, Button, Container, Paper, Skeleton, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconAlertTriangle, IconBuildingStore, IconKey } from '@tabler/icons-react';
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { Outlet } from 'react-router';
import { ApiError } from '../../api/client';
import { useStoreChannel } from '../../api/store';
import {
  addShopKey,
  chooseShopKey,
  forgetShopKey,
  isPublishableKey,
  takeShopKeys,
  type ShopKeys,
} from '../../api/store-keys';
import { currentLanguage } from '../../i18n';
import { ShopContext, type Shop } from './shop-context';
import { ShopFooter, ShopHeader } from './shop-header';
import { useShopT } from './shop-i18n';
import { initialShopLanguage, showShopLanguage } from './shop-language';

function Frame({ children }: { children: ReactNode }) {
  return (
    <Box mih="100vh" bg="var(--mantine-color-gray-0)">
      {children}
    </Box>
  );
}

/** The paste-a-key form, shown when no shop is known or the known one is refused. */
function KeyForm({ onKey }: { onKey: (key: string) => void }) {
  const { t } = useShopT();
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  return (
    <form
      style={{ width: '100%', maxWidth: 420, textAlign: 'left' }}
      onSubmit={(event) => {
        event.preventDefault();
        const key = value.trim();
        if (!isPublishableKey(key)) setError(t('shop.noKey.invalidFormat'));
        else onKey(key);
      }}
    >
      <Stack gap="xs">
        <TextInput
          label={t('shop.noKey.label')}
          placeholder="pk_…"
          value={value}
          error={error}
          onChange={(event) => {
            setValue(event.currentTarget.value);
            setError(null);
          }}
          data-testid="shop-key-input"
        />
        <Button type="submit" data-testid="shop-key-submit">
          {t('shop.noKey.open')}
        </Button>
      </Stack>
    </form>
  );
}

function StateScreen(props: {
  testId: string;
  icon: ReactNode;
  title: string;
  body: string;
  children?: ReactNode;
}) {
  return (
    <Frame>
      <Container size={560} py={80}>
        <Paper withBorder radius="lg" p="xl" data-testid={props.testId}>
          <Stack align="center" ta="center" gap="sm">
            {props.icon}
            <Title order={1} size="h3">
              {props.title}
            </Title>
            <Text c="dimmed">{props.body}</Text>
            {props.children}
          </Stack>
        </Paper>
      </Container>
    </Frame>
  );
}

export function ShopLayout() {
  const { t } = useShopT();
  const [known, setKnown] = useState<ShopKeys>(() => takeShopKeys());
  const key = known.current;
  const channel = useStoreChannel(key);

  useEffect(() => showShopLanguage(initialShopLanguage()), []);
  useEffect(() => {
    document.title = channel.data ? `${channel.data.name} — ${t('shop.title')}` : t('shop.title');
  }, [channel.data, t]);

  const locale = currentLanguage();
  // The chat widget, embedded as any shop would: a script tag with the shop's key (its channel names the chat).
  useEffect(() => {
    if (!key || !channel.data) return;
    const tag = Object.assign(document.createElement('script'), { src: '/widget.js', async: true });
    tag.dataset.key = key;
    tag.dataset.locale = locale;
    document.body.append(tag);
    return () => {
      tag.remove();
      document.getElementById('omnis-chat')?.remove();
    };
  }, [key, channel.data, locale]);
  const shop = useMemo<Shop | null>(
    () =>
      key && channel.data
        ? {
            key,
            channel: channel.data,
            currency: channel.data.currency,
            locale,
            keys: known.keys,
            chooseShop: (next) => setKnown(chooseShopKey(next)),
          }
        : null,
    [key, channel.data, locale, known.keys],
  );

  if (!key)
    return (
      <StateScreen
        testId="shop-no-key"
        icon={<IconKey size={40} color="var(--mantine-color-blue-6)" />}
        title={t('shop.noKey.title')}
        body={t('shop.noKey.body')}
      >
        <KeyForm onKey={(k) => setKnown(addShopKey(k))} />
      </StateScreen>
    );
  if (channel.isPending)
    return (
      <Frame>
        <Container size="xl" py="lg" data-testid="shop-loading" aria-busy="true">
          <Skeleton height={56} mb="lg" />
          <Skeleton height={280} radius="lg" />
        </Container>
      </Frame>
    );
  if (channel.error instanceof ApiError && [401, 403].includes(channel.error.status))
    return (
      <StateScreen
        testId="shop-bad-key"
        icon={<IconBuildingStore size={40} color="var(--mantine-color-red-6)" />}
        title={t('shop.badKey.title')}
        body={t('shop.badKey.body')}
      >
        <KeyForm onKey={(k) => setKnown(addShopKey(k))} />
        <Button variant="subtle" color="gray" size="xs" onClick={() => setKnown(forgetShopKey(key))}>
          {t('shop.badKey.forget')}
        </Button>
      </StateScreen>
    );
  if (!shop)
    return (
      <Frame>
        <Container size={560} py={80}>
          <Alert
            color="red"
            variant="light"
            icon={<IconAlertTriangle size={18} />}
            title={t('shop.states.errorTitle')}
            data-testid="shop-error"
          >
            <Stack gap="sm" align="flex-start">
              <Text size="sm">{t('shop.states.errorBody')}</Text>
              <Button size="xs" variant="white" color="red" onClick={() => void channel.refetch()}>
                {t('shop.states.retry')}
              </Button>
            </Stack>
          </Alert>
        </Container>
      </Frame>
    );
  return (
    <ShopContext.Provider value={shop}>
      <Frame>
        <ShopHeader />
        <Container size="xl" py="lg" mih="70vh">
          <Outlet />
        </Container>
        <ShopFooter />
      </Frame>
    </ShopContext.Provider>
  );
}
