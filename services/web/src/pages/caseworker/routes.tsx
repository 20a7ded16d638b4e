import type { RouteObject } from 'react-router';
import { RequireSignIn } from '../../app/RequireSignIn';

/** The case worker's cabinet's pages, each loaded on demand. */
export const caseworkerRoutes: RouteObject = {
  path: 'caseworker',
  element: <RequireSignIn roles={['caseworker']} audience="специалистов органов соцзащиты" />,
  children: [
    { index: true, lazy: () => import('./QueuePage').then((m) => ({ Component: m.QueuePage })) },
    { path: 'recipients', lazy: () => import('./RecipientSearchPage').then((m) => ({ Component: m.RecipientSearchPage })) },
    { path: 'recipients/new', lazy: () => import('./RecipientForm').then((m) => ({ Component: m.RegisterRecipientPage })) },
    { path: 'recipients/:id/edit', lazy: () => import('./RecipientForm').then((m) => ({ Component: m.EditRecipientPage })) },
    { path: 'recipients/:id', lazy: () => import('./RecipientPage').then((m) => ({ Component: m.RecipientPage })) },
    { path: 'assessments/:id', lazy: () => import('./AssessmentPage').then((m) => ({ Component: m.AssessmentPage })) },
    { path: 'bulk', lazy: () => import('./BulkIssuePage').then((m) => ({ Component: m.BulkIssuePage })) },
    { path: 'bulk/:id', lazy: () => import('./BulkIssueProgressPage').then((m) => ({ Component: m.BulkIssueProgressPage })) },
  ],
};
