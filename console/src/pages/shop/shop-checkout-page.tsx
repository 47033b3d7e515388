/**
 * @module Checkout (`/shop/checkout`): details (email, address, method) saved on the cart, the payment, and the
 * server's price breakdown beside them. Placing the order sends the total the shopper sees: when prices changed
 * the server answers 409 and nothing is charged — the new totals are shown and the shopper confirms again. A
 * declined card says so and nothing is ordered. A card the bank must confirm sends the shopper to the bank's
 * approval page, which brings them back here with the checkout id; the checkout then finishes (or says the card
 * was declined). Without an approval page it shows "waiting for your bank" and asks again until it has answered.
 */
import { Alert, Button, Grid, Loader, Paper, Skeleton, Stack, Text, Title } from '@mantine/core';
import { IconAlertTriangle, IconLock } from '@tabler/icons-react';
import { useEffect, useRef, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { ApiError } from '../../api/client';
import { useCartActions, useStoreCart, type StoreCart } from '../../api/store-cart';
import {
  rememberPendingCheckout,
  takePendingCheckout,
  useCheckout,
  type CheckoutRequest,
  type CheckoutTender,
  type TestToken,
} from '../../api/store-checkout';
import { CheckoutDetails } from './checkout-details';
import { CheckoutPayment, type GiftCardChoice } from './checkout-payment';
import { PriceBreakdown } from './price-breakdown';
import { ReserveInStore } from './reserve-in-store';
import { ProblemAlert } from './shop-bag-page';
import { useShop } from './shop-context';
import { formatMoney } from './shop-format';
import { useShopT } from './shop-i18n';
import { EmptyState, ErrorState } from './shop-states';
import { useShopperWhere } from './shopper-where';

/** How often the page asks again while the bank confirms. */
const BANK_POLL_MS = 2_500;

/** The cart is ready when the server could price everything and knows where to send it. */
function ready(cart: StoreCart): boolean {
  return Boolean(cart.email) && cart.pricing.issues.length === 0;
}

function tendersOf(cart: StoreCart, token: TestToken, gift: GiftCardChoice | null): CheckoutTender[] {
  const total = cart.pricing.grand_total.amount;
  if (!gift) return [{ provider: 'test', method: { token } }];
  const fromGift = Math.min(gift.balance.amount, total);
  const rest = total - fromGift;
  return [
    { provider: 'gift_card', amount: fromGift, method: { code: gift.code } },
    ...(rest > 0 ? [{ provider: 'test' as const, amount: rest, method: { token } }] : []),
  ];
}

function Checkout({ cart }: { cart: StoreCart }) {
  const { t } = useShopT();
  const shop = useShop();
  const navigate = useNavigate();
  const { forget } = useCartActions(shop.key);
  const refetchCart = useStoreCart(shop.key).refetch;
  const checkout = useCheckout(shop.key);
  const { where } = useShopperWhere();
  const [token, setToken] = useState<TestToken>('tok_visa');
  const [gift, setGift] = useState<GiftCardChoice | null>(null);
  const [declined, setDeclined] = useState<string | null>(null);
  const [priceChanged, setPriceChanged] = useState(false);
  const [waiting, setWaiting] = useState<{
    checkout_id: string;
    payment_id: string;
    body: CheckoutRequest;
  } | null>(null);
  const poll = useRef<number | null>(null);

  const send = (body: CheckoutRequest) => {
    setDeclined(null);
    checkout.mutate(body, {
      onSuccess: (answer) => {
        if (answer.status === 'placed') {
          forget();
          void navigate(`/shop/orders/${answer.order.id}`);
          return;
        }
        const pending = { checkout_id: answer.checkout_id, payment_id: answer.payment.id, body };
        if (answer.next_action && !body.checkout_id) {
          // The bank's approval page: the shopper approves there and comes back here to finish.
          rememberPendingCheckout(shop.key, pending);
          window.location.assign(answer.next_action.url);
          return;
        }
        setWaiting(pending);
      },
      onError: (err) => {
        setWaiting(null);
        if (err instanceof ApiError && err.status === 402) setDeclined(err.detail ?? err.title);
        if (err instanceof ApiError && err.status === 409 && err.code !== 'conflict') {
          // New totals: show them (the cart re-priced) and let the shopper confirm again.
          setPriceChanged(true);
          void refetchCart();
        }
      },
    });
  };

  // Waiting for the bank: the same checkout, with the payment it took, until it is placed or refused.
  useEffect(() => {
    if (!waiting) return;
    poll.current = window.setTimeout(
      () => send({ ...waiting.body, checkout_id: waiting.checkout_id, payment_id: waiting.payment_id }),
      BANK_POLL_MS,
    );
    return () => {
      if (poll.current) window.clearTimeout(poll.current);
    };
    // One timer per answer from the server; `send` is recreated each render and must not restart it.
  }, [waiting]);

  // Back from the approval page (`?checkout_id=…`): finish the checkout that was waiting for it, once.
  const [params, setParams] = useSearchParams();
  const returnedId = params.get('checkout_id');
  useEffect(() => {
    if (!returnedId) return;
    const pending = takePendingCheckout(shop.key, returnedId);
    setParams({}, { replace: true });
    if (pending) send({ ...pending.body, checkout_id: pending.checkout_id, payment_id: pending.payment_id });
    // Runs when the shopper arrives with a checkout id; `send` is recreated each render.
  }, [returnedId]);

  const place = () => {
    setPriceChanged(false);
    const sameDay = cart.lines.some((l) => l.delivery_mode === 'same_day');
    send({
      expected_total: cart.pricing.grand_total,
      ...(cart.email ? { email: cart.email } : {}),
      ...(sameDay && where ? { delivery_point: where.point } : {}),
      payments: tendersOf(cart, token, gift),
      return_url: `${window.location.origin}/shop/checkout`,
    });
  };

  const otherError =
    checkout.error instanceof ApiError && ![402].includes(checkout.error.status) && !priceChanged
      ? checkout.error
      : checkout.error && !(checkout.error instanceof ApiError)
        ? checkout.error
        : null;

  return (
    <Stack gap="lg" data-testid="shop-checkout">
      <Title order={1} size="h2">
        {t('shop.checkout.title')}
      </Title>
      <Grid gap="xl">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Stack gap="xl">
            <Paper withBorder radius="md" p="lg">
              <CheckoutDetails cart={cart} onSaved={() => setPriceChanged(false)} />
            </Paper>
            <Paper withBorder radius="md" p="lg">
              <CheckoutPayment token={token} onToken={setToken} giftCard={gift} onGiftCard={setGift} />
            </Paper>
            <Paper withBorder radius="md" p="lg">
              <ReserveInStore cart={cart} />
            </Paper>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Paper withBorder radius="md" p="lg" style={{ position: 'sticky', top: 130 }}>
            <Stack gap="md">
              <Title order={2} size="h4">
                {t('shop.bag.summary')}
              </Title>
              <PriceBreakdown pricing={cart.pricing} />
              {priceChanged && (
                <Alert
                  color="orange"
                  variant="light"
                  icon={<IconAlertTriangle size={18} />}
                  data-testid="shop-price-changed"
                >
                  {t('shop.checkout.priceChanged', {
                    total: formatMoney(cart.pricing.grand_total, shop.locale),
                  })}
                </Alert>
              )}
              {declined && (
                <Alert
                  color="red"
                  variant="filled"
                  icon={<IconAlertTriangle size={18} />}
                  title={t('shop.checkout.declinedTitle')}
                  data-testid="shop-payment-declined"
                >
                  <Text size="sm">{t('shop.checkout.declinedBody')}</Text>
                  <Text size="xs" mt={4} opacity={0.85}>
                    {declined}
                  </Text>
                </Alert>
              )}
              {waiting && (
                <Alert
                  color="yellow"
                  variant="light"
                  icon={<Loader size={16} />}
                  data-testid="shop-waiting-bank"
                >
                  {t('shop.checkout.waitingBank')}
                </Alert>
              )}
              {otherError && <ProblemAlert error={otherError} testId="shop-checkout-error" />}
              {!ready(cart) && (
                <Text size="sm" c="dimmed" data-testid="shop-checkout-not-ready">
                  {t('shop.checkout.notReady')}
                </Text>
              )}
              <Button
                size="md"
                leftSection={<IconLock size={18} />}
                disabled={!ready(cart) || waiting !== null}
                loading={checkout.isPending && !waiting}
                onClick={place}
                data-testid="shop-place-order"
              >
                {priceChanged
                  ? t('shop.checkout.confirmNewTotal')
                  : t('shop.checkout.pay', { total: formatMoney(cart.pricing.grand_total, shop.locale) })}
              </Button>
              <Button component={Link} to="/shop/cart" variant="subtle" color="gray" size="xs">
                {t('shop.checkout.backToBag')}
              </Button>
            </Stack>
          </Paper>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}

export function ShopCheckoutPage() {
  const { t } = useShopT();
  const shop = useShop();
  const cart = useStoreCart(shop.key);
  if (cart.isPending) return <Skeleton height={320} radius="md" />;
  if (cart.isError) return <ErrorState onRetry={() => void cart.refetch()} />;
  if (!cart.data || cart.data.lines.length === 0)
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
  return <Checkout cart={cart.data} />;
}
