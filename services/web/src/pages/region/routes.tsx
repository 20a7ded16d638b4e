import type { RouteObject } from 'react-router';

/** The region's dashboard (public figures for everyone, more for the ministry once signed in) and the register of social deficits. */
export const regionRoutes: RouteObject[] = [
  { path: 'dashboard', lazy: () => import('./DashboardPage').then((m) => ({ Component: m.DashboardPage })) },
];
