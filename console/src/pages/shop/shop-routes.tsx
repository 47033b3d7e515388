/**
 * @module The storefront's routes under `/shop`, outside the staff console: no session is needed, only a
 * publishable key (see shop-layout.tsx). One entry for the console's router.
 */
import type { RouteObject } from 'react-router';
import { ShopLayout } from './shop-layout';
import { ShopHomePage } from './shop-home-page';
import { ShopCategoryPage, ShopSearchPage } from './shop-listing-page';
import { ShopProductPage } from './shop-product-page';
import { ShopNotFound } from './shop-not-found';
import { ShopBagPage } from './shop-bag-page';
import { ShopCheckoutPage } from './shop-checkout-page';
import { ShopOrderPage } from './shop-order-page';

export const shopRoute: RouteObject = {
  path: '/shop',
  element: <ShopLayout />,
  children: [
    { index: true, element: <ShopHomePage /> },
    { path: 'search', element: <ShopSearchPage /> },
    { path: 'c/:handle', element: <ShopCategoryPage /> },
    { path: 'p/:handle', element: <ShopProductPage /> },
    { path: 'cart', element: <ShopBagPage /> },
    { path: 'checkout', element: <ShopCheckoutPage /> },
    { path: 'orders/:id', element: <ShopOrderPage /> },
    { path: '*', element: <ShopNotFound /> },
  ],
};
