/**
 * @module "Available in stores near you" for the chosen variant: near the shopper's position when the browser
 * may tell it (asked only on a click unless already allowed), else near a city they pick; each store with its
 * distance, what it has, and when the item can be picked up there (the inventory module's promise).
 */
import { Badge, Button, Group, Loader, Paper, Select, Stack, Text, Title } from '@mantine/core';
import { IconCurrentLocation, IconMapPin } from '@tabler/icons-react';
import type { Point } from '../../api/inventory-types';
import { useStoreAvailability } from '../../api/store';
import { useShop } from './shop-context';
import { formatDistance, formatWhen } from './shop-format';
import { useShopT } from './shop-i18n';
import { chooseWhere, locateShopper, useShopperWhere } from './shopper-where';

/** The cities the demo retailer has stores in, by their centre (the search point when the shopper picks one). */
export const STORE_CITIES: Array<{ value: string; label: string; point: Point }> = [
  { value: 'madrid', label: 'Madrid', point: { latitude: 40.4168, longitude: -3.7038 } },
  { value: 'barcelona', label: 'Barcelona', point: { latitude: 41.387, longitude: 2.1701 } },
  { value: 'valencia', label: 'València', point: { latitude: 39.4699, longitude: -0.3763 } },
];

/** Units left before the shop says "only N left" rather than "in stock". */
const FEW = 3;

export function StoreFinder(props: {
  sku: string | undefined;
  /** In the bag: each store gets a "pick up here" button; the chosen one is marked. */
  onPick?: (locationId: string) => void;
  picked?: string | null;
  testId?: string;
}) {
  const { sku } = props;
  const { t } = useShopT();
  const shop = useShop();
  const { where, locating, denied } = useShopperWhere();
  const locate = locateShopper;
  const setWhere = chooseWhere;

  const availability = useStoreAvailability(
    shop.key,
    where ? sku : undefined,
    where?.point ?? null,
    'pickup',
  );
  const stores = (availability.data?.skus[0]?.locations ?? []).filter((l) => l.kind === 'store').slice(0, 5);

  return (
    <Paper withBorder radius="md" p="lg" data-testid={props.testId ?? 'shop-store-finder'}>
      <Stack gap="md">
        <Group justify="space-between" wrap="wrap" gap="sm">
          <Group gap={8}>
            <IconMapPin size={20} />
            <Title order={2} size="h4">
              {t('shop.stores.title')}
            </Title>
          </Group>
          <Group gap="xs" wrap="wrap">
            <Button
              variant="light"
              size="xs"
              leftSection={<IconCurrentLocation size={16} />}
              loading={locating}
              onClick={locate}
              data-testid="shop-use-location"
            >
              {t('shop.stores.useLocation')}
            </Button>
            <Select
              size="xs"
              w={170}
              placeholder={t('shop.stores.pickCity')}
              aria-label={t('shop.stores.pickCity')}
              data={STORE_CITIES.map(({ value, label }) => ({ value, label }))}
              value={where?.kind === 'city' ? where.city : null}
              onChange={(value) => {
                const city = STORE_CITIES.find((c) => c.value === value);
                if (city) setWhere({ kind: 'city', city: city.value, point: city.point });
              }}
              data-testid="shop-city"
            />
          </Group>
        </Group>
        {denied && (
          <Text size="sm" c="dimmed" data-testid="shop-location-denied">
            {t('shop.stores.locationDenied')}
          </Text>
        )}
        {!where ? (
          <Text size="sm" c="dimmed">
            {t('shop.stores.prompt')}
          </Text>
        ) : availability.isPending ? (
          <Loader size="sm" />
        ) : availability.error ? (
          <Text size="sm" c="red">
            {t('shop.states.errorBody')}
          </Text>
        ) : stores.length === 0 ? (
          <Text size="sm" c="dimmed" data-testid="shop-no-stores">
            {t('shop.stores.none')}
          </Text>
        ) : (
          <Stack gap={0}>
            {where.kind === 'position' && (
              <Text size="xs" c="dimmed" mb="xs">
                {t('shop.stores.nearYou')}
              </Text>
            )}
            {stores.map((store, i) => (
              <Group
                key={store.location_id}
                justify="space-between"
                wrap="nowrap"
                py="sm"
                style={{ borderTop: i === 0 ? undefined : '1px solid var(--mantine-color-gray-2)' }}
                data-testid="shop-store"
                data-code={store.code}
              >
                <Stack gap={2}>
                  <Text size="sm" fw={600}>
                    {store.name}
                  </Text>
                  {store.promise && (
                    <Text size="xs" c="dimmed" data-testid="shop-store-promise">
                      {t('shop.stores.pickupFrom', { when: formatWhen(store.promise.ready_at, shop.locale) })}
                    </Text>
                  )}
                </Stack>
                <Group gap="sm" wrap="nowrap">
                  {props.onPick &&
                    (props.picked === store.location_id ? (
                      <Badge color="blue" variant="filled" data-testid="shop-store-picked">
                        {t('shop.bag.pickedStore')}
                      </Badge>
                    ) : (
                      <Button
                        size="compact-xs"
                        variant="light"
                        disabled={store.available <= 0 && !store.promise}
                        onClick={() => props.onPick?.(store.location_id)}
                        data-testid="shop-store-pick"
                      >
                        {t('shop.bag.pickHere')}
                      </Button>
                    ))}
                  {store.distance_km !== null && (
                    <Text size="sm" c="dimmed" data-testid="shop-store-distance">
                      {formatDistance(store.distance_km, shop.locale)}
                    </Text>
                  )}
                  <Badge
                    variant="light"
                    color={store.available > FEW ? 'teal' : store.available > 0 ? 'yellow' : 'gray'}
                  >
                    {store.available > FEW
                      ? t('shop.stores.inStock')
                      : store.available > 0
                        ? t('shop.stores.fewLeft', { n: store.available })
                        : store.pickup === 'available_after_transfer'
                          ? t('shop.stores.afterTransfer')
                          : t('shop.stores.onItsWay')}
                  </Badge>
                </Group>
              </Group>
            ))}
          </Stack>
        )}
      </Stack>
    </Paper>
  );
}
