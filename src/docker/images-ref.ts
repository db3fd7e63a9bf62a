// Image reference normalisation: Docker Hub aliases folded, implicit `:latest` made explicit,
// so that references in a compose file, in RepoTags and in registry credentials compare equal.

const HUB_HOSTS = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com']);
export const DOCKER_HUB = 'docker.io';

export interface ParsedReference { registry: string; repository: string; tag?: string; digest?: string }

/** Splits `[host[:port]/]repo[:tag][@digest]` the way the Docker CLI does. */
export function parseReference(ref: string): ParsedReference {
  let rest = ref;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) { digest = rest.slice(at + 1); rest = rest.slice(0, at); }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) { tag = rest.slice(colon + 1); rest = rest.slice(0, colon); }
  const slash = rest.indexOf('/');
  const first = slash >= 0 ? rest.slice(0, slash) : '';
  // The first component is a registry host only if it looks like one (docker/distribution rule).
  const isHost = slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost');
  let registry = isHost ? first : DOCKER_HUB;
  let repository = isHost ? rest.slice(slash + 1) : rest;
  if (HUB_HOSTS.has(registry)) registry = DOCKER_HUB;
  if (registry === DOCKER_HUB && !repository.includes('/')) repository = `library/${repository}`;
  return { registry, repository, tag: tag ?? (digest ? undefined : 'latest'), digest };
}

/** The familiar form Docker prints in RepoTags: `nginx:latest`, `localhost:5000/app:v2`. */
export function normaliseReference(ref: string): string {
  const p = parseReference(ref);
  const repo = p.registry === DOCKER_HUB ? p.repository.replace(/^library\//, '') : `${p.registry}/${p.repository}`;
  if (p.digest) return `${repo}@${p.digest}`;
  return `${repo}:${p.tag}`;
}

/** Registry host a credential entry names, Hub aliases (and `https://index.docker.io/v1/`) folded. */
export function normaliseRegistryHost(registry: string | undefined): string {
  if (!registry) return DOCKER_HUB;
  const host = registry.replace(/^https?:\/\//, '').replace(/\/.*$/, '');
  return HUB_HOSTS.has(host) ? DOCKER_HUB : host;
}
