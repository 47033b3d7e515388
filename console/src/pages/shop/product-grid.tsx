/**
 * @module A grid of product cards with their prices, fetched for the whole grid in one request, and the
 * loading and empty states every listing shares.
 */
import { Card, SimpleGrid, Skeleton, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { useStorePrices, type StorePrice, type StoreProduct } from '../../api/store';
import { PriceTag } from './price-tag';
import { ProductVisual } from './product-visual';
import { useShop } from './shop-context';
import { useCategoryIndex } from './shop-catalog';

function ProductCard(props: {
  product: StoreProduct;
  price: StorePrice | undefined;
  pricesLoading: boolean;
}) {
  const { product } = props;
  const { shapeOf } = useCategoryIndex();
  const first = product.variants[0];
  return (
    <Card
      component={Link}
      to={`/shop/p/${product.handle}`}
      padding="sm"
      radius="md"
      withBorder
      data-testid="shop-product-card"
      data-handle={product.handle}
    >
      <Card.Section p="xs" pb={0}>
        <ProductVisual
          media={product.media[0] ?? first?.media[0]}
          colour={first?.options.colour}
          shape={shapeOf(product)}
          alt={product.title}
        />
      </Card.Section>
      <Stack gap={4} mt="sm">
        {product.brand && (
          <Text size="xs" c="dimmed" tt="uppercase" fw={600} style={{ letterSpacing: '0.04em' }}>
            {product.brand}
          </Text>
        )}
        <Text size="sm" fw={500} lineClamp={2} mih={40}>
          {product.title}
        </Text>
        <PriceTag price={props.price} loading={props.pricesLoading} />
      </Stack>
    </Card>
  );
}

export function ProductGrid(props: {
  products: StoreProduct[] | undefined;
  loading: boolean;
  empty: ReactNode;
  cols?: number;
}) {
  const shop = useShop();
  const firstVariants = (props.products ?? []).flatMap((p) => (p.variants[0] ? [p.variants[0].id] : []));
  const prices = useStorePrices(shop.key, shop.currency, firstVariants);
  const cols = { base: 2, sm: 3, lg: props.cols ?? 4 };
  if (props.loading)
    return (
      <SimpleGrid cols={cols} spacing="md" data-testid="shop-grid-loading">
        {Array.from({ length: 8 }, (_, i) => (
          <Skeleton key={i} height={320} radius="md" />
        ))}
      </SimpleGrid>
    );
  if (!props.products?.length) return <>{props.empty}</>;
  return (
    <SimpleGrid cols={cols} spacing="md" data-testid="shop-grid">
      {props.products.map((product) => (
        <ProductCard
          key={product.id}
          product={product}
          price={product.variants[0] ? prices.data?.get(product.variants[0].id) : undefined}
          pricesLoading={prices.isPending && shop.currency !== undefined}
        />
      ))}
    </SimpleGrid>
  );
}
