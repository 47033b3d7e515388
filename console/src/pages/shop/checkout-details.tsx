/**
 * @module Checkout's first block: the email the receipt goes to, and — when a line is shipped or delivered today —
 * the delivery address and, for shipped lines, standard or express. Saved on the cart, which the server re-prices
 * (tax by destination, shipping by zone), so the breakdown beside it is always the one checkout will charge.
 */
import { Button, Grid, Radio, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState, type ChangeEvent } from 'react';
import { ApiError } from '../../api/client';
import { useCartActions, type CartAddress, type ShippingMethod, type StoreCart } from '../../api/store-cart';
import { ProblemAlert } from './shop-bag-page';
import { useShop } from './shop-context';
import { useShopT } from './shop-i18n';

/** Countries the demo ships to, by shop currency (the UK shop ships to GB; the EUR shop to Spain and the EU). */
const COUNTRIES: Record<string, string[]> = {
  EUR: ['ES', 'PT', 'FR', 'DE', 'IT', 'NL', 'BE', 'IE', 'AT'],
  GBP: ['GB'],
};

export function CheckoutDetails(props: { cart: StoreCart; onSaved: () => void }) {
  const { cart } = props;
  const { t } = useShopT();
  const shop = useShop();
  const { updateCart } = useCartActions(shop.key);
  const ships = cart.lines.some((l) => l.delivery_mode === 'ship');
  const needsAddress = cart.lines.some((l) => l.delivery_mode !== 'pickup');
  const countries = COUNTRIES[cart.currency] ?? COUNTRIES.EUR!;
  const [email, setEmail] = useState(cart.email ?? '');
  const [address, setAddress] = useState<CartAddress>(
    cart.shipping_address ?? { name: '', line1: '', postal_code: '', city: '', country: countries[0]! },
  );
  const [method, setMethod] = useState<ShippingMethod>(cart.shipping_method);
  const regionNames = new Intl.DisplayNames([shop.locale], { type: 'region' });
  const field = (name: keyof CartAddress) => ({
    value: address[name] ?? '',
    onChange: (event: ChangeEvent<HTMLInputElement>) =>
      setAddress({ ...address, [name]: event.currentTarget.value }),
    error:
      updateCart.error instanceof ApiError
        ? updateCart.error.errors.find((e) => e.field.endsWith(`shipping_address.${name}`))?.message
        : undefined,
  });

  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        const clean = Object.fromEntries(
          Object.entries(address).filter(([, v]) => typeof v === 'string' && v.trim() !== ''),
        ) as unknown as CartAddress;
        updateCart.mutate(
          {
            email: email.trim() || null,
            ...(needsAddress ? { shipping_address: clean } : {}),
            ...(ships ? { shipping_method: method } : {}),
          },
          { onSuccess: props.onSaved },
        );
      }}
    >
      <Stack gap="md" data-testid="shop-checkout-details">
        <Title order={2} size="h4">
          {t('shop.checkout.contact')}
        </Title>
        <TextInput
          type="email"
          required
          label={t('shop.checkout.email')}
          description={t('shop.checkout.emailHint')}
          value={email}
          onChange={(event) => setEmail(event.currentTarget.value)}
          data-testid="shop-checkout-email"
        />
        {needsAddress ? (
          <>
            <Title order={2} size="h4" mt="sm">
              {t('shop.checkout.address')}
            </Title>
            <Grid gap="sm">
              <Grid.Col span={12}>
                <TextInput
                  required
                  label={t('shop.checkout.name')}
                  {...field('name')}
                  data-testid="shop-address-name"
                />
              </Grid.Col>
              <Grid.Col span={12}>
                <TextInput
                  required
                  label={t('shop.checkout.line1')}
                  {...field('line1')}
                  data-testid="shop-address-line1"
                />
              </Grid.Col>
              <Grid.Col span={4}>
                <TextInput
                  required
                  label={t('shop.checkout.postalCode')}
                  {...field('postal_code')}
                  data-testid="shop-address-postal-code"
                />
              </Grid.Col>
              <Grid.Col span={8}>
                <TextInput
                  required
                  label={t('shop.checkout.city')}
                  {...field('city')}
                  data-testid="shop-address-city"
                />
              </Grid.Col>
              <Grid.Col span={12}>
                <Select
                  label={t('shop.checkout.country')}
                  data={countries.map((c) => ({ value: c, label: regionNames.of(c) ?? c }))}
                  value={address.country}
                  allowDeselect={false}
                  onChange={(value) => value && setAddress({ ...address, country: value })}
                  data-testid="shop-address-country"
                />
              </Grid.Col>
            </Grid>
            {ships && (
              <Radio.Group
                label={t('shop.checkout.method')}
                value={method}
                onChange={(value) => setMethod(value as ShippingMethod)}
              >
                <Stack gap={6} mt={6}>
                  <Radio
                    value="standard"
                    label={t('shop.checkout.standard')}
                    data-testid="shop-method-standard"
                  />
                  <Radio
                    value="express"
                    label={t('shop.checkout.express')}
                    data-testid="shop-method-express"
                  />
                </Stack>
              </Radio.Group>
            )}
          </>
        ) : (
          <Text size="sm" c="dimmed" data-testid="shop-checkout-pickup-only">
            {t('shop.checkout.pickupOnly')}
          </Text>
        )}
        <ProblemAlert error={updateCart.error} testId="shop-checkout-details-error" />
        <Button type="submit" variant="light" loading={updateCart.isPending} data-testid="shop-checkout-save">
          {t('shop.checkout.saveDetails')}
        </Button>
      </Stack>
    </form>
  );
}
