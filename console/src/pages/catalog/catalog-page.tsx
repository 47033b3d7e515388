/**
 * @module Catalog → Products: the server's full-text search with facets (category, brand, tag, price range)
 * counted over the whole match, a status filter, keyset pagination ("Load more"), and a barcode box that
 * opens the product a scanned SKU or GTIN belongs to.
 */
import {
  Anchor,
  Badge,
  Button,
  Checkbox,
  Grid,
  Group,
  Paper,
  SegmentedControl,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconBarcode, IconPlus, IconSearch, IconTags } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { lookupCode, useProducts, type FacetValue, type ProductStatus } from '../../api/catalog';
import { ApiError } from '../../api/client';
import { ListState, LoadMore } from '../../components/list-state';
import { formatDateTime, formatMoney } from '../../lib/format';
import { useCan } from '../../lib/permissions';
import { useCatalogT } from './catalog-i18n';
import { STATUS_COLOR, pickText } from './catalog-display';
import { CatalogNav } from './catalog-nav';

type StatusFilter = 'all' | ProductStatus;

function toggle(list: string[], value: string): string[] {
  return list.includes(value) ? list.filter((v) => v !== value) : [...list, value];
}

export function CatalogPage() {
  const { t } = useCatalogT();
  const navigate = useNavigate();
  const canWrite = useCan()('catalog:write');
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 300);
  const [status, setStatus] = useState<StatusFilter>('all');
  const [brands, setBrands] = useState<string[]>([]);
  const [categories, setCategories] = useState<string[]>([]);
  const [tags, setTags] = useState<string[]>([]);
  const products = useProducts({
    q: q || undefined,
    status: status === 'all' ? undefined : [status],
    brand: brands,
    category_id: categories,
    tag: tags,
  });
  const facets = products.facets;
  const filtered = q !== '' || brands.length + categories.length + tags.length > 0 || status !== 'all';

  const createButton = canWrite && (
    <Button
      component={Link}
      to="/catalog/products/new"
      leftSection={<IconPlus size={16} />}
      data-testid="product-create"
    >
      {t('catalog.products.create')}
    </Button>
  );

  return (
    <>
      <CatalogNav active="products" actions={createButton} />
      <Group align="flex-start" gap="sm" mb="md" wrap="wrap">
        <TextInput
          style={{ flex: '1 1 320px' }}
          leftSection={<IconSearch size={16} />}
          placeholder={t('catalog.products.searchPlaceholder')}
          aria-label={t('catalog.products.searchLabel')}
          value={search}
          onChange={(event) => setSearch(event.currentTarget.value)}
          maxLength={200}
          data-testid="product-search"
        />
        <BarcodeBox onFound={(productId) => void navigate(`/catalog/products/${productId}`)} />
        <SegmentedControl
          value={status}
          onChange={(value) => setStatus(value as StatusFilter)}
          data={(['all', 'active', 'draft', 'archived'] as const).map((value) => ({
            value,
            label: t(`catalog.status.${value}`),
          }))}
          data-testid="product-status-filter"
        />
      </Group>
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 3 }}>
          <Paper withBorder radius="md" p="md" data-testid="product-facets">
            <Stack gap="md">
              <Text size="sm" c="dimmed" data-testid="facet-total">
                {t('catalog.products.matching', { count: facets?.total ?? 0 })}
              </Text>
              <FacetGroup
                title={t('catalog.products.facetCategories')}
                values={(facets?.categories ?? []).map((c) => ({
                  value: c.id,
                  label: pickText(c.name),
                  count: c.count,
                }))}
                selected={categories}
                onToggle={(value) => setCategories((list) => toggle(list, value))}
                testId="facet-category"
              />
              <FacetGroup
                title={t('catalog.products.facetBrands')}
                values={(facets?.brands ?? []).map(asOption)}
                selected={brands}
                onToggle={(value) => setBrands((list) => toggle(list, value))}
                testId="facet-brand"
              />
              <FacetGroup
                title={t('catalog.products.facetTags')}
                values={(facets?.tags ?? []).map(asOption)}
                selected={tags}
                onToggle={(value) => setTags((list) => toggle(list, value))}
                testId="facet-tag"
              />
              <Stack gap={4}>
                <Title order={6}>{t('catalog.products.facetPrice')}</Title>
                <Text size="sm" c={facets?.price ? undefined : 'dimmed'} data-testid="facet-price">
                  {facets?.price
                    ? `${formatMoney(facets.price.min)} – ${formatMoney(facets.price.max)}`
                    : t('catalog.products.noPrices')}
                </Text>
              </Stack>
            </Stack>
          </Paper>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 9 }}>
          <ListState
            isPending={products.isPending}
            error={products.error}
            onRetry={() => void products.refetch()}
            isEmpty={products.items.length === 0}
            emptyIcon={filtered ? <IconSearch size={28} /> : <IconTags size={28} />}
            emptyTitle={filtered ? t('catalog.products.emptySearchTitle') : t('catalog.products.emptyTitle')}
            emptyDescription={
              filtered ? t('catalog.products.emptySearchBody') : t('catalog.products.emptyBody')
            }
            emptyAction={!filtered && createButton}
          >
            <Paper withBorder radius="md">
              <Table.ScrollContainer type="native" minWidth={760}>
                <Table verticalSpacing="sm" highlightOnHover data-testid="products-table">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('catalog.products.product')}</Table.Th>
                      <Table.Th>{t('catalog.products.status')}</Table.Th>
                      <Table.Th>{t('catalog.products.brand')}</Table.Th>
                      <Table.Th>{t('catalog.products.variants')}</Table.Th>
                      <Table.Th>{t('catalog.products.channels')}</Table.Th>
                      <Table.Th>{t('catalog.products.updated')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {products.items.map((product) => (
                      <Table.Tr key={product.id} data-testid="product-row" data-product-id={product.id}>
                        <Table.Td maw={320}>
                          <Anchor
                            component={Link}
                            to={`/catalog/products/${product.id}`}
                            size="sm"
                            fw={500}
                            data-testid="product-row-link"
                          >
                            {pickText(product.title)}
                          </Anchor>
                          <Text size="xs" c="dimmed" truncate>
                            {product.variants
                              .slice(0, 3)
                              .map((v) => v.sku)
                              .join(' · ')}
                          </Text>
                        </Table.Td>
                        <Table.Td>
                          <Badge variant="light" color={STATUS_COLOR[product.status]}>
                            {t(`catalog.status.${product.status}`)}
                          </Badge>
                        </Table.Td>
                        <Table.Td>{product.brand ?? '—'}</Table.Td>
                        <Table.Td>{product.variants.length}</Table.Td>
                        <Table.Td>
                          {t('catalog.products.publishedCount', {
                            count: product.channels.filter((c) => c.published).length,
                          })}
                        </Table.Td>
                        <Table.Td style={{ whiteSpace: 'nowrap' }}>
                          {formatDateTime(product.updated_at)}
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            </Paper>
            <LoadMore {...products} />
          </ListState>
        </Grid.Col>
      </Grid>
    </>
  );
}

const asOption = (facet: FacetValue) => ({ value: facet.value, label: facet.value, count: facet.count });

interface FacetGroupProps {
  title: string;
  values: Array<{ value: string; label: string; count: number }>;
  selected: string[];
  onToggle: (value: string) => void;
  testId: string;
}

function FacetGroup({ title, values, selected, onToggle, testId }: FacetGroupProps) {
  const { t } = useCatalogT();
  return (
    <Stack gap={6}>
      <Title order={6}>{title}</Title>
      {values.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('catalog.products.facetNone')}
        </Text>
      )}
      {values.map((option) => (
        <Checkbox
          key={option.value}
          size="xs"
          checked={selected.includes(option.value)}
          onChange={() => onToggle(option.value)}
          label={`${option.label} (${option.count})`}
          data-testid={testId}
          data-value={option.value}
        />
      ))}
    </Stack>
  );
}

/** A scanner types the code and Enter: open the product that variant belongs to. */
function BarcodeBox({ onFound }: { onFound: (productId: string) => void }) {
  const { t } = useCatalogT();
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!code.trim()) return;
    setBusy(true);
    setError(null);
    try {
      const found = await lookupCode(code.trim());
      onFound(found.product.id);
    } catch (cause) {
      setError(
        cause instanceof ApiError && cause.status === 404
          ? t('catalog.products.barcodeNotFound', { code: code.trim() })
          : cause instanceof Error
            ? cause.message
            : String(cause),
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(event) => void submit(event)} style={{ flex: '0 1 260px' }}>
      <TextInput
        leftSection={<IconBarcode size={16} />}
        placeholder={t('catalog.products.barcodePlaceholder')}
        aria-label={t('catalog.products.barcodeLabel')}
        value={code}
        onChange={(event) => setCode(event.currentTarget.value)}
        error={error}
        disabled={busy}
        maxLength={64}
        data-testid="barcode-lookup"
      />
    </form>
  );
}
