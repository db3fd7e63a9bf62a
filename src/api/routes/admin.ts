import Router from '@koa/router';
import { createReadStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { route } from './route.ts';

// POST /api/v1/admin/backup: a consistent copy of the database, taken online, streamed as a
// download. The copy is a temporary file beside the database (same disk, private directory)
// and is removed once the answer is sent or the client goes away.

export interface BackupSource {
  /** Writes a consistent copy of the database to a new temporary file and returns its path. */
  backup(): Promise<string>;
}

export function adminRoutes(deps: { database: BackupSource }): Router {
  const router = new Router();
  route(router, 'POST /api/v1/admin/backup', async (ctx) => {
    const path = await deps.database.backup();
    const { size } = await stat(path);
    const stream = createReadStream(path);
    const remove = () => void rm(path, { force: true });
    stream.once('close', remove);
    ctx.res.once('close', () => stream.destroy());
    ctx.type = 'application/vnd.sqlite3';
    ctx.length = size;
    ctx.attachment(`accelero-${new Date().toISOString().replace(/[:.]/g, '-')}.db`);
    ctx.body = stream;
  });
  return router;
}
