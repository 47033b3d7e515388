/**
 * @module Catalog: products, variants, prices and promotions. Not built yet: shows what will come here.
 */
import { IconTags } from '@tabler/icons-react';
import { ComingSoon } from '../../components/coming-soon';

export function CatalogPage() {
  return <ComingSoon area="catalog" icon={<IconTags size={32} />} />;
}
