import type { RouteObject } from 'react-router';
import { RequireSignIn } from '../../app/RequireSignIn';

/** The case worker's cabinet's pages, each loaded on demand. */
export const caseworkerRoutes: RouteObject = {
  path: 'caseworker',
  element: <RequireSignIn roles={['caseworker']} audience="специалистов органов соцзащиты" />,
  children: [{ index: true, lazy: () => import('./CaseworkerHomePage').then((m) => ({ Component: m.CaseworkerHomePage })) }],
};
