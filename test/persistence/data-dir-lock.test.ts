import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { acquireDataDirLock, LOCK_FILE, OWNER_FILE } from '../../persistence/data-dir-lock.ts';
import { DataDirLockedError } from '../../persistence/errors.ts';
import { tempDir } from './helpers.ts';

// Two real processes on one data directory; the kernel's POSIX locks are what is tested.

const holderScript = resolve(import.meta.dirname, '../support/data-dir-lock-holder.ts');

interface Holder {
  child: ChildProcess;
  /** Resolves with the holder's first line: "locked" or "refused: …". */
  firstLine: Promise<string>;
  exited: Promise<number | null>;
}

function startHolder(t: { after(fn: () => void): void }, dataDir: string): Holder {
  const child = spawn(process.execPath, ['--import', 'tsx', holderScript, dataDir], { stdio: ['pipe', 'pipe', 'inherit'] });
  t.after(() => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL'); });
  let output = '';
  const firstLine = new Promise<string>((resolveLine, reject) => {
    child.stdout!.on('data', (chunk) => {
      output += chunk;
      if (output.includes('\n')) resolveLine(output.split('\n')[0]!);
    });
    child.once('exit', (code) => reject(new Error(`holder exited with ${code} before saying anything: ${output}`)));
  });
  firstLine.catch(() => undefined);
  const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));
  return { child, firstLine, exited };
}

test('a second process is refused at once with the lock file and the holder named', async (t) => {
  const dataDir = await tempDir(t, 'accelero-data-');
  const holder = startHolder(t, dataDir);
  assert.equal(await holder.firstLine, 'locked');
  await assert.rejects(acquireDataDirLock(dataDir), (error) => {
    assert.ok(error instanceof DataDirLockedError, String(error));
    assert.equal(error.lockPath, join(dataDir, LOCK_FILE));
    assert.equal(error.owner?.pid, holder.child.pid);
    assert.equal(error.owner?.hostname, hostname());
    assert.match(error.message, new RegExp(`${join(dataDir, LOCK_FILE)} is locked by process ${holder.child.pid} on ${hostname()} since \\d{4}-\\d\\d-\\d\\dT`));
    return true;
  });
});

test('a holder killed with kill -9 leaves no stale lock: the next acquire succeeds', async (t) => {
  const dataDir = await tempDir(t, 'accelero-data-');
  const holder = startHolder(t, dataDir);
  assert.equal(await holder.firstLine, 'locked');
  holder.child.kill('SIGKILL');
  await holder.exited;
  const stale = JSON.parse(await readFile(join(dataDir, OWNER_FILE), 'utf8'));
  assert.equal(stale.pid, holder.child.pid);
  const lock = await acquireDataDirLock(dataDir);
  t.after(() => lock.release());
  const owner = JSON.parse(await readFile(join(dataDir, OWNER_FILE), 'utf8'));
  assert.deepEqual(owner, { pid: process.pid, hostname: hostname(), since: lock.owner.since });
});

test('release hands the directory to the next process; until then it is refused', async (t) => {
  const dataDir = await tempDir(t, 'accelero-data-');
  const lock = await acquireDataDirLock(dataDir);
  const refused = startHolder(t, dataDir);
  assert.match(await refused.firstLine, new RegExp(`^refused: DataDirLockedError: .* by process ${process.pid} on `));
  assert.equal(await refused.exited, 3);
  await lock.release();
  const next = startHolder(t, dataDir);
  assert.equal(await next.firstLine, 'locked');
  next.child.stdin!.write('release\n');
  assert.equal(await next.exited, 0);
  await (await acquireDataDirLock(dataDir)).release();
});

test('within one process a second acquire is refused too', async (t) => {
  const dataDir = await tempDir(t, 'accelero-data-');
  const lock = await acquireDataDirLock(dataDir);
  t.after(() => lock.release());
  await assert.rejects(acquireDataDirLock(dataDir), DataDirLockedError);
});
