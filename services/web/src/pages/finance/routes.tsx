import type { RouteObject } from 'react-router';
import { RequireSignIn } from '../../app/RequireSignIn';

/** The finance department's cabinet's pages, each loaded on demand; auditors read them without the forms. */
export const financeRoutes: RouteObject = {
  path: 'finance',
  element: <RequireSignIn roles={['finance', 'auditor']} audience="финансового отдела и контроля" />,
  children: [
    { index: true, lazy: () => import('./RunsPage').then((m) => ({ Component: m.RunsPage })) },
    { path: 'runs/:id', lazy: () => import('./RunPage').then((m) => ({ Component: m.RunPage })) },
    { path: 'statements', lazy: () => import('./StatementsPage').then((m) => ({ Component: m.StatementsPage })) },
    { path: 'statements/:id', lazy: () => import('./StatementPage').then((m) => ({ Component: m.StatementPage })) },
    { path: 'programmes', lazy: () => import('./ProgrammesPage').then((m) => ({ Component: m.ProgrammesPage })) },
    { path: 'reports', lazy: () => import('./ReportsPage').then((m) => ({ Component: m.ReportsPage })) },
    { path: 'discrepancies', lazy: () => import('./DiscrepanciesPage').then((m) => ({ Component: m.DiscrepanciesPage })) },
  ],
};
