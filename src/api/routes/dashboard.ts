import Router from '@koa/router';
import type { Context } from 'koa';
import { loadDashboardAssets, type DashboardAsset } from '../dashboard-assets.ts';
import { NotFoundError } from '../../errors.ts';
import { DashboardNotBuiltError } from '../errors.ts';

// The dashboard: `GET /` and its files under /dashboard/. They need no key (the page asks for
// one and sends it as X-API-KEY itself), so this router is mounted before authentication. The
// page runs only its own script and style files: no inline script or style, no other origin.

export const DASHBOARD_CSP = [
  "default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self'", "connect-src 'self'",
  "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'",
].join('; ');

export function dashboardRoutes(dir: string): Router {
  const assets = loadDashboardAssets(dir);
  const router = new Router();
  const send = (ctx: Context, asset: DashboardAsset) => {
    ctx.set({
      'Content-Security-Policy': DASHBOARD_CSP, 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer',
      'X-Frame-Options': 'DENY', 'Cache-Control': 'no-cache',
    });
    ctx.type = asset.type;
    ctx.etag = asset.etag;
    // ctx.fresh compares the validators only for a 2xx answer.
    ctx.status = 200;
    if (ctx.fresh) {
      ctx.status = 304;
      return;
    }
    ctx.body = asset.body;
  };
  router.get('/', (ctx) => {
    const page = assets.get('index.html');
    if (!page) throw new DashboardNotBuiltError(dir);
    send(ctx, page);
  });
  router.get('/dashboard/:file', (ctx) => {
    const asset = ctx.params.file === 'index.html' ? undefined : assets.get(ctx.params.file!);
    if (!asset) throw new NotFoundError(`no dashboard file ${JSON.stringify(ctx.params.file!.slice(0, 100))}`);
    send(ctx, asset);
  });
  return router;
}
