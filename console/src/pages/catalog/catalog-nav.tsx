/**
 * @module The Catalog area's heading and its three screens as tabs: products, price lists, promotions.
 */
import { Tabs } from '@mantine/core';
import { IconDiscount2, IconListDetails, IconTags } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useNavigate } from 'react-router';
import { PageHeader } from '../../components/page-header';
import { useCatalogT } from './catalog-i18n';

type Tab = 'products' | 'price-lists' | 'promotions';

const PATHS: Record<Tab, string> = {
  products: '/catalog',
  'price-lists': '/catalog/price-lists',
  promotions: '/catalog/promotions',
};

export function CatalogNav({ active, actions }: { active: Tab; actions?: ReactNode }) {
  const { t } = useCatalogT();
  const navigate = useNavigate();
  return (
    <>
      <PageHeader
        title={t('catalog.title')}
        description={t('catalog.subtitle')}
        order={2}
        actions={actions}
      />
      <Tabs value={active} onChange={(tab) => tab && void navigate(PATHS[tab as Tab])} mb="md">
        <Tabs.List>
          <Tabs.Tab value="products" leftSection={<IconTags size={16} />} data-testid="catalog-tab-products">
            {t('catalog.tabs.products')}
          </Tabs.Tab>
          <Tabs.Tab
            value="price-lists"
            leftSection={<IconListDetails size={16} />}
            data-testid="catalog-tab-price-lists"
          >
            {t('catalog.tabs.priceLists')}
          </Tabs.Tab>
          <Tabs.Tab
            value="promotions"
            leftSection={<IconDiscount2 size={16} />}
            data-testid="catalog-tab-promotions"
          >
            {t('catalog.tabs.promotions')}
          </Tabs.Tab>
        </Tabs.List>
      </Tabs>
    </>
  );
}
