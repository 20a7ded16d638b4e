import { createBrowserRouter, Navigate } from 'react-router';
import { Layout } from './Layout';
import { RequireSignIn } from './RequireSignIn';
import { NotFoundPage } from './NotFoundPage';

/** Pages load on demand, so the first screen carries only its own code. */
export const router = createBrowserRouter([
  {
    element: <Layout />,
    HydrateFallback: () => null,
    children: [
      { index: true, lazy: () => import('../pages/public/HomePage').then((m) => ({ Component: m.HomePage })) },
      { path: 'services', lazy: () => import('../pages/public/ServicesPage').then((m) => ({ Component: m.ServicesPage })) },
      { path: 'services/:code', lazy: () => import('../pages/public/ServicePage').then((m) => ({ Component: m.ServicePage })) },
      { path: 'providers', lazy: () => import('../pages/public/ProvidersPage').then((m) => ({ Component: m.ProvidersPage })) },
      { path: 'providers/:id', lazy: () => import('../pages/public/ProviderPage').then((m) => ({ Component: m.ProviderPage })) },
      { path: 'rounds', lazy: () => import('../pages/public/RoundsPage').then((m) => ({ Component: m.RoundsPage })) },
      { path: 'rounds/:id', lazy: () => import('../pages/public/RoundResultsPage').then((m) => ({ Component: m.RoundResultsPage })) },
      { path: 'situations', lazy: () => import('../pages/public/SituationsPage').then((m) => ({ Component: m.SituationsPage })) },
      { path: 'situations/:code', lazy: () => import('../pages/public/SituationPage').then((m) => ({ Component: m.SituationPage })) },
      { path: 'sign-in', lazy: () => import('../pages/SignInPage').then((m) => ({ Component: m.SignInPage })) },
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
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);
