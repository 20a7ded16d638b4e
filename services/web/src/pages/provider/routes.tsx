import type { RouteObject } from 'react-router';
import { RequireSignIn } from '../../app/RequireSignIn';

/** The provider's cabinet's pages, each loaded on demand. */
export const providerRoutes: RouteObject = {
  path: 'provider',
  element: <RequireSignIn roles={['provider_admin', 'provider_staff']} audience="поставщиков социальных услуг" />,
  children: [
    { index: true, lazy: () => import('./ProviderHomePage').then((m) => ({ Component: m.ProviderHomePage })) },
    { path: 'bookings', lazy: () => import('./InboxPage').then((m) => ({ Component: m.InboxPage })) },
    { path: 'acts', lazy: () => import('./ActsPage').then((m) => ({ Component: m.ActsPage })) },
    { path: 'rounds', lazy: () => import('./RoundsPage').then((m) => ({ Component: m.RoundsPage })) },
    { path: 'profile', lazy: () => import('./ProfilePage').then((m) => ({ Component: m.ProfilePage })) },
    { path: 'staff', lazy: () => import('./StaffPage').then((m) => ({ Component: m.StaffPage })) },
    { path: 'money', lazy: () => import('./MoneyPage').then((m) => ({ Component: m.MoneyPage })) },
  ],
};
