/**
 * @module The category tree as the storefront uses it: find a category by handle, its parent for breadcrumbs,
 * and the outline a product is drawn with (shoes, outerwear or a garment).
 */
import { useMemo } from 'react';
import { useStoreCategories, type StoreCategory, type StoreProduct } from '../../api/store';
import { useShop } from './shop-context';
import type { ProductShape } from './product-visual';

export interface IndexedCategory extends StoreCategory {
  parent: StoreCategory | null;
}

export function useCategoryIndex() {
  const shop = useShop();
  const tree = useStoreCategories(shop.key, shop.locale);
  return useMemo(() => {
    const byId = new Map<string, IndexedCategory>();
    const visit = (node: StoreCategory, parent: StoreCategory | null) => {
      byId.set(node.id, { ...node, parent });
      node.children.forEach((child) => visit(child, node));
    };
    (tree.data?.data ?? []).forEach((top) => visit(top, null));
    const byHandle = new Map([...byId.values()].map((c) => [c.handle, c]));
    const shapeOf = (product: StoreProduct): ProductShape => {
      const handles = product.category_ids.flatMap((id) => {
        const c = byId.get(id);
        return c ? [c.handle, c.parent?.handle ?? ''] : [];
      });
      if (handles.includes('shoes')) return 'shoe';
      if (handles.includes('outerwear')) return 'outerwear';
      return 'garment';
    };
    return {
      tree: tree.data?.data ?? [],
      loading: tree.isPending,
      error: tree.error,
      byId,
      byHandle,
      shapeOf,
    };
  }, [tree.data, tree.isPending, tree.error]);
}
