// Leaves only production dependencies in ./node_modules, offline and without npm (the image's
// base need not have it): every package-lock entry flagged `dev` is a package only development
// needs (what `npm prune --omit=dev` removes). Then it drops files nothing reads at run time:
// type declarations, source maps, docs, sqlite3's C sources and build intermediates.
// Plain JavaScript: it runs in the Dockerfile before any TypeScript loader is there.
import { readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));
let removed = 0;
for (const [path, entry] of Object.entries(lock.packages ?? {})) {
  if (path !== '' && entry.dev === true) {
    rmSync(path, { recursive: true, force: true });
    removed += 1;
  }
}

const unread = /(\.d\.[cm]?ts|\.map|\.md|\.markdown)$|^(CHANGELOG|HISTORY)(\..*)?$/i;
const unreadDirs = ['typeorm/browser', 'sqlite3/deps', 'sqlite3/src', 'sqlite3/build/Release/obj.target',
  'sqlite3/build/Release/obj', 'sqlite3/build/Release/.deps', 'sqlite3/build/deps'];
for (const dir of unreadDirs) rmSync(join('node_modules', dir), { recursive: true, force: true });
rmSync('node_modules/sqlite3/build/Release/sqlite3.a', { force: true });

function dropUnread(dir) {
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    const stats = statSync(full, { throwIfNoEntry: false });
    if (stats?.isDirectory()) dropUnread(full);
    else if (stats?.isFile() && unread.test(name)) rmSync(full);
  }
}
dropUnread('node_modules');
console.log(`prune-dev-dependencies: removed ${removed} development packages and the files nothing runs`);
