import type { RouteObject } from 'react-router';
import { RequireSignIn } from '../../app/RequireSignIn';

/** The finance department's cabinet's pages, each loaded on demand; auditors read them without the forms. */
export const financeRoutes: RouteObject = {
  path: 'finance',
  element: <RequireSignIn roles={['finance', 'auditor']} audience="финансового отдела и контроля" />,
  children: [
    { index: true, lazy: () => import('./RunsPage').then((m) => ({ Component: m.RunsPage })) },
    { path: 'runs/:id', lazy: () => import('./RunPage').then((m) => ({ Component: m.RunPage })) },
  ],
};
