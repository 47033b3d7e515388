/**
 * @module Availability checker — "where can I get this near here": SKUs, a point (a demo city or typed
 * coordinates), a radius, a channel, a delivery mode and a quantity → per location availability with distances
 * and promise dates on a map and in tables, and, for a delivery mode, the sourcing plan with why each location
 * was or was not chosen.
 */
import {
  Alert,
  Badge,
  Button,
  Group,
  NumberInput,
  Paper,
  SegmentedControl,
  Select,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { IconInfoCircle, IconRadar2 } from '@tabler/icons-react';
import { useMemo, useState, type FormEvent } from 'react';
import { useChannels } from '../../api/channels';
import {
  DELIVERY_MODES,
  useAllocation,
  useAvailabilityCheck,
  type AvailabilityQuery,
  type DeliveryMode,
} from '../../api/inventory';
import { ErrorAlert } from '../../components/error-alert';
import { formatDateTime, formatNumber } from '../../lib/format';
import { SKU_PATTERN, formatDistance, parseSkus, useLocationIndex } from './inventory-display';
import { label, useInventoryT } from './inventory-i18n';
import { InventoryNav } from './inventory-nav';
import { LocationMap } from './location-map';
import { PlanPanel, PromiseText } from './sourcing-plan-panel';

/** Places to ask from without typing coordinates (the demo stores' cities and a few more). */
export const DEMO_CITIES: Array<{ value: string; latitude: number; longitude: number }> = [
  { value: 'Madrid', latitude: 40.4168, longitude: -3.7038 },
  { value: 'Getafe', latitude: 40.3057, longitude: -3.7329 },
  { value: 'Barcelona', latitude: 41.3874, longitude: 2.1686 },
  { value: 'Valencia', latitude: 39.4699, longitude: -0.3763 },
  { value: 'Sevilla', latitude: 37.3891, longitude: -5.9845 },
  { value: 'Zaragoza', latitude: 41.6488, longitude: -0.8891 },
  { value: 'Bilbao', latitude: 43.263, longitude: -2.935 },
  { value: 'Lisboa', latitude: 38.7223, longitude: -9.1393 },
];

export function AvailabilityPage() {
  const { t } = useInventoryT();
  const channels = useChannels({ active: true });
  const index = useLocationIndex();
  const [skuText, setSkuText] = useState('');
  const [channelId, setChannelId] = useState<string | null>(null);
  const [city, setCity] = useState<string | null>('Madrid');
  const [latitude, setLatitude] = useState<number | string>(40.4168);
  const [longitude, setLongitude] = useState<number | string>(-3.7038);
  const [radius, setRadius] = useState<number | string>(50);
  const [mode, setMode] = useState<'any' | DeliveryMode>('pickup');
  const [quantity, setQuantity] = useState<number | string>(1);
  const [query, setQuery] = useState<AvailabilityQuery | null>(null);
  const [skuError, setSkuError] = useState<string | null>(null);
  const channel = channelId ?? channels.items[0]?.id ?? null;
  const allocation = useAllocation(channel);
  const { availability, plan } = useAvailabilityCheck(query);

  const pickCity = (value: string | null) => {
    setCity(value);
    const place = DEMO_CITIES.find((c) => c.value === value);
    if (place) {
      setLatitude(place.latitude);
      setLongitude(place.longitude);
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const skus = parseSkus(skuText);
    const bad = skus.find((sku) => !SKU_PATTERN.test(sku));
    if (skus.length === 0) return setSkuError(t('inventory.availability.skusRequired'));
    if (bad) return setSkuError(t('inventory.availability.skuInvalid', { sku: bad }));
    if (skus.length > 100) return setSkuError(t('inventory.availability.tooManySkus'));
    setSkuError(null);
    if (!channel) return;
    const hasPoint = latitude !== '' && longitude !== '';
    setQuery({
      channel_id: channel,
      skus,
      near: hasPoint ? { latitude: Number(latitude), longitude: Number(longitude) } : undefined,
      radius_km: hasPoint && radius !== '' ? Number(radius) : undefined,
      mode: mode === 'any' ? undefined : mode,
      quantity: quantity === '' ? undefined : Number(quantity),
    });
  };

  // Units of the checked SKUs at each location, for the map's labels.
  const badges = useMemo(() => {
    const sums = new Map<string, number>();
    for (const sku of availability.data?.skus ?? [])
      for (const l of sku.locations) sums.set(l.location_id, (sums.get(l.location_id) ?? 0) + l.available);
    return new Map([...sums].map(([id, n]) => [id, t('inventory.availability.units', { count: n })]));
  }, [availability.data, t]);
  const shownLocations = (index.locations.data ?? []).filter(
    (l) => !query || badges.has(l.id) || !availability.data,
  );

  return (
    <>
      <InventoryNav active="availability" />
      <Paper withBorder radius="md" p="md" mb="md">
        <form onSubmit={submit} noValidate data-testid="availability-form">
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }}>
            <TextInput
              label={t('inventory.availability.skus')}
              placeholder="TEE-BLUE-M, JEANS-32"
              value={skuText}
              onChange={(e) => setSkuText(e.currentTarget.value)}
              error={skuError}
              data-testid="availability-skus"
            />
            <Select
              label={t('inventory.availability.channel')}
              data={channels.items.map((c) => ({ value: c.id, label: c.name }))}
              value={channel}
              onChange={setChannelId}
              allowDeselect={false}
              searchable
              data-testid="availability-channel"
            />
            <Select
              label={t('inventory.availability.city')}
              placeholder={t('inventory.availability.cityPlaceholder')}
              data={DEMO_CITIES.map((c) => c.value)}
              value={city}
              onChange={pickCity}
              // Picking the chosen city again keeps it (Mantine would otherwise deselect); × clears it.
              allowDeselect={false}
              clearable
              data-testid="availability-city"
            />
            <Group grow gap="xs">
              <NumberInput
                label={t('inventory.locations.latitude')}
                value={latitude}
                onChange={(v) => {
                  setLatitude(v);
                  // Typing other coordinates leaves the city; the city's own (set by picking it) keep it.
                  if (Number(v) !== DEMO_CITIES.find((c) => c.value === city)?.latitude) setCity(null);
                }}
                decimalScale={5}
                min={-90}
                max={90}
                data-testid="availability-latitude"
              />
              <NumberInput
                label={t('inventory.locations.longitude')}
                value={longitude}
                onChange={(v) => {
                  setLongitude(v);
                  // Typing other coordinates leaves the city; the city's own (set by picking it) keep it.
                  if (Number(v) !== DEMO_CITIES.find((c) => c.value === city)?.longitude) setCity(null);
                }}
                decimalScale={5}
                min={-180}
                max={180}
                data-testid="availability-longitude"
              />
            </Group>
          </SimpleGrid>
          <Group mt="md" align="flex-end" wrap="wrap">
            <NumberInput
              label={t('inventory.availability.radius')}
              value={radius}
              onChange={setRadius}
              min={1}
              max={20000}
              w={140}
              data-testid="availability-radius"
            />
            <NumberInput
              label={t('inventory.availability.quantity')}
              value={quantity}
              onChange={setQuantity}
              min={1}
              allowDecimal={false}
              w={120}
              data-testid="availability-quantity"
            />
            <Stack gap={4}>
              <Text size="sm" fw={500}>
                {t('inventory.availability.mode')}
              </Text>
              <SegmentedControl
                value={mode}
                onChange={(v) => setMode(v as typeof mode)}
                data={[
                  { value: 'any', label: t('inventory.availability.anyMode') },
                  ...DELIVERY_MODES.map((m) => ({ value: m, label: label('modes', m) })),
                ]}
                data-testid="availability-mode"
              />
            </Stack>
            <Button
              type="submit"
              leftSection={<IconRadar2 size={16} />}
              loading={availability.isFetching}
              disabled={!channel}
              data-testid="availability-submit"
            >
              {t('inventory.availability.check')}
            </Button>
          </Group>
          {allocation.data && (
            <Text size="xs" c="dimmed" mt="sm" data-testid="availability-allocation">
              {allocation.data.locations.length === 0
                ? t('inventory.availability.noAllocation')
                : t('inventory.availability.allocation', {
                    locations: allocation.data.locations
                      .map((l) => (l.holdback > 0 ? `${l.code} (−${l.holdback})` : l.code))
                      .join(', '),
                  })}
            </Text>
          )}
        </form>
      </Paper>

      {query === null ? (
        <Alert icon={<IconInfoCircle size={18} />} variant="light" data-testid="availability-intro">
          {t('inventory.availability.intro')}
        </Alert>
      ) : availability.isPending ? (
        <Skeleton height={300} radius="md" />
      ) : availability.error ? (
        <ErrorAlert error={availability.error} data-testid="availability-error" />
      ) : (
        <SimpleGrid cols={{ base: 1, lg: 2 }}>
          <Stack>
            <Paper withBorder radius="md" p="xs">
              <LocationMap
                locations={shownLocations}
                point={
                  query.near
                    ? {
                        latitude: query.near.latitude,
                        longitude: query.near.longitude,
                        radius_km: query.radius_km,
                      }
                    : null
                }
                badges={badges}
                data-testid="availability-map"
              />
            </Paper>
            <PlanPanel
              plan={plan.data}
              pending={plan.isPending && query.mode !== undefined}
              error={plan.error}
            />
          </Stack>
          <Stack data-testid="availability-results">
            {availability.data?.skus.map((sku) => (
              <Paper key={sku.sku} withBorder radius="md" p="md" data-testid={`availability-sku-${sku.sku}`}>
                <Group justify="space-between" mb="xs">
                  <Text ff="monospace" fw={700}>
                    {sku.sku}
                  </Text>
                  <Group gap="xs">
                    <Badge color={sku.available > 0 ? 'teal' : 'red'} variant="light">
                      {t('inventory.availability.available', { count: sku.available })}
                    </Badge>
                    <Badge variant="outline" color="gray">
                      {t('inventory.availability.inStockAt', { count: sku.locations_in_stock })}
                    </Badge>
                  </Group>
                </Group>
                {sku.locations.length === 0 ? (
                  <Text size="sm" c="dimmed">
                    {t('inventory.availability.nowhere')}
                  </Text>
                ) : (
                  <Table verticalSpacing={6}>
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>{t('inventory.locations.location')}</Table.Th>
                        <Table.Th ta="right">{t('inventory.availability.distance')}</Table.Th>
                        <Table.Th ta="right">{t('inventory.level.available')}</Table.Th>
                        <Table.Th>{t('inventory.availability.promiseColumn')}</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {sku.locations.map((l) => (
                        <Table.Tr key={l.location_id} data-testid={`availability-row-${sku.sku}-${l.code}`}>
                          <Table.Td>
                            <Text size="sm" fw={600}>
                              {l.code}
                            </Text>
                            <Text size="xs" c="dimmed">
                              {l.name}
                            </Text>
                          </Table.Td>
                          <Table.Td ta="right" data-testid="availability-distance">
                            {formatDistance(l.distance_km)}
                          </Table.Td>
                          <Table.Td ta="right">
                            <Text fw={700} size="sm">
                              {formatNumber(l.available)}
                            </Text>
                            {l.incoming.map((lot) => (
                              <Text key={lot.eta} size="xs" c="dimmed">
                                {t('inventory.availability.incomingLot', {
                                  count: lot.quantity,
                                  eta: formatDateTime(lot.eta),
                                })}
                              </Text>
                            ))}
                          </Table.Td>
                          <Table.Td>
                            <PromiseText promise={l.promise} />
                          </Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                )}
              </Paper>
            ))}
          </Stack>
        </SimpleGrid>
      )}
    </>
  );
}
