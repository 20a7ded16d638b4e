import type { RouteObject } from 'react-router';
import { RequireSignIn } from '../../app/RequireSignIn';

/** The region's dashboard (public figures for everyone, more for the ministry once signed in) and the register of social deficits. */
export const regionRoutes: RouteObject[] = [
  { path: 'dashboard', lazy: () => import('./DashboardPage').then((m) => ({ Component: m.DashboardPage })) },
  {
    path: 'deficits',
    element: <RequireSignIn roles={['committee', 'finance', 'admin', 'auditor']} audience="комиссии по отбору, финансового органа, министерства и контроля" />,
    children: [{ index: true, lazy: () => import('../deficits/DeficitsPage').then((m) => ({ Component: m.DeficitsPage })) }],
  },
];
