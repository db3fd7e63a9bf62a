// Bundles the dashboard (dashboard/src, TypeScript) with esbuild into dist/dashboard, beside
// its page, stylesheet and icon; the daemon serves that directory. Run by scripts/build.sh
// (npm's prepare, so `npm ci` builds it) and by the browser tests, so they never see a stale one.
import { build } from 'esbuild';
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const STATIC_FILES = ['index.html', 'styles.css', 'favicon.svg'];

export async function buildDashboard(root = resolve(import.meta.dirname, '..')): Promise<string> {
  const out = join(root, 'dist', 'dashboard');
  await rm(out, { recursive: true, force: true });
  await mkdir(out, { recursive: true });
  await build({
    entryPoints: [join(root, 'dashboard', 'src', 'main.ts')],
    outfile: join(out, 'app.js'),
    bundle: true, format: 'esm', minify: true, sourcemap: 'linked', legalComments: 'none', logLevel: 'warning',
    target: ['chrome115', 'firefox115', 'safari16'],
  });
  for (const file of STATIC_FILES) await copyFile(join(root, 'dashboard', file), join(out, file));
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const out = await buildDashboard();
  console.error(`build-dashboard: built ${out}`);
}
