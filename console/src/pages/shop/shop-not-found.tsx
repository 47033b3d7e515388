/** @module A shop address that leads nowhere. */
import { Button } from '@mantine/core';
import { Link } from 'react-router';
import { useShopT } from './shop-i18n';
import { EmptyState } from './shop-states';

export function ShopNotFound() {
  const { t } = useShopT();
  return (
    <EmptyState
      testId="shop-not-found"
      title={t('shop.notFound.title')}
      body={t('shop.notFound.body')}
      action={
        <Button component={Link} to="/shop" variant="light">
          {t('shop.search.backHome')}
        </Button>
      }
    />
  );
}
