import type { GitLogger } from '../../../src/git/index.ts';

/** A logger that keeps every entry as JSON text, so a test can search what was logged. */
export function captureLogger(): GitLogger & { lines: string[] } {
  const lines: string[] = [];
  const write = (level: string) => (obj: object, msg?: string) => {
    lines.push(JSON.stringify({ level, ...obj, msg }));
  };
  return { lines, debug: write('debug'), info: write('info'), warn: write('warn') };
}
