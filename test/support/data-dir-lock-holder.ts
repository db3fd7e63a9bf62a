import { createInterface } from 'node:readline';
import { acquireDataDirLock } from '../../persistence/data-dir-lock.ts';

// A second process for the data directory lock tests: takes the lock of argv[2], says
// "locked", and holds it until it reads "release" (or is killed, kill -9 included).

try {
  const lock = await acquireDataDirLock(process.argv[2]!);
  process.stdout.write('locked\n');
  for await (const line of createInterface({ input: process.stdin })) {
    if (line.trim() !== 'release') continue;
    await lock.release();
    process.stdout.write('released\n');
    process.exit(0);
  }
} catch (error) {
  process.stdout.write(`refused: ${(error as Error).name}: ${(error as Error).message}\n`);
  process.exit(3);
}
