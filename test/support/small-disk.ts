import { execFile, execFileSync } from 'node:child_process';
import { mkdtemp, open, rm, rmdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A small tmpfs of its own, to run out of space for real (needs root, like the test suite). */
export interface SmallDisk {
  path: string;
  /** Writes a filler file until the file system refuses another byte (ENOSPC). */
  fill(): Promise<void>;
  /** Deletes the filler file: the space is back. */
  free(): Promise<void>;
  /** Unmounts (lazily when files on it are still open) and removes the mount point. */
  unmount(): Promise<void>;
}

/** Mounts a tmpfs of `sizeMb`; unmounted in `t.after`, and at exit should the test not get there. */
export async function mountSmallDisk(t: { after(fn: () => Promise<void>): void }, sizeMb = 8): Promise<SmallDisk> {
  const path = await mkdtemp(join(tmpdir(), 'accelero-small-disk-'));
  await run('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m`, 'tmpfs', path]);
  const filler = join(path, 'filler');
  let mounted = true;
  const unmountNow = () => {
    if (mounted) execFileSync('umount', ['-l', path]);
    mounted = false;
  };
  process.once('exit', unmountNow);
  const disk: SmallDisk = {
    path,
    fill: () => fillUp(filler),
    free: () => rm(filler, { force: true }),
    async unmount() {
      process.removeListener('exit', unmountNow);
      if (!mounted) return;
      await run('umount', [path]).catch(() => run('umount', ['-l', path]));
      mounted = false;
      await rmdir(path);
    },
  };
  t.after(() => disk.unmount());
  return disk;
}

async function fillUp(filler: string): Promise<void> {
  const file = await open(filler, 'a');
  try {
    // Big blocks first, then small ones for the last partly used page.
    for (const size of [1024 * 1024, 64 * 1024, 4096, 512, 1]) {
      const block = Buffer.alloc(size, 0x5a);
      while (await wrote(file, block));
    }
  } finally {
    await file.close();
  }
}

async function wrote(file: import('node:fs/promises').FileHandle, block: Buffer): Promise<boolean> {
  try {
    await file.write(block);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOSPC') return false;
    throw error;
  }
}
