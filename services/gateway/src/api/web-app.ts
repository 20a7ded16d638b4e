import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { Router, type Request } from 'express';
import { sendProblem } from '@esc/service-kit';

// Addresses that belong to the APIs (and missing hashed assets): never answered with the app's page.
const NOT_APP_PAGES = ['/api', '/v1', '/.well-known', '/health', '/assets'];

const isAppPage = (req: Request) =>
  (req.method === 'GET' || req.method === 'HEAD') &&
  (req.path === '/' ||
    ((req.get('accept') ?? '').includes('text/html') && !NOT_APP_PAGES.some((prefix) => req.path === prefix || req.path.startsWith(`${prefix}/`))));

/**
 * The SPA built by Vite: hashed `/assets/*` cached for a year, everything else (index.html above all)
 * revalidated, and every page address of the app answered with index.html for the client router.
 */
export function webAppRouter(distDir: string): Router {
  const router = Router();
  const indexFile = path.join(distDir, 'index.html');

  router.use(
    express.static(distDir, {
      index: false,
      setHeaders(res, file) {
        const hashed = path.relative(distDir, file).split(path.sep)[0] === 'assets';
        res.setHeader('Cache-Control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    }),
  );

  router.use((req, res, next) => {
    if (!isAppPage(req)) return next();
    // Checked on every page load, so building the app while the gateway runs needs no restart.
    if (!existsSync(indexFile)) {
      sendProblem(res, 503, 'web_app_not_built', 'Веб-приложение ещё не собрано. Выполните `pnpm --filter web build` и обновите страницу.');
      return;
    }
    res.sendFile(indexFile, { headers: { 'Cache-Control': 'no-cache' } });
  });

  return router;
}
