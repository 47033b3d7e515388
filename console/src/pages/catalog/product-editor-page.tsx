/**
 * @module Catalog → a product (`/catalog/products/:id`, or `/catalog/products/new`): its own fields, then — once
 * it exists — variants, prices (and why each channel shows what it shows), size chart and publication per
 * channel with the overrides visible.
 */
import { Anchor, Badge, Breadcrumbs, Grid, Group, Skeleton, Stack, Text, Title } from '@mantine/core';
import { Link, useNavigate, useParams } from 'react-router';
import { useCreateProduct, useProduct, useUpdateProduct } from '../../api/catalog';
import { ErrorAlert } from '../../components/error-alert';
import { notifySuccess } from '../../lib/notify';
import { useCan } from '../../lib/permissions';
import { useCatalogT } from './catalog-i18n';
import { STATUS_COLOR, pickText } from './catalog-display';
import { PricesPanel } from './prices-panel';
import { ProductForm } from './product-form';
import { PublicationPanel } from './publication-panel';
import { SizeChartPanel } from './size-chart-panel';
import { VariantsPanel } from './variants-panel';

export function ProductEditorPage() {
  const { t } = useCatalogT();
  const { id } = useParams();
  const isNew = id === 'new';
  const navigate = useNavigate();
  const product = useProduct(isNew ? undefined : id);
  const create = useCreateProduct();
  const update = useUpdateProduct();
  const canWrite = useCan()('catalog:write');

  const crumbs = (
    <Breadcrumbs mb="sm">
      <Anchor component={Link} to="/catalog" size="sm">
        {t('catalog.tabs.products')}
      </Anchor>
      <Text size="sm">{isNew ? t('catalog.editor.newTitle') : pickText(product.data?.title)}</Text>
    </Breadcrumbs>
  );

  if (isNew) {
    return (
      <>
        {crumbs}
        <Title order={2} mb="md">
          {t('catalog.editor.newTitle')}
        </Title>
        <ProductForm
          saving={create.isPending}
          onSave={async (input) => {
            const created = await create.mutateAsync(input);
            notifySuccess(t('catalog.editor.created'));
            void navigate(`/catalog/products/${created.id}`, { replace: true });
          }}
        />
      </>
    );
  }

  if (product.isPending) {
    return (
      <Stack gap="sm" data-testid="product-loading">
        <Skeleton height={28} width={320} />
        <Skeleton height={240} />
        <Skeleton height={160} />
      </Stack>
    );
  }
  if (product.error) {
    return (
      <>
        {crumbs}
        <ErrorAlert error={product.error} onRetry={() => void product.refetch()} />
      </>
    );
  }
  const data = product.data;

  return (
    <>
      {crumbs}
      <Group gap="sm" mb="md">
        <Title order={2} data-testid="product-heading">
          {pickText(data.title)}
        </Title>
        <Badge variant="light" color={STATUS_COLOR[data.status]}>
          {t(`catalog.status.${data.status}`)}
        </Badge>
        <Text size="sm" c="dimmed" ff="monospace">
          {data.handle}
        </Text>
      </Group>
      <Grid gap="md">
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <Stack gap="md">
            <ProductForm
              key={data.updated_at}
              product={data}
              saving={update.isPending}
              onSave={async (patch) => {
                await update.mutateAsync({ id: data.id, patch });
                notifySuccess(t('catalog.editor.saved'));
              }}
            />
            <SizeChartPanel product={data} canWrite={canWrite} />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <Stack gap="md">
            <VariantsPanel product={data} canWrite={canWrite} />
            <PricesPanel product={data} canWrite={canWrite} />
            <PublicationPanel product={data} canWrite={canWrite} />
          </Stack>
        </Grid.Col>
      </Grid>
    </>
  );
}
