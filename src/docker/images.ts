// Image pulls per pull_policy, with the stack's registry credentials matched by registry host
// (Docker Hub aliases folded). A pull that moves a tag to another image id is what makes
// drift report image_mismatch for an unchanged reference.

import type Dockerode from 'dockerode';
import type { ComposeService } from '../compose/types.ts';
import { DockerError } from '../errors.ts';
import { engineMessage } from './engine-errors.ts';
import { DOCKER_HUB, normaliseRegistryHost, parseReference } from './images-ref.ts';
import type { Logger } from './logger.ts';
import type { RegistryAuth } from './types.ts';

export interface PullOptions {
  stackName: string;
  registryAuth?: RegistryAuth[];
  logger: Logger;
  /** When each reference was last pulled by this process (for `always` de-duplication and daily/weekly). */
  lastPulled: Map<string, number>;
}

/** Pull for `always` is skipped when this process pulled the same reference this recently. */
const RECENT_PULL_MS = 60_000;

export interface PullCredentials { username: string; password: string; serveraddress: string }

export function credentialsFor(ref: string, auths: RegistryAuth[] = []): PullCredentials | undefined {
  const host = parseReference(ref).registry;
  const match = auths.find((a) => a.username && normaliseRegistryHost(a.registry) === host);
  if (!match) return undefined;
  const serveraddress = host === DOCKER_HUB ? 'https://index.docker.io/v1/' : host;
  return { username: match.username!, password: match.password ?? '', serveraddress };
}

/**
 * Whether pull_policy asks for a pull now. `build` and `never` never pull (Accelero does not
 * build). `recentCounts`: applyPlan skips an `always` pull the diffing step just made.
 */
export function shouldPull(policy: string, present: boolean, lastPulledAt: number | undefined, recentCounts = false, now = Date.now()): boolean {
  if (policy === 'never' || policy === 'build') return false;
  if (policy === 'always') return !recentCounts || lastPulledAt === undefined || now - lastPulledAt > RECENT_PULL_MS;
  const period = policyPeriodMs(policy);
  if (period !== undefined) return !present || lastPulledAt === undefined || now - lastPulledAt > period;
  return !present; // missing / if_not_present (the compose default)
}

function policyPeriodMs(policy: string): number | undefined {
  if (policy === 'daily') return 86_400_000;
  if (policy === 'weekly') return 7 * 86_400_000;
  const every = /^every_(\d+)([smhdw])$/.exec(policy);
  if (!every) return undefined;
  const unit = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }[every[2] as 's'];
  return Number(every[1]) * unit;
}

export async function pullImage(docker: Dockerode, ref: string, service: string, opts: PullOptions): Promise<void> {
  const authconfig = credentialsFor(ref, opts.registryAuth);
  const fail = (message: string, cause?: unknown): DockerError => new DockerError(
    `stack ${opts.stackName}, service ${service}: pulling ${ref} failed${authconfig ? '' : ' (no registry credentials for this registry)'}: ${message}`,
    'image_pull_failed', { cause });
  let stream: NodeJS.ReadableStream;
  try {
    stream = await docker.pull(ref, authconfig ? { authconfig } : {});
  } catch (error) {
    throw fail(engineMessage(error), error);
  }
  // The engine reports pull errors inside the progress stream with HTTP 200 (`{"error": …}`).
  const events = await new Promise<{ error?: string }[]>((resolve, reject) =>
    docker.modem.followProgress(stream, (err: Error | null, out: { error?: string }[]) => (err ? reject(err) : resolve(out))),
  ).catch((error: unknown) => { throw fail(engineMessage(error), error); });
  const failed = events.find((e) => e.error);
  if (failed) throw fail(failed.error!);
  opts.lastPulled.set(ref, Date.now());
  opts.logger.info({ stack: opts.stackName, service, image: ref }, 'image pulled');
}

/**
 * Pulls what the pull policies ask for, then returns reference → local image id for every
 * given service. A reference that is still not local is a typed error naming the service.
 */
export async function ensureImages(
  docker: Dockerode, services: ComposeService[], local: Record<string, string>, opts: PullOptions,
  readLocal: () => Promise<Record<string, string>>,
): Promise<Record<string, string>> {
  const byRef = new Map<string, ComposeService>();
  for (const s of services) if (!byRef.has(s.image)) byRef.set(s.image, s);
  const toPull = [...byRef].filter(([ref, s]) => shouldPull(s.pullPolicy, Boolean(local[ref]), opts.lastPulled.get(ref), true));
  await Promise.all(toPull.map(([ref, s]) => pullImage(docker, ref, s.name, opts)));
  const resolved = toPull.length > 0 ? await readLocal() : local;
  for (const [ref, s] of byRef) {
    if (resolved[ref]) continue;
    const why = s.pullPolicy === 'build' ? 'pull_policy build: Accelero does not build images; build it on the host'
      : s.pullPolicy === 'never' ? 'pull_policy never and the image is not on the host' : 'the image is not on the host';
    throw new DockerError(`stack ${opts.stackName}, service ${s.name}: image ${ref} unavailable (${why})`, 'image_unavailable');
  }
  return resolved;
}
