/**
 * @module The bag (`/shop/cart`): its lines with quantities and per-line delivery, a promotion code, the server's
 * price breakdown and the way to checkout. A resume link (`/shop/cart?resume=…`, sent by an associate or an agent
 * from any channel) opens that cart here and makes it this device's bag.
 */
import {
  Alert,
  Button,
  Grid,
  Group,
  Loader,
  Paper,
  Skeleton,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { IconAlertTriangle, IconLock } from '@tabler/icons-react';
import { useEffect, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { ApiError } from '../../api/client';
import { useCartActions, useProductsOfSkus, useStoreCart, type StoreCart } from '../../api/store-cart';
import { BagLine } from './bag-line';
import { PriceBreakdown } from './price-breakdown';
import { useShop } from './shop-context';
import { useShopT } from './shop-i18n';
import { EmptyState, ErrorState } from './shop-states';

/** A server refusal in the shopper's words, with the server's own detail when it names what is wrong. */
export function ProblemAlert({ error, testId }: { error: unknown; testId: string }) {
  const { t } = useShopT();
  if (!error) return null;
  const detail = error instanceof ApiError ? error.detail : undefined;
  return (
    <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} data-testid={testId}>
      <Text size="sm">{detail ?? t('shop.states.errorBody')}</Text>
    </Alert>
  );
}

function PromotionCode({ cart }: { cart: StoreCart }) {
  const { t } = useShopT();
  const shop = useShop();
  const { updateCart } = useCartActions(shop.key);
  const [code, setCode] = useState('');
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        const value = code.trim().toUpperCase();
        if (!value || cart.promotion_codes.includes(value)) return;
        updateCart.mutate(
          { promotion_codes: [...cart.promotion_codes, value] },
          { onSuccess: () => setCode('') },
        );
      }}
    >
      <Stack gap={6}>
        <Group gap="xs" wrap="nowrap" align="flex-end">
          <TextInput
            style={{ flex: 1 }}
            size="sm"
            label={t('shop.bag.promoLabel')}
            placeholder={t('shop.bag.promoPlaceholder')}
            value={code}
            onChange={(event) => setCode(event.currentTarget.value)}
            data-testid="shop-promo-input"
          />
          <Button
            type="submit"
            variant="default"
            loading={updateCart.isPending}
            data-testid="shop-promo-apply"
          >
            {t('shop.bag.promoApply')}
          </Button>
        </Group>
        {cart.promotion_codes.map((c) => (
          <Group key={c} gap={6}>
            <Text size="xs" fw={600}>
              {c}
            </Text>
            <Button
              size="compact-xs"
              variant="subtle"
              color="gray"
              onClick={() =>
                updateCart.mutate({ promotion_codes: cart.promotion_codes.filter((x) => x !== c) })
              }
            >
              {t('shop.bag.remove')}
            </Button>
          </Group>
        ))}
        <ProblemAlert error={updateCart.error} testId="shop-promo-error" />
      </Stack>
    </form>
  );
}

export function ShopBagPage() {
  const { t } = useShopT();
  const shop = useShop();
  const cart = useStoreCart(shop.key);
  const actions = useCartActions(shop.key);
  const [params, setParams] = useSearchParams();
  const resumeToken = params.get('resume');
  const resumed = useRef<string | null>(null);
  const products = useProductsOfSkus(shop.key, shop.locale, cart.data?.lines.map((l) => l.sku) ?? []);

  // Open the resume link once, then drop the token from the address bar (it is a credential).
  useEffect(() => {
    if (!resumeToken || resumed.current === resumeToken) return;
    resumed.current = resumeToken;
    actions.resume.mutate(resumeToken, { onSuccess: () => setParams({}, { replace: true }) });
  }, [resumeToken, actions.resume, setParams]);

  useEffect(() => {
    document.title = `${t('shop.bag.title')} — ${shop.channel.name}`;
  }, [t, shop.channel.name]);

  if (actions.resume.isPending)
    return (
      <Group gap="sm" data-testid="shop-resuming">
        <Loader size="sm" />
        <Text>{t('shop.bag.resuming')}</Text>
      </Group>
    );
  if (actions.resume.isError)
    return (
      <EmptyState
        testId="shop-resume-failed"
        title={t('shop.bag.resumeFailedTitle')}
        body={t('shop.bag.resumeFailedBody')}
        action={
          <Button component={Link} to="/shop" variant="light">
            {t('shop.search.backHome')}
          </Button>
        }
      />
    );
  if (cart.isPending) return <Skeleton height={240} radius="md" data-testid="shop-bag-loading" />;
  if (cart.isError) return <ErrorState onRetry={() => void cart.refetch()} />;
  const data = cart.data;
  if (!data || data.lines.length === 0)
    return (
      <EmptyState
        testId="shop-bag-empty"
        title={t('shop.bag.emptyTitle')}
        body={t('shop.bag.emptyBody')}
        action={
          <Button component={Link} to="/shop" variant="light">
            {t('shop.bag.continue')}
          </Button>
        }
      />
    );

  const busy = actions.updateLine.isPending || actions.removeLine.isPending;
  const unpicked = data.lines.some((l) => l.delivery_mode === 'pickup' && !l.location_id);
  const noPrice = data.pricing.issues.some((i) => i.reason === 'no_price');
  return (
    <Stack gap="lg" data-testid="shop-bag">
      <Title order={1} size="h2">
        {t('shop.bag.title')}
      </Title>
      {actions.resume.isSuccess && (
        <Alert color="teal" variant="light" data-testid="shop-resumed">
          {t('shop.bag.resumed')}
        </Alert>
      )}
      <Grid gap="xl">
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Stack gap="md">
            {data.lines.map((line) => (
              <BagLine
                key={line.id}
                line={line}
                priced={data.pricing.lines.find((p) => p.id === line.id)}
                product={products.get(line.sku)}
                busy={busy}
                onChange={(patch) => actions.updateLine.mutate({ lineId: line.id, patch })}
                onRemove={() => actions.removeLine.mutate(line.id)}
              />
            ))}
            <ProblemAlert
              error={actions.updateLine.error ?? actions.removeLine.error}
              testId="shop-bag-error"
            />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Paper withBorder radius="md" p="lg" style={{ position: 'sticky', top: 130 }}>
            <Stack gap="md">
              <Title order={2} size="h4">
                {t('shop.bag.summary')}
              </Title>
              <PriceBreakdown pricing={data.pricing} />
              <PromotionCode cart={data} />
              {noPrice && (
                <Text size="sm" c="red" data-testid="shop-bag-no-price">
                  {t('shop.bag.noPrice')}
                </Text>
              )}
              <Button
                component={Link}
                to="/shop/checkout"
                size="md"
                leftSection={<IconLock size={18} />}
                disabled={unpicked || noPrice}
                data-testid="shop-go-checkout"
              >
                {t('shop.bag.checkout')}
              </Button>
            </Stack>
          </Paper>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
