import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** `acc_` + 64 hex, the shape of every Accelero API key. */
export function generateApiKey(): string {
  return `acc_${randomBytes(32).toString('hex')}`;
}

/**
 * The bootstrap admin key when API_KEY is not set: read from `<dataDir>/api-key`, or generated
 * there (0600) on first start. `created` tells the caller to print it, once.
 */
export async function loadOrCreateApiKey(dataDir: string): Promise<{ key: string; path: string; created: boolean }> {
  const path = join(dataDir, 'api-key');
  try {
    const key = (await readFile(path, 'utf8')).trim();
    if (key) return { key, path, created: false };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const key = generateApiKey();
  await writeFile(path, `${key}\n`, { mode: 0o600, flag: 'wx' });
  return { key, path, created: true };
}
