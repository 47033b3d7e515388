/**
 * @module Search results and category pages: the store product search with its facets (category, brand, tag)
 * as filters kept in the address, so a filtered list can be shared or reloaded, and pages through the cursor.
 */
import { Anchor, Breadcrumbs, Button, Checkbox, Grid, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useMemo } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { useStoreProducts, type ProductFilters, type StoreFacets } from '../../api/store';
import { ProductGrid } from './product-grid';
import { useShop } from './shop-context';
import { useCategoryIndex } from './shop-catalog';
import { tagName, useShopT } from './shop-i18n';
import { EmptyState, ErrorState } from './shop-states';

const PAGE = 24;

function FacetGroup(props: {
  title: string;
  param: string;
  values: Array<{ value: string; label: string; count: number }>;
}) {
  const [params, setParams] = useSearchParams();
  const chosen = params.getAll(props.param);
  if (props.values.length === 0) return null;
  const toggle = (value: string, on: boolean) => {
    const next = new URLSearchParams(params);
    next.delete(props.param);
    next.delete('cursor');
    for (const v of on ? [...chosen, value] : chosen.filter((c) => c !== value)) next.append(props.param, v);
    setParams(next);
  };
  return (
    <Stack gap={6} data-testid={`shop-facet-${props.param}`}>
      <Text size="sm" fw={700}>
        {props.title}
      </Text>
      {props.values.slice(0, 12).map((v) => (
        <Checkbox
          key={v.value}
          size="xs"
          data-facet-value={v.value}
          checked={chosen.includes(v.value)}
          onChange={(event) => toggle(v.value, event.currentTarget.checked)}
          label={
            <Group gap={6} wrap="nowrap">
              <Text size="sm">{v.label}</Text>
              <Text size="xs" c="dimmed">
                {v.count}
              </Text>
            </Group>
          }
        />
      ))}
    </Stack>
  );
}

function Facets({ facets, withCategories }: { facets: StoreFacets; withCategories: boolean }) {
  const { t } = useShopT();
  return (
    <Paper withBorder radius="md" p="md">
      <Stack gap="lg">
        {withCategories && (
          <FacetGroup
            title={t('shop.search.categories')}
            param="category"
            values={facets.categories.map((c) => ({ value: c.id, label: c.name, count: c.count }))}
          />
        )}
        <FacetGroup
          title={t('shop.search.brands')}
          param="brand"
          values={facets.brands.map((b) => ({ value: b.value, label: b.value, count: b.count }))}
        />
        <FacetGroup
          title={t('shop.search.tags')}
          param="tag"
          values={facets.tags.map((b) => ({ value: b.value, label: tagName(b.value), count: b.count }))}
        />
      </Stack>
    </Paper>
  );
}

function Listing(props: {
  title: string;
  filters: ProductFilters;
  header?: React.ReactNode;
  search: boolean;
}) {
  const { t } = useShopT();
  const shop = useShop();
  const [params, setParams] = useSearchParams();
  const cursor = params.get('cursor') ?? undefined;
  const filters: ProductFilters = {
    ...props.filters,
    brand: params.getAll('brand'),
    tag: params.getAll('tag'),
    facets: true,
    limit: PAGE,
    cursor,
  };
  const result = useStoreProducts(shop.key, shop.locale, filters);
  const total = result.data?.facets?.total;
  const page = (next: string | null) => {
    const copy = new URLSearchParams(params);
    if (next) copy.set('cursor', next);
    else copy.delete('cursor');
    setParams(copy);
    window.scrollTo({ top: 0 });
  };
  const filtered = params.has('brand') || params.has('tag') || params.has('category');
  return (
    <Stack gap="lg">
      {props.header}
      <Group justify="space-between" align="baseline">
        <Title order={1} size="h2" data-testid="shop-listing-title">
          {props.title}
        </Title>
        {total !== undefined && (
          <Text c="dimmed" size="sm" data-testid="shop-result-count">
            {t('shop.search.count', { count: total })}
          </Text>
        )}
      </Group>
      {result.error ? (
        <ErrorState onRetry={() => void result.refetch()} />
      ) : (
        <Grid gap="lg">
          <Grid.Col span={{ base: 12, md: 3 }}>
            {result.data?.facets && result.data.facets.total > 0 && (
              <Facets facets={result.data.facets} withCategories={props.search} />
            )}
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 9 }}>
            <Stack gap="lg">
              <ProductGrid
                products={result.data?.data}
                loading={result.isPending}
                cols={3}
                empty={
                  <EmptyState
                    testId="shop-no-results"
                    title={t('shop.search.noResultsTitle')}
                    body={
                      props.search && props.filters.q
                        ? t('shop.search.noResultsBody', { q: props.filters.q })
                        : t('shop.search.noResultsFiltered')
                    }
                    action={
                      filtered ? (
                        <Button
                          variant="light"
                          onClick={() =>
                            setParams(new URLSearchParams(props.filters.q ? { q: props.filters.q } : {}))
                          }
                        >
                          {t('shop.search.clearFilters')}
                        </Button>
                      ) : (
                        <Button component={Link} to="/shop" variant="light">
                          {t('shop.search.backHome')}
                        </Button>
                      )
                    }
                  />
                }
              />
              <Group justify="center" gap="sm">
                {cursor && (
                  <Button variant="default" onClick={() => page(null)}>
                    {t('shop.search.firstPage')}
                  </Button>
                )}
                {result.data?.next_cursor && (
                  <Button
                    variant="default"
                    onClick={() => page(result.data.next_cursor)}
                    data-testid="shop-next-page"
                  >
                    {t('shop.search.nextPage')}
                  </Button>
                )}
              </Group>
            </Stack>
          </Grid.Col>
        </Grid>
      )}
    </Stack>
  );
}

export function ShopSearchPage() {
  const { t } = useShopT();
  const [params] = useSearchParams();
  const q = params.get('q') ?? '';
  const categories = params.getAll('category');
  return (
    <Listing
      search
      title={q ? t('shop.search.titleFor', { q }) : t('shop.search.title')}
      filters={{ q: q || undefined, category_id: categories.length ? categories : undefined }}
    />
  );
}

export function ShopCategoryPage() {
  const { t } = useShopT();
  const { handle = '' } = useParams();
  const { byHandle, loading } = useCategoryIndex();
  const category = byHandle.get(handle);
  const filters = useMemo(() => ({ category_id: category ? [category.id] : [] }), [category]);
  if (loading) return null;
  if (!category)
    return (
      <EmptyState
        testId="shop-category-missing"
        title={t('shop.category.missingTitle')}
        body={t('shop.category.missingBody')}
        action={
          <Button component={Link} to="/shop" variant="light">
            {t('shop.search.backHome')}
          </Button>
        }
      />
    );
  return (
    <Listing
      key={category.id}
      search={false}
      title={category.name}
      filters={filters}
      header={
        <Breadcrumbs>
          <Anchor component={Link} to="/shop" size="sm">
            {t('shop.breadcrumb.home')}
          </Anchor>
          {category.parent && (
            <Anchor component={Link} to={`/shop/c/${category.parent.handle}`} size="sm">
              {category.parent.name}
            </Anchor>
          )}
          <Text size="sm">{category.name}</Text>
        </Breadcrumbs>
      }
    />
  );
}
