import { readdir, readFile } from 'node:fs/promises';

/** Command lines of the live processes that mention `text` (a URL, say); Linux /proc. */
export async function processesMentioning(text: string): Promise<string[]> {
  const found: string[] = [];
  for (const pid of (await readdir('/proc')).filter((name) => /^\d+$/.test(name))) {
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes(text)) found.push(`${pid}: ${cmdline.split('\0').join(' ')}`);
  }
  return found;
}
