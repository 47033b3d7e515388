/**
 * @module A product page: pictures, the options (colour, size) that pick the variant, its price in the shop's
 * currency with any sale, the size chart, details, and where it can be picked up nearby. An unknown product, or
 * one this channel does not sell, reads as "not found".
 */
import {
  Alert,
  Anchor,
  Breadcrumbs,
  Button,
  Divider,
  Grid,
  Group,
  Skeleton,
  Stack,
  Table,
  Text,
  Title,
  Tooltip,
  UnstyledButton,
} from '@mantine/core';
import { IconShoppingBagPlus } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import { ApiError } from '../../api/client';
import { useStorePrices, useStoreProduct, type StoreProduct } from '../../api/store';
import { useCartActions } from '../../api/store-cart';
import { PriceTag } from './price-tag';
import { ProductVisual, toneOf } from './product-visual';
import { SizeChartButton } from './size-chart';
import { StoreFinder } from './store-finder';
import { useShop } from './shop-context';
import { useCategoryIndex } from './shop-catalog';
import { attributeValue, colourName, useShopT } from './shop-i18n';
import { EmptyState, ErrorState } from './shop-states';

function ColourPicker(props: { values: string[]; value: string | undefined; onChange: (v: string) => void }) {
  return (
    <Group gap="xs">
      {props.values.map((colour) => (
        <Tooltip key={colour} label={colourName(colour)} withArrow>
          <UnstyledButton
            aria-label={colourName(colour)}
            aria-pressed={colour === props.value}
            onClick={() => props.onChange(colour)}
            data-testid="shop-colour"
            data-value={colour}
            style={{
              width: 34,
              height: 34,
              borderRadius: '50%',
              background: toneOf(colour),
              border: '1px solid rgba(0,0,0,0.15)',
              outline: colour === props.value ? '2px solid var(--mantine-color-blue-6)' : 'none',
              outlineOffset: 3,
            }}
          />
        </Tooltip>
      ))}
    </Group>
  );
}

function SizePicker(props: { values: string[]; value: string | undefined; onChange: (v: string) => void }) {
  return (
    <Group gap={6}>
      {props.values.map((size) => (
        <Button
          key={size}
          size="sm"
          miw={52}
          variant={size === props.value ? 'filled' : 'default'}
          onClick={() => props.onChange(size)}
          aria-pressed={size === props.value}
          data-testid="shop-size"
          data-value={size}
        >
          {size}
        </Button>
      ))}
    </Group>
  );
}

function Product({ product }: { product: StoreProduct }) {
  const { t } = useShopT();
  const shop = useShop();
  const { byId, shapeOf } = useCategoryIndex();
  // Start on the first variant's options; each choice then keeps the others where they are.
  const [chosen, setChosen] = useState<Record<string, string>>(() => ({ ...product.variants[0]?.options }));
  const variant = useMemo(
    () =>
      product.variants.find((v) =>
        Object.entries(chosen).every(([name, value]) => v.options[name] === value),
      ),
    [product.variants, chosen],
  );
  const prices = useStorePrices(
    shop.key,
    shop.currency,
    product.variants.map((v) => v.id),
  );
  const category = product.category_ids.map((id) => byId.get(id)).find(Boolean);
  const colourOption = product.options.find((o) => o.name === 'colour');
  const sizeOption = product.options.find((o) => o.name === 'size');
  const others = product.options.filter((o) => o !== colourOption && o !== sizeOption);
  const choose = (name: string, value: string) => setChosen((current) => ({ ...current, [name]: value }));
  const { addLine } = useCartActions(shop.key);
  const [added, setAdded] = useState<string | null>(null);

  return (
    <Stack gap="xl" data-testid="shop-product" data-handle={product.handle}>
      <Breadcrumbs>
        <Anchor component={Link} to="/shop" size="sm">
          {t('shop.breadcrumb.home')}
        </Anchor>
        {category?.parent && (
          <Anchor component={Link} to={`/shop/c/${category.parent.handle}`} size="sm">
            {category.parent.name}
          </Anchor>
        )}
        {category && (
          <Anchor component={Link} to={`/shop/c/${category.handle}`} size="sm">
            {category.name}
          </Anchor>
        )}
        <Text size="sm" lineClamp={1}>
          {product.title}
        </Text>
      </Breadcrumbs>
      <Grid gap={40}>
        <Grid.Col span={{ base: 12, md: 6 }}>
          <ProductVisual
            media={variant?.media[0] ?? product.media[0]}
            colour={chosen.colour}
            shape={shapeOf(product)}
            alt={product.title}
            ratio={1}
          />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 6 }}>
          <Stack gap="lg">
            <Stack gap={4}>
              {product.brand && (
                <Text size="sm" c="dimmed" tt="uppercase" fw={600} style={{ letterSpacing: '0.05em' }}>
                  {product.brand}
                </Text>
              )}
              <Title order={1} size="h2" data-testid="shop-product-title">
                {product.title}
              </Title>
            </Stack>
            <PriceTag
              size="lg"
              price={variant ? prices.data?.get(variant.id) : undefined}
              loading={prices.isPending && shop.currency !== undefined}
              testId="shop-product-price"
            />
            {colourOption && (
              <Stack gap={8}>
                <Text size="sm" fw={600}>
                  {colourOption.label}:{' '}
                  <Text span fw={400}>
                    {chosen.colour ? colourName(chosen.colour) : ''}
                  </Text>
                </Text>
                <ColourPicker
                  values={colourOption.values}
                  value={chosen.colour}
                  onChange={(v) => choose('colour', v)}
                />
              </Stack>
            )}
            {sizeOption && (
              <Stack gap={8}>
                <Group justify="space-between">
                  <Text size="sm" fw={600}>
                    {sizeOption.label}
                  </Text>
                  {product.size_chart && <SizeChartButton chart={product.size_chart} size={chosen.size} />}
                </Group>
                <SizePicker
                  values={sizeOption.values}
                  value={chosen.size}
                  onChange={(v) => choose('size', v)}
                />
              </Stack>
            )}
            {others.map((option) => (
              <Stack gap={8} key={option.name}>
                <Text size="sm" fw={600}>
                  {option.label}
                </Text>
                <SizePicker
                  values={option.values}
                  value={chosen[option.name]}
                  onChange={(v) => choose(option.name, v)}
                />
              </Stack>
            ))}
            {!variant && (
              <Text size="sm" c="red" data-testid="shop-no-variant">
                {t('shop.product.noVariant')}
              </Text>
            )}
            <Button
              size="md"
              leftSection={<IconShoppingBagPlus size={18} />}
              disabled={!variant || shop.currency === undefined}
              loading={addLine.isPending}
              onClick={() =>
                variant &&
                addLine.mutate(
                  { variant_id: variant.id, quantity: 1 },
                  { onSuccess: () => setAdded(variant.sku) },
                )
              }
              data-testid="shop-add-to-bag"
            >
              {t('shop.product.addToBag')}
            </Button>
            {added && added === variant?.sku && (
              <Alert color="teal" variant="light" py="xs" data-testid="shop-added">
                <Group justify="space-between" gap="sm">
                  <Text size="sm">{t('shop.product.added')}</Text>
                  <Anchor
                    component={Link}
                    to="/shop/cart"
                    size="sm"
                    fw={600}
                    data-testid="shop-added-view-bag"
                  >
                    {t('shop.product.viewBag')}
                  </Anchor>
                </Group>
              </Alert>
            )}
            {addLine.error && (
              <Text size="sm" c="red" data-testid="shop-add-error">
                {addLine.error.message}
              </Text>
            )}
            {variant && (
              <Text size="xs" c="dimmed" data-testid="shop-variant-sku">
                {t('shop.product.sku', { sku: variant.sku })}
              </Text>
            )}
            <Divider />
            {product.description && <Text size="sm">{product.description}</Text>}
            {product.attributes.length > 0 && (
              <Table withRowBorders={false} verticalSpacing={4} data-testid="shop-attributes">
                <Table.Tbody>
                  {product.attributes.map((a) => (
                    <Table.Tr key={a.key}>
                      <Table.Td c="dimmed" w={140}>
                        {attributeValue('names', a.key)}
                      </Table.Td>
                      <Table.Td>{attributeValue(a.key, a.value)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </Stack>
        </Grid.Col>
      </Grid>
      <StoreFinder sku={variant?.sku} />
    </Stack>
  );
}

export function ShopProductPage() {
  const { t } = useShopT();
  const shop = useShop();
  const { handle = '' } = useParams();
  const product = useStoreProduct(shop.key, shop.locale, handle);
  if (product.isPending)
    return (
      <Grid gap={40} data-testid="shop-product-loading">
        <Grid.Col span={{ base: 12, md: 6 }}>
          <Skeleton height={520} radius="md" />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 6 }}>
          <Stack>
            <Skeleton height={36} width="70%" />
            <Skeleton height={28} width={120} />
            <Skeleton height={120} />
          </Stack>
        </Grid.Col>
      </Grid>
    );
  if (product.error instanceof ApiError && product.error.status === 404)
    return (
      <EmptyState
        testId="shop-product-missing"
        title={t('shop.product.missingTitle')}
        body={t('shop.product.missingBody')}
        action={
          <Button component={Link} to="/shop" variant="light">
            {t('shop.search.backHome')}
          </Button>
        }
      />
    );
  if (product.error || !product.data) return <ErrorState onRetry={() => void product.refetch()} />;
  // A new product (or language) starts its own choices.
  return <Product key={`${product.data.id}`} product={product.data} />;
}
