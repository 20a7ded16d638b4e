import type { RouteObject } from 'react-router';
import { RequireSignIn } from '../../app/RequireSignIn';

/** The finance department's cabinet's pages, each loaded on demand. */
export const financeRoutes: RouteObject = {
  path: 'finance',
  element: <RequireSignIn roles={['finance']} audience="финансового отдела" />,
  children: [{ index: true, lazy: () => import('./FinanceHomePage').then((m) => ({ Component: m.FinanceHomePage })) }],
};
