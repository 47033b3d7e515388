/**
 * @module The console's routes. Everything but /signin needs a session; the server answers unknown GET paths
 * with index.html, so every route here can be opened directly.
 */
import { createBrowserRouter, Navigate } from 'react-router';
import { AppLayout } from './components/app-layout';
import { RequireAuth } from './components/require-auth';
import { AnalyticsPage } from './pages/analytics/analytics-page';
import { CampaignsPage } from './pages/campaigns/campaigns-page';
import { CatalogPage } from './pages/catalog/catalog-page';
import { CustomerDetailPage } from './pages/customers/customer-detail-page';
import { CustomersPage } from './pages/customers/customers-page';
import { InboxPage } from './pages/inbox/inbox-page';
import { InventoryPage } from './pages/inventory/inventory-page';
import { NotFoundPage } from './pages/not-found/not-found-page';
import { OrdersPage } from './pages/orders/orders-page';
import { PosPage } from './pages/pos/pos-page';
import { ApiKeysPage } from './pages/settings/api-keys/api-keys-page';
import { AuditPage } from './pages/settings/audit/audit-page';
import { ChannelsPage } from './pages/settings/channels/channels-page';
import { SettingsLayout } from './pages/settings/settings-layout';
import { UsersPage } from './pages/settings/users/users-page';
import { WebhookDetailPage } from './pages/settings/webhooks/webhook-detail-page';
import { WebhooksPage } from './pages/settings/webhooks/webhooks-page';
import { SignInPage } from './pages/signin/signin-page';

export const router = createBrowserRouter([
  { path: '/signin', element: <SignInPage /> },
  {
    element: <RequireAuth />,
    children: [
      {
        element: <AppLayout />,
        children: [
          { index: true, element: <Navigate to="/customers" replace /> },
          { path: 'customers', element: <CustomersPage /> },
          { path: 'customers/:id', element: <CustomerDetailPage /> },
          { path: 'inbox', element: <InboxPage /> },
          { path: 'catalog', element: <CatalogPage /> },
          { path: 'inventory', element: <InventoryPage /> },
          { path: 'orders', element: <OrdersPage /> },
          { path: 'pos', element: <PosPage /> },
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
            ],
          },
          { path: '*', element: <NotFoundPage /> },
        ],
      },
    ],
  },
]);
