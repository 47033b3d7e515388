/**
 * @module The bag's and checkout's price breakdown, exactly as the server priced the cart: goods, discounts,
 * shipping, tax (included or added), total, the promotions that applied and why a code did not.
 */
import { Divider, Group, Stack, Text } from '@mantine/core';
import type { CartPricing } from '../../api/store-cart';
import type { Money } from '../../api/store';
import { useShop } from './shop-context';
import { formatMoney } from './shop-format';
import { ts, useShopT } from './shop-i18n';

const KNOWN_REASONS = ['unknown_code', 'customer_required', 'expired', 'min_subtotal_not_met'] as const;

/** Why a code did not apply, in the shop's language (the server's detail is English). */
function codeReason(reason: string): string {
  const known = KNOWN_REASONS.find((r) => r === reason);
  return known ? ts(`shop.bag.codeReasons.${known}`) : ts('shop.bag.codeReasons.other');
}

function Row(props: { label: string; value: string; testId: string; strong?: boolean; dimmed?: boolean }) {
  return (
    <Group justify="space-between" wrap="nowrap" data-testid={props.testId}>
      <Text
        size={props.strong ? 'md' : 'sm'}
        fw={props.strong ? 700 : 400}
        c={props.dimmed ? 'dimmed' : undefined}
      >
        {props.label}
      </Text>
      <Text size={props.strong ? 'lg' : 'sm'} fw={props.strong ? 700 : 500}>
        {props.value}
      </Text>
    </Group>
  );
}

export function PriceBreakdown({ pricing }: { pricing: CartPricing }) {
  const { t } = useShopT();
  const { locale } = useShop();
  const money = (m: Money) => formatMoney(m, locale);
  const needsAddress = pricing.issues.some((i) => i.reason === 'no_shipping_address');
  const ships = pricing.lines.some((l) => l.delivery_mode !== 'pickup');
  const inclusive = pricing.lines.every((l) => l.tax_inclusive);
  return (
    <Stack gap={6} data-testid="shop-price-breakdown" data-total={pricing.grand_total.amount}>
      <Row label={t('shop.bag.subtotal')} value={money(pricing.subtotal)} testId="shop-subtotal" />
      {pricing.discount_total.amount > 0 && (
        <Row
          label={t('shop.bag.discount')}
          value={`−${money(pricing.discount_total)}`}
          testId="shop-discount"
        />
      )}
      <Row
        label={t('shop.bag.shipping')}
        value={
          !ships
            ? t('shop.bag.shippingNone')
            : needsAddress
              ? t('shop.bag.shippingAtCheckout')
              : pricing.shipping_total.amount === 0
                ? t('shop.bag.free')
                : money(pricing.shipping_total)
        }
        testId="shop-shipping"
      />
      <Row
        label={inclusive ? t('shop.bag.taxIncluded') : t('shop.bag.tax')}
        value={money(pricing.tax_total)}
        testId="shop-tax"
        dimmed={inclusive}
      />
      <Divider my={4} />
      <Row label={t('shop.bag.total')} value={money(pricing.grand_total)} testId="shop-total" strong />
      {pricing.applied_promotions
        .filter((p) => p.code || p.amount.amount > 0)
        .map((p) => (
          <Text key={`${p.code}-${p.name}`} size="xs" c="teal.7" data-testid="shop-promotion-applied">
            {p.code ? `${p.code} · ` : ''}
            {p.name}
          </Text>
        ))}
      {pricing.not_applied_promotions
        .filter((p) => p.code)
        .map((p) => (
          <Text key={p.code} size="xs" c="orange.8" data-testid="shop-promotion-refused">
            {t('shop.bag.codeNotApplied', { code: p.code, reason: codeReason(p.reason) })}
          </Text>
        ))}
    </Stack>
  );
}
