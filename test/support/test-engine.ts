// A second, private Docker engine for tests that restart, stop or freeze it: its own dockerd
// (Debian docker.io 20.10) with its own managed containerd, data root, exec root, socket,
// cgroup parent and address pool, beside the machine's main engine and never touching it.
//
// * Its own network namespace (`ip netns` acte-<n>): dockerd deletes the interface named
//   docker0 in some cases (--bridge=none; a restart with address pools), and it must never be
//   the host's. No default bridge (--bridge=none) and no iptables rules (--iptables=false): a
//   daemon that manages iptables first deletes the DOCKER chains, and br_netfilter is global.
//   Containers run on user-defined bridge networks (what Accelero creates), inside that
//   namespace: nothing outside can reach them, so tests here use no published ports.
// * restart(): SIGTERM and start again on the same data root. The daemon stops running
//   containers on the way down (their stop timeout, 10 s by default, for a process that
//   ignores SIGTERM); on the way up it starts again only those whose restart policy says so
//   (`always`, `unless-stopped`, and `on-failure` since the stop left a non-zero exit code);
//   `restart: no` containers stay exited.
// * freeze(): SIGSTOP. Connections are still accepted (the kernel queues them), so every API
//   call hangs instead of being refused, until thaw().

import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { open, readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import Dockerode from 'dockerode';
import { docker as mainEngine } from './docker.ts';
import { claimEngineRoot, tearDownEngineRoot, tearDownEngineRootNow, type EngineRoot } from './test-engine-root.ts';

const run = promisify(execFile);

export const TEST_IMAGES = ['accelero-test/web:v1', 'accelero-test/web:v2', 'accelero-test/busybox:latest'];
const READY_TIMEOUT_MS = 60_000;
const DOCKERD = existsSync('/usr/sbin/dockerd') ? '/usr/sbin/dockerd' : 'dockerd'; // Debian's, also off root's PATH

export interface TestEngine {
  socketPath: string;
  /** `unix://<socketPath>`, as DOCKER_HOST takes it. */
  dockerHost: string;
  /** A plain client (no timeouts) for arranging and checking. */
  docker: Dockerode;
  /** `10.<n>.0.0/16`: the pool its networks are allocated from. */
  addressPool: string;
  /** The dockerd process id while it runs. */
  pid(): number | undefined;
  /** Starts a stopped engine again on the same data root. */
  start(): Promise<void>;
  /** SIGTERM, and resolves when dockerd has exited. */
  stop(): Promise<void>;
  restart(): Promise<void>;
  /** SIGSTOP: every API call hangs until thaw(). */
  freeze(): void;
  thaw(): void;
  /** Everything dockerd logged so far. */
  log(): Promise<string>;
  /** Stops the daemon, kills what is left and removes the root; also runs at process exit. */
  cleanup(): Promise<void>;
}

const live = new Set<string>();
let exitHooked = false;

/** Starts a private engine with the test images loaded; costs a few seconds, once per test file. */
export async function startTestEngine(): Promise<TestEngine> {
  hookProcessExit();
  const root = await claimEngineRoot();
  live.add(root.dir);
  try {
    const engine = await createEngine(root);
    await engine.start();
    await loadTestImages(engine.docker);
    return engine;
  } catch (error) {
    await forget(root.dir);
    throw error;
  }
}

async function createEngine(root: EngineRoot): Promise<TestEngine> {
  const socketPath = join(root.dir, 'docker.sock');
  const logPath = join(root.dir, 'dockerd.log');
  await writeFile(join(root.dir, 'daemon.json'), '{}\n'); // not the host's /etc/docker/daemon.json
  const docker = new Dockerode({ socketPath });
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  const engine: TestEngine = {
    socketPath, dockerHost: `unix://${socketPath}`, docker, addressPool: root.addressPool,
    pid: () => (child && child.exitCode === null && child.signalCode === null ? child.pid : undefined),
    async start() {
      if (engine.pid()) return;
      child = await spawnDaemon(root, socketPath, logPath);
      exited = new Promise((done) => child!.once('exit', () => done()));
      await waitUntilReady(docker, child, { socketPath, logPath });
    },
    async stop() {
      const pid = engine.pid();
      if (!pid) return;
      process.kill(pid, 'SIGCONT');
      process.kill(pid, 'SIGTERM');
      child!.ref(); // nothing else may keep the event loop alive while the daemon shuts down
      await exited;
    },
    async restart() {
      await engine.stop();
      await engine.start();
    },
    freeze: () => signal(engine.pid(), 'SIGSTOP'),
    thaw: () => signal(engine.pid(), 'SIGCONT'),
    log: () => readFile(logPath, 'utf8').catch(() => ''),
    cleanup: () => forget(root.dir),
  };
  return engine;
}

function daemonArguments(root: EngineRoot, socketPath: string): string[] {
  return [
    `--config-file=${join(root.dir, 'daemon.json')}`,
    `--data-root=${join(root.dir, 'data')}`,
    // The managed containerd follows: state and config under <exec-root>/containerd, its
    // content under <data-root>/containerd, runc state under <exec-root>/runtime-runc.
    `--exec-root=${join(root.dir, 'exec')}`,
    `--pidfile=${join(root.dir, 'dockerd.pid')}`,
    `--host=unix://${socketPath}`,
    '--bridge=none', '--iptables=false', '--ip-forward=false', '--ip-masq=false',
    `--default-address-pool=base=${root.addressPool},size=24`,
    `--cgroup-parent=${root.cgroupParent}`,
  ];
}

/**
 * The engine's own network namespace, `acte-<n>`: whatever its dockerd does to links (a
 * restarted dockerd with address pools deletes the interface named docker0, a --bridge=none
 * one too) happens there, never to the host's docker0.
 */
async function ensureNetworkNamespace(name: string): Promise<void> {
  await run('ip', ['netns', 'add', name]).catch((error: { stderr?: string }) => {
    if (!/File exists/.test(error.stderr ?? '')) throw error;
  });
  await run('ip', ['-n', name, 'link', 'set', 'lo', 'up']);
}

async function spawnDaemon(root: EngineRoot, socketPath: string, logPath: string): Promise<ChildProcess> {
  const netns = basename(root.dir);
  await ensureNetworkNamespace(netns);
  const log = await open(logPath, 'a');
  // setpriv: should this process die without its exit hook (SIGKILL), dockerd gets SIGTERM
  // and shuts down instead of running on; the next claim of the root sweeps the rest.
  // nsenter enters only the network namespace (`ip netns exec` would also remount /sys,
  // hiding the cgroups dockerd needs); it and setpriv exec what follows: the pid is dockerd's.
  const daemon = existsSync('/usr/bin/setpriv')
    ? ['/usr/bin/setpriv', '--pdeathsig', 'TERM', '--', DOCKERD, ...daemonArguments(root, socketPath)]
    : [DOCKERD, ...daemonArguments(root, socketPath)];
  const child = spawn('nsenter', [`--net=/run/netns/${netns}`, '--', ...daemon], { stdio: ['ignore', log.fd, log.fd], detached: true });
  child.unref(); // the exit hook and cleanup() end it; it must not keep a test process alive
  await new Promise<void>((done, fail) => {
    child.once('spawn', done);
    child.once('error', fail);
  }).finally(() => log.close());
  return child;
}

async function waitUntilReady(docker: Dockerode, child: ChildProcess, at: { socketPath: string; logPath: string }): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) break;
    if (await docker.ping().then(() => true, () => false)) return;
    await sleep(100);
  }
  const log = (await readFile(at.logPath, 'utf8').catch(() => '')).split('\n').slice(-30).join('\n');
  throw new Error(`test engine did not answer on ${at.socketPath} within ${READY_TIMEOUT_MS / 1000} s (exit ${child.exitCode ?? child.signalCode}):\n${log}`);
}

/** The test images, copied from the main engine (same image ids), so deployments run offline. */
async function loadTestImages(engine: Dockerode): Promise<void> {
  for (const image of TEST_IMAGES) {
    const archive = await mainEngine.getImage(image).get().catch((error: unknown) => {
      throw new Error(`test image ${image} is not on the main engine (run scripts/build-test-images.sh): ${error}`);
    });
    const progress = await engine.loadImage(archive, { quiet: true });
    await new Promise<void>((done, fail) => engine.modem.followProgress(progress, (error: Error | null) => (error ? fail(error) : done())));
  }
}

function signal(pid: number | undefined, name: NodeJS.Signals): void {
  if (!pid) throw new Error(`the test engine is not running (${name})`);
  process.kill(pid, name);
}

async function forget(dir: string): Promise<void> {
  if (!live.delete(dir)) return;
  await tearDownEngineRoot(dir);
}

/** A test process that ends without cleanup() (a failed before(), a signal) leaves no daemon behind. */
function hookProcessExit(): void {
  if (exitHooked) return;
  exitHooked = true;
  const tearDownAll = () => {
    for (const dir of live) tearDownEngineRootNow(dir);
    live.clear();
  };
  process.once('exit', tearDownAll);
  for (const name of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(name, () => {
      tearDownAll();
      process.kill(process.pid, name);
    });
  }
}
