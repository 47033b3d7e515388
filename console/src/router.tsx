/**
 * @module The console's routes. Everything but /signin, a customer's /preferences and the /shop storefront needs
 * a session; the server answers unknown GET paths with index.html, so every route here can be opened directly.
 */
import { createBrowserRouter, Navigate } from 'react-router';
import { AppLayout } from './components/app-layout';
import { RequireAuth } from './components/require-auth';
import { AnalyticsPage } from './pages/analytics/analytics-page';
import { CampaignsPage } from './pages/campaigns/campaigns-page';
import { CatalogPage } from './pages/catalog/catalog-page';
import { PriceListsPage } from './pages/catalog/price-lists-page';
import { ProductEditorPage } from './pages/catalog/product-editor-page';
import { PromotionsPage } from './pages/catalog/promotions-page';
import { CustomerDetailPage } from './pages/customers/customer-detail-page';
import { CustomersPage } from './pages/customers/customers-page';
import { PrivacyRequestsPage } from './pages/customers/privacy-requests-page';
import { InboxPage } from './pages/inbox/inbox-page';
import { InboxReportsPage } from './pages/inbox/reports-page';
import { AllocationsPage } from './pages/inventory/allocations-page';
import { AvailabilityPage } from './pages/inventory/availability-page';
import { InventoryPage } from './pages/inventory/inventory-page';
import { LedgerPage } from './pages/inventory/ledger-page';
import { LocationsPage } from './pages/inventory/locations-page';
import { ReservationsPage } from './pages/inventory/reservations-page';
import { LanesPage } from './pages/inventory/lanes-page';
import { TransfersPage } from './pages/inventory/transfers-page';
import { NotFoundPage } from './pages/not-found/not-found-page';
import { FulfilmentQueuePage } from './pages/orders/fulfilment-queue-page';
import { OrderDetailPage } from './pages/orders/order-detail-page';
import { OrdersPage } from './pages/orders/orders-page';
import { PickupDeskPage } from './pages/orders/pickup-desk-page';
import { PosPage } from './pages/pos/pos-page';
import { PosReceiptPage } from './pages/pos/pos-receipt-page';
import { ReturnsDeskPage } from './pages/returns/returns-desk-page';
import { PreferencesPage } from './pages/preferences/preferences-page';
import { shopRoute } from './pages/shop/shop-routes';
import { SegmentDetailPage } from './pages/segments/segment-detail-page';
import { SegmentEditorPage } from './pages/segments/segment-editor-page';
import { SegmentsPage } from './pages/segments/segments-page';
import { ApiKeysPage } from './pages/settings/api-keys/api-keys-page';
import { AuditPage } from './pages/settings/audit/audit-page';
import { ChannelsPage } from './pages/settings/channels/channels-page';
import { SettingsLayout } from './pages/settings/settings-layout';
import { UsersPage } from './pages/settings/users/users-page';
import { WebhookDetailPage } from './pages/settings/webhooks/webhook-detail-page';
import { WebhooksPage } from './pages/settings/webhooks/webhooks-page';
import { CannedResponsesPage } from './pages/settings/canned-responses/canned-responses-page';
import { SignInPage } from './pages/signin/signin-page';

export const router = createBrowserRouter([
  { path: '/signin', element: <SignInPage /> },
  // A customer's page, opened from a link in a message: the link's token, not a staff session, opens it.
  { path: '/preferences', element: <PreferencesPage /> },
  // The storefront demo: a shopper's pages on the public /store/v1 API with a publishable key, no session.
  shopRoute,
  {
    element: <RequireAuth />,
    children: [
      // A receipt prints alone: no navigation around it.
      { path: 'pos/receipt/:id', element: <PosReceiptPage /> },
      {
        element: <AppLayout />,
        children: [
          { index: true, element: <Navigate to="/customers" replace /> },
          { path: 'customers', element: <CustomersPage /> },
          // A static segment outranks `:id` in react-router, so this never opens as a customer id.
          { path: 'customers/privacy-requests', element: <PrivacyRequestsPage /> },
          { path: 'customers/:id', element: <CustomerDetailPage /> },
          { path: 'segments', element: <SegmentsPage /> },
          { path: 'segments/new', element: <SegmentEditorPage /> },
          { path: 'segments/:id', element: <SegmentDetailPage /> },
          { path: 'segments/:id/edit', element: <SegmentEditorPage /> },
          { path: 'inbox', element: <InboxPage /> },
          { path: 'inbox/reports', element: <InboxReportsPage /> },
          { path: 'catalog', element: <CatalogPage /> },
          { path: 'catalog/products/:id', element: <ProductEditorPage /> },
          { path: 'catalog/price-lists', element: <PriceListsPage /> },
          { path: 'catalog/promotions', element: <PromotionsPage /> },
          { path: 'inventory', element: <InventoryPage /> },
          { path: 'inventory/locations', element: <LocationsPage /> },
          { path: 'inventory/allocations', element: <AllocationsPage /> },
          { path: 'inventory/availability', element: <AvailabilityPage /> },
          { path: 'inventory/reservations', element: <ReservationsPage /> },
          { path: 'inventory/transfers', element: <TransfersPage /> },
          { path: 'inventory/lanes', element: <LanesPage /> },
          { path: 'inventory/ledger', element: <LedgerPage /> },
          { path: 'orders', element: <OrdersPage /> },
          // Static segments outrank `:id`; the returns desk joins here as `orders/returns`.
          { path: 'orders/fulfilment', element: <FulfilmentQueuePage /> },
          { path: 'orders/pickup', element: <PickupDeskPage /> },
          { path: 'orders/:id', element: <OrderDetailPage /> },
          { path: 'pos', element: <PosPage /> },
          { path: 'pos/returns', element: <ReturnsDeskPage /> },
          { path: 'campaigns', element: <CampaignsPage /> },
          { path: 'analytics', element: <AnalyticsPage /> },
          {
            path: 'settings',
            element: <SettingsLayout />,
            children: [
              // The layout sends /settings to the first section the user's role may see.
              { index: true, element: null },
              { path: 'channels', element: <ChannelsPage /> },
              { path: 'users', element: <UsersPage /> },
              { path: 'api-keys', element: <ApiKeysPage /> },
              { path: 'webhooks', element: <WebhooksPage /> },
              { path: 'webhooks/:id', element: <WebhookDetailPage /> },
              { path: 'audit', element: <AuditPage /> },
              { path: 'canned-responses', element: <CannedResponsesPage /> },
            ],
          },
          { path: '*', element: <NotFoundPage /> },
        ],
      },
    ],
  },
]);
