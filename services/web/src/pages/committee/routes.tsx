import type { RouteObject } from 'react-router';
import { RequireSignIn } from '../../app/RequireSignIn';

/** The selection committee's cabinet's pages, each loaded on demand. */
export const committeeRoutes: RouteObject = {
  path: 'committee',
  element: <RequireSignIn roles={['committee']} audience="комиссии по отбору поставщиков" />,
  children: [
    { index: true, lazy: () => import('./CommitteeHomePage').then((m) => ({ Component: m.CommitteeHomePage })) },
    { path: 'appeals', lazy: () => import('./AppealsPage').then((m) => ({ Component: m.AppealsPage })) },
    { path: 'providers', lazy: () => import('./ProvidersPage').then((m) => ({ Component: m.ProvidersPage })) },
    { path: 'providers/:id', lazy: () => import('./ProviderPage').then((m) => ({ Component: m.ProviderPage })) },
    { path: 'catalog', lazy: () => import('./CatalogPage').then((m) => ({ Component: m.CatalogPage })) },
    { path: 'catalog/coefficients/:code', lazy: () => import('./CoefficientPage').then((m) => ({ Component: m.CoefficientPage })) },
    { path: 'catalog/:code', lazy: () => import('./CostPage').then((m) => ({ Component: m.CostPage })) },
    { path: 'rounds/new', lazy: () => import('./NewRoundPage').then((m) => ({ Component: m.NewRoundPage })) },
    { path: 'rounds/:id', lazy: () => import('./RoundPage').then((m) => ({ Component: m.RoundPage })) },
    { path: 'rounds/:id/applications/:applicationId', lazy: () => import('./ApplicationPage').then((m) => ({ Component: m.ApplicationPage })) },
  ],
};
