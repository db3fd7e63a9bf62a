// CPU time and resident memory of a process with all its descendants (git, worker threads are
// inside the process already), read from /proc. CPU counts the children that have exited and
// were waited for (cutime/cstime), so a git ls-remote that came and went is in the figure.

import { readFile } from 'node:fs/promises';

const TICKS_PER_SECOND = 100;

export interface TreeStats {
  /** User + system CPU seconds of the process, its threads, and its reaped children. */
  cpuSeconds: number;
  /** Resident memory of the process and its live descendants, MiB. */
  rssMiB: number;
  processes: number;
}

async function children(pid: number): Promise<number[]> {
  const tasks = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => '');
  return tasks.split(' ').filter(Boolean).map(Number);
}

async function descendants(pid: number): Promise<number[]> {
  const all = [pid];
  for (let i = 0; i < all.length; i++) all.push(...(await children(all[i]!)));
  return all;
}

async function statOf(pid: number): Promise<{ cpuTicks: number; rssKiB: number } | undefined> {
  try {
    const stat = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    // Fields after the command: utime 11, stime 12, cutime 13, cstime 14 (0-based here).
    const cpuTicks = Number(stat[11]) + Number(stat[12]) + Number(stat[13]) + Number(stat[14]);
    return { cpuTicks, rssKiB: Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) };
  } catch {
    return undefined; // gone between listing and reading
  }
}

/** CPU of the root (with everything it reaped) plus live descendants' own; RSS of all. */
export async function treeStats(root: number): Promise<TreeStats> {
  let cpuTicks = 0;
  let rssKiB = 0;
  let processes = 0;
  for (const pid of await descendants(root)) {
    const stat = await statOf(pid);
    if (!stat) continue;
    cpuTicks += stat.cpuTicks;
    rssKiB += stat.rssKiB;
    processes++;
  }
  return { cpuSeconds: cpuTicks / TICKS_PER_SECOND, rssMiB: rssKiB / 1024, processes };
}

/** Samples RSS every second for `seconds`; returns CPU % of one core over the span, and RSS mean and peak. */
export async function measureTree(root: number, seconds: number): Promise<{ cpuPercent: number; rssMeanMiB: number; rssPeakMiB: number }> {
  const start = await treeStats(root);
  const started = performance.now();
  const samples: number[] = [];
  while (performance.now() - started < seconds * 1000) {
    await new Promise((r) => setTimeout(r, 1000));
    samples.push((await treeStats(root)).rssMiB);
  }
  const end = await treeStats(root);
  const elapsed = (performance.now() - started) / 1000;
  return {
    cpuPercent: ((end.cpuSeconds - start.cpuSeconds) / elapsed) * 100,
    rssMeanMiB: samples.reduce((a, b) => a + b, 0) / samples.length,
    rssPeakMiB: Math.max(...samples),
  };
}

/** CPU seconds of the process's main thread, of its other threads (libuv's pool, where SQLite runs; worker threads; V8's), and of its reaped children. */
export async function cpuByThread(pid: number): Promise<Map<string, number>> {
  const byName = new Map<string, number>();
  const { readdir } = await import('node:fs/promises');
  for (const tid of await readdir(`/proc/${pid}/task`).catch(() => [] as string[])) {
    const text = await readFile(`/proc/${pid}/task/${tid}/stat`, 'utf8').catch(() => '');
    const open = text.indexOf('(');
    const close = text.lastIndexOf(')');
    if (open < 0) continue;
    // Node 20 names every thread `node`: the main thread is the one whose id is the pid.
    const name = tid === String(pid) ? 'main thread' : `other threads (${text.slice(open + 1, close)})`;
    const fields = text.slice(close + 2).split(' ');
    byName.set(name, (byName.get(name) ?? 0) + (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND);
  }
  const stat = (await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '')).split(') ')[1]?.split(' ') ?? [];
  byName.set('(exited children: git, …)', (Number(stat[13] ?? 0) + Number(stat[14] ?? 0)) / TICKS_PER_SECOND);
  return byName;
}

/** Differences of two cpuByThread readings, as % of one core over `seconds`. */
export function threadShares(before: Map<string, number>, after: Map<string, number>, seconds: number): string {
  return [...after].map(([name, cpu]) => [name, ((cpu - (before.get(name) ?? 0)) / seconds) * 100] as const)
    .filter(([, share]) => share >= 0.05).sort((a, b) => b[1] - a[1])
    .map(([name, share]) => `${name} ${share.toFixed(2)}%`).join(', ');
}
