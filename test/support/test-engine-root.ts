// Where a private test engine lives: `/tmp/acte-<n>`, whose number also picks its address pool
// (10.<n>.0.0/16) and its cgroup (/acte-<n>). The mkdir of the root is the claim, so engines
// started by other test processes at the same time never share a pool; the roots of owners
// that died without tearing down (SIGKILL) are torn down by the next claim.

import { spawn, spawnSync } from 'node:child_process';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

const TEARDOWN = resolve(import.meta.dirname, 'test-engine-teardown.sh');
/** Second octets tried for the pool; the main engine's pools are 172.17–31.x and 192.168.x. */
const FIRST = 200;
const LAST = 254;
/** A root without an owner file is taken for a crash only when it is this old. */
const UNOWNED_GRACE_MS = 5 * 60_000;

export interface EngineRoot {
  /** `/tmp/acte-<n>`: short, because containerd's sockets live under it. */
  dir: string;
  /** The cgroup parent of its containers, `/acte-<n>`. */
  cgroupParent: string;
  /** `10.<n>.0.0/16`, split into /24 networks. */
  addressPool: string;
}

export async function claimEngineRoot(): Promise<EngineRoot> {
  await sweepAbandonedRoots();
  const taken = await routedSecondOctets();
  const candidates = shuffled(range(FIRST, LAST)).filter((n) => !taken.has(n));
  for (const n of candidates) {
    const dir = `/tmp/acte-${n}`;
    if (!(await claim(dir))) continue;
    await writeFile(join(dir, 'owner'), String(process.pid));
    await writeFile(join(dir, 'pool'), `10.${n}.`);
    return { dir, cgroupParent: `/acte-${n}`, addressPool: `10.${n}.0.0/16` };
  }
  throw new Error(`no free test engine root: /tmp/acte-${FIRST}…${LAST} are all in use or their 10.x ranges routed`);
}

async function claim(dir: string): Promise<boolean> {
  try {
    await mkdir(dir);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/** Engines of test processes that were killed outright: their containers, mounts and bridges. */
async function sweepAbandonedRoots(): Promise<void> {
  const names = (await readdir('/tmp')).filter((name) => /^acte-\d+$/.test(name));
  for (const name of names) {
    const dir = `/tmp/${name}`;
    if (await abandoned(dir)) await tearDownEngineRoot(dir);
  }
}

async function abandoned(dir: string): Promise<boolean> {
  const owner = await readFile(join(dir, 'owner'), 'utf8').catch(() => undefined);
  if (owner === undefined) {
    const info = await stat(dir).catch(() => undefined);
    return info !== undefined && Date.now() - info.mtimeMs > UNOWNED_GRACE_MS;
  }
  return !alive(Number(owner));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Second octets of the 10.x networks the host already routes (its own or other engines'). */
async function routedSecondOctets(): Promise<Set<number>> {
  const table = await readFile('/proc/net/route', 'utf8');
  const taken = new Set<number>();
  for (const line of table.split('\n').slice(1)) {
    const [, destination, , , , , , mask] = line.trim().split(/\s+/);
    if (!destination || !mask) continue;
    // Little-endian hex: the low byte is the first octet.
    const ip = Number.parseInt(destination, 16);
    const bits = Number.parseInt(mask, 16);
    if ((ip & 0xff) !== 10 || (bits & 0xff) !== 0xff) continue;
    if (((bits >> 8) & 0xff) === 0xff) taken.add((ip >> 8) & 0xff);
    else for (let n = FIRST; n <= LAST; n++) taken.add(n); // a route for all of 10/8
  }
  return taken;
}

/** Runs the teardown script: the daemon, its containers, mounts, bridges, cgroups, the root. */
export function tearDownEngineRoot(dir: string): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn('bash', [TEARDOWN, dir], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.once('error', fail);
    child.once('exit', (code) => (code === 0 ? done() : fail(new Error(`tearing down ${dir} failed (${code}): ${stderr}`))));
  });
}

/** The same, synchronously: for the process's exit, when nothing asynchronous runs anymore. */
export function tearDownEngineRootNow(dir: string): void {
  spawnSync('bash', [TEARDOWN, dir], { stdio: 'ignore', timeout: 60_000 });
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

function shuffled<T>(items: T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}
