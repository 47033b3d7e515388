/**
 * @module The shop's front page: a welcome, the departments with their categories, and the bestsellers.
 */
import { Anchor, Badge, Button, Card, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { IconArrowRight } from '@tabler/icons-react';
import { Link } from 'react-router';
import { useStoreProducts } from '../../api/store';
import { EmptyState } from './shop-states';
import { ProductGrid } from './product-grid';
import { ProductVisual } from './product-visual';
import { useShop } from './shop-context';
import { useCategoryIndex } from './shop-catalog';
import { useShopT } from './shop-i18n';

const FEATURED = { tag: ['bestseller'], limit: 8 };

export function ShopHomePage() {
  const { t } = useShopT();
  const shop = useShop();
  const { tree } = useCategoryIndex();
  const featured = useStoreProducts(shop.key, shop.locale, FEATURED);
  return (
    <Stack gap={40} data-testid="shop-home">
      <Paper
        radius="lg"
        p={{ base: 'lg', md: 48 }}
        style={{ background: 'linear-gradient(120deg, #23395d 0%, #3b6ea5 55%, #9cc3e4 100%)' }}
      >
        <Stack gap="md" maw={560}>
          <Badge variant="white" color="dark" w="fit-content">
            {t('shop.home.badge')}
          </Badge>
          <Title order={1} c="white" fz={{ base: 28, md: 40 }} lh={1.15}>
            {t('shop.home.title')}
          </Title>
          <Text c="white" opacity={0.9}>
            {t('shop.home.subtitle')}
          </Text>
          {tree[0] && (
            <Button
              component={Link}
              to={`/shop/c/${tree[0].handle}`}
              variant="white"
              color="dark"
              w="fit-content"
              rightSection={<IconArrowRight size={16} />}
            >
              {t('shop.home.cta')}
            </Button>
          )}
        </Stack>
      </Paper>

      <Stack gap="md">
        <Title order={2} size="h3">
          {t('shop.home.departments')}
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" data-testid="shop-departments">
          {tree.map((top, i) => (
            <Card key={top.id} withBorder radius="lg" padding="lg">
              <Group wrap="nowrap" align="flex-start" gap="lg">
                <div style={{ width: 120, flexShrink: 0 }}>
                  <ProductVisual
                    media={undefined}
                    colour={i % 2 === 0 ? 'terracotta' : 'navy'}
                    shape={top.handle === 'shoes' ? 'shoe' : 'garment'}
                    alt={top.name}
                    ratio={1}
                  />
                </div>
                <Stack gap={6}>
                  <Anchor component={Link} to={`/shop/c/${top.handle}`} c="dark" fw={700} size="lg">
                    {top.name}
                  </Anchor>
                  <Group gap={6}>
                    {top.children.map((child) => (
                      <Badge
                        key={child.id}
                        component={Link}
                        to={`/shop/c/${child.handle}`}
                        variant="light"
                        color="gray"
                        size="lg"
                        radius="sm"
                        tt="none"
                        fw={500}
                        style={{ cursor: 'pointer' }}
                        data-testid="shop-category-chip"
                      >
                        {child.name}
                      </Badge>
                    ))}
                  </Group>
                </Stack>
              </Group>
            </Card>
          ))}
        </SimpleGrid>
      </Stack>

      <Stack gap="md">
        <Title order={2} size="h3">
          {t('shop.home.bestsellers')}
        </Title>
        <ProductGrid
          products={featured.data?.data}
          loading={featured.isPending}
          empty={<EmptyState title={t('shop.home.noProductsTitle')} body={t('shop.home.noProductsBody')} />}
        />
      </Stack>
    </Stack>
  );
}
