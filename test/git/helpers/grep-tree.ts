import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Every file below `root` whose bytes contain `needle` (symlinks are not followed). */
export async function filesContaining(root: string, needle: string): Promise<string[]> {
  const hits: string[] = [];
  for (const entry of await readdir(root, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath ?? entry.path, entry.name);
    if ((await readFile(path)).includes(needle)) hits.push(path);
  }
  return hits;
}
