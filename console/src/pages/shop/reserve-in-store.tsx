/**
 * @module "Reserve and try in store" at checkout: offered when a store near the shopper has everything in the bag
 * now. Nothing is paid online; the order page then says until when the store holds it.
 */
import { Button, Group, Select, Stack, Text, Title } from '@mantine/core';
import { IconBuildingStore } from '@tabler/icons-react';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { useCartActions, type StoreCart } from '../../api/store-cart';
import { useReserveInStore, useReserveStores } from '../../api/store-reserve';
import { ProblemAlert } from './shop-bag-page';
import { useShop } from './shop-context';
import { formatDistance } from './shop-format';
import { useShopT } from './shop-i18n';
import { STORE_CITIES } from './store-finder';
import { chooseWhere, useShopperWhere } from './shopper-where';

export function ReserveInStore({ cart }: { cart: StoreCart }) {
  const { t } = useShopT();
  const shop = useShop();
  const navigate = useNavigate();
  const { forget } = useCartActions(shop.key);
  const { where } = useShopperWhere();
  const stores = useReserveStores(shop.key, cart.lines, where?.point ?? null);
  const reserve = useReserveInStore(shop.key);
  const [picked, setPicked] = useState<string | null>(null);
  const options = stores.data ?? [];
  const chosen =
    picked && options.some((s) => s.location_id === picked) ? picked : (options[0]?.location_id ?? null);

  const submit = () => {
    if (!chosen) return;
    reserve.mutate(
      {
        location_id: chosen,
        expected_total: cart.pricing.grand_total,
        ...(cart.email ? { email: cart.email } : {}),
      },
      {
        onSuccess: (answer) => {
          forget();
          void navigate(`/shop/orders/${answer.order.id}`);
        },
      },
    );
  };

  return (
    <Stack gap="sm" data-testid="shop-reserve">
      <Group gap={8}>
        <IconBuildingStore size={20} />
        <Title order={2} size="h4">
          {t('shop.reserve.title')}
        </Title>
      </Group>
      <Text size="sm" c="dimmed">
        {t('shop.reserve.body')}
      </Text>
      {!where ? (
        <Select
          label={t('shop.reserve.where')}
          data={STORE_CITIES.map((c) => ({ value: c.value, label: c.label }))}
          onChange={(value) => {
            const city = STORE_CITIES.find((c) => c.value === value);
            if (city) chooseWhere({ kind: 'city', city: city.value, point: city.point });
          }}
          w={300}
          data-testid="shop-reserve-city"
        />
      ) : !stores.isPending && options.length === 0 ? (
        <Text size="sm" data-testid="shop-reserve-none">
          {t('shop.reserve.none')}
        </Text>
      ) : (
        <Group align="flex-end" wrap="wrap">
          <Select
            label={t('shop.reserve.store')}
            data={options.map((s) => ({
              value: s.location_id,
              label:
                s.distance_km === null ? s.name : `${s.name} · ${formatDistance(s.distance_km, shop.locale)}`,
            }))}
            value={chosen}
            onChange={setPicked}
            allowDeselect={false}
            w={300}
            data-testid="shop-reserve-store"
          />
          <Button
            variant="light"
            leftSection={<IconBuildingStore size={18} />}
            disabled={!chosen || !cart.email}
            loading={reserve.isPending}
            onClick={submit}
            data-testid="shop-reserve-submit"
          >
            {t('shop.reserve.button')}
          </Button>
        </Group>
      )}
      {reserve.error && <ProblemAlert error={reserve.error} testId="shop-reserve-error" />}
    </Stack>
  );
}
