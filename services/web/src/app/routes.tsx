import { createBrowserRouter, Navigate, type LoaderFunctionArgs } from 'react-router';
import { $registry, queryClient } from '../api/client';
import { parseFilters, toSearchQuery } from '../pages/public/provider-filters';
import { Layout } from './Layout';
import { RequireSignIn } from './RequireSignIn';
import { NotFoundPage } from './NotFoundPage';
import { providerRoutes } from '../pages/provider/routes';
import { caseworkerRoutes } from '../pages/caseworker/routes';
import { committeeRoutes } from '../pages/committee/routes';
import { financeRoutes } from '../pages/finance/routes';
import { regionRoutes } from '../pages/region/routes';

/**
 * The provider search asks for its first page while its code is still loading, instead of after
 * (the page's own query then finds it in flight or done). A search sorted by distance waits for the
 * page: its origin comes from the district map or the browser.
 */
function prefetchProviderSearch({ request }: LoaderFunctionArgs) {
  const filters = parseFilters(new URL(request.url).search);
  if (filters.sort !== 'distance') {
    void queryClient.prefetchQuery($registry.queryOptions('get', '/v1/providers', { params: { query: toSearchQuery(filters, null).query } }));
  }
  return null;
}

/** Pages load on demand, so the first screen carries only its own code. */
export const router = createBrowserRouter([
  {
    element: <Layout />,
    HydrateFallback: () => null,
    children: [
      { index: true, lazy: () => import('../pages/public/HomePage').then((m) => ({ Component: m.HomePage })) },
      { path: 'services', lazy: () => import('../pages/public/ServicesPage').then((m) => ({ Component: m.ServicesPage })) },
      { path: 'services/:code', lazy: () => import('../pages/public/ServicePage').then((m) => ({ Component: m.ServicePage })) },
      // The granular form of lazy lets the loader run without waiting for the page's code.
      { path: 'providers', loader: prefetchProviderSearch, lazy: { Component: () => import('../pages/public/ProvidersPage').then((m) => m.ProvidersPage) } },
      { path: 'providers/:id', lazy: () => import('../pages/public/ProviderPage').then((m) => ({ Component: m.ProviderPage })) },
      { path: 'rounds', lazy: () => import('../pages/public/RoundsPage').then((m) => ({ Component: m.RoundsPage })) },
      { path: 'rounds/:id', lazy: () => import('../pages/public/RoundResultsPage').then((m) => ({ Component: m.RoundResultsPage })) },
      { path: 'situations', lazy: () => import('../pages/public/SituationsPage').then((m) => ({ Component: m.SituationsPage })) },
      { path: 'situations/:code', lazy: () => import('../pages/public/SituationPage').then((m) => ({ Component: m.SituationPage })) },
      { path: 'sign-in', lazy: () => import('../pages/SignInPage').then((m) => ({ Component: m.SignInPage })) },
      { path: 'signed-in', lazy: () => import('../pages/SignedInPage').then((m) => ({ Component: m.SignedInPage })) },
      {
        path: 'profile',
        element: <RequireSignIn roles={['citizen', 'provider_admin', 'provider_staff', 'caseworker', 'committee', 'finance', 'auditor', 'admin']} audience="всех, кто вошёл в систему" />,
        children: [{ index: true, lazy: () => import('../pages/account/ProfilePage').then((m) => ({ Component: m.ProfilePage })) }],
      },
      {
        path: 'onboarding',
        element: <RequireSignIn roles={['citizen', 'provider_admin', 'provider_staff', 'caseworker', 'committee', 'finance', 'auditor', 'admin']} audience="представителей организаций" />,
        children: [{ index: true, lazy: () => import('../pages/onboarding/OnboardingPage').then((m) => ({ Component: m.OnboardingPage })) }],
      },
      { path: 'invitations/:token', lazy: () => import('../pages/onboarding/InvitationPage').then((m) => ({ Component: m.InvitationPage })) },
      {
        path: 'admin/accounts',
        element: <RequireSignIn roles={['admin']} audience="администратора маркетплейса" />,
        children: [{ index: true, lazy: () => import('../pages/account/AdminAccountsPage').then((m) => ({ Component: m.AdminAccountsPage })) }],
      },
      {
        path: 'cabinet',
        element: <RequireSignIn roles={['citizen', 'caseworker', 'admin']} />,
        children: [
          { index: true, element: <Navigate to="certificates" replace /> },
          { path: 'certificates', lazy: () => import('../pages/citizen/CertificatesPage').then((m) => ({ Component: m.CertificatesPage })) },
          { path: 'certificates/:id', lazy: () => import('../pages/citizen/CertificatePage').then((m) => ({ Component: m.CertificatePage })) },
          {
            path: 'certificates/:id/lines/:lineId/book',
            lazy: () => import('../pages/citizen/BookProviderPage').then((m) => ({ Component: m.BookProviderPage })),
          },
          { path: 'bookings', lazy: () => import('../pages/citizen/BookingsPage').then((m) => ({ Component: m.BookingsPage })) },
          { path: 'acts', lazy: () => import('../pages/citizen/ActsPage').then((m) => ({ Component: m.ActsPage })) },
          { path: 'requests', lazy: () => import('../pages/citizen/RequestsPage').then((m) => ({ Component: m.RequestsPage })) },
        ],
      },
      {
        path: 'notifications',
        element: <RequireSignIn roles={['citizen', 'provider_admin', 'provider_staff', 'caseworker', 'committee', 'finance', 'auditor', 'admin']} audience="всех, кто вошёл в систему" />,
        children: [
          { index: true, lazy: () => import('../pages/notifications/NotificationsPage').then((m) => ({ Component: m.NotificationsPage })) },
          { path: 'settings', lazy: () => import('../pages/notifications/NotificationSettingsPage').then((m) => ({ Component: m.NotificationSettingsPage })) },
        ],
      },
      providerRoutes,
      caseworkerRoutes,
      committeeRoutes,
      financeRoutes,
      ...regionRoutes,
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);
