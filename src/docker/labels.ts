// Label keys and names of managed Docker objects. Containers are always found by these
// labels, never by name prefix, so two stacks with a `web` service never see each other.

export const LABEL = {
  stack: 'accelero.stack',
  service: 'accelero.service',
  configHash: 'accelero.config-hash',
  deployment: 'accelero.deployment',
  commit: 'accelero.commit',
  imageId: 'accelero.image-id',
  /** The image reference as declared; the list call shows an id once the tag has moved. */
  image: 'accelero.image',
  composeProject: 'com.docker.compose.project',
  composeService: 'com.docker.compose.service',
  composeNumber: 'com.docker.compose.container-number',
  composeOneoff: 'com.docker.compose.oneoff',
  composeImage: 'com.docker.compose.image',
  composeWorkingDir: 'com.docker.compose.project.working_dir',
  composeConfigFiles: 'com.docker.compose.project.config_files',
  composeNetwork: 'com.docker.compose.network',
  composeVolume: 'com.docker.compose.volume',
} as const;

/** Marker in the name of an old container renamed aside during a rollout. */
export const ASIDE_MARKER = '-accelero-old-';
/** Marker in the temporary name of a new container started beside the old one. */
export const NEXT_MARKER = '-accelero-new-';

export function stackFilter(stackName: string): { label: string[] } {
  return { label: [`${LABEL.stack}=${stackName}`] };
}

export interface ContainerIdentity {
  stackName: string;
  project: string;
  service: string;
  number: number;
  configHash: string;
  deploymentId: string;
  commit: string;
  image: string;
  imageId: string;
  /** The per-commit project directory and compose file (read by `docker compose ls`). */
  workingDir?: string;
  composeFile?: string;
}

/** Our labels plus compose's, over the user's (compose's own labels win a clash, docs/compose.md (c)). */
export function containerLabels(user: Record<string, string>, id: ContainerIdentity): Record<string, string> {
  return {
    ...user,
    [LABEL.stack]: id.stackName,
    [LABEL.service]: id.service,
    [LABEL.configHash]: id.configHash,
    [LABEL.deployment]: id.deploymentId,
    [LABEL.commit]: id.commit,
    [LABEL.imageId]: id.imageId,
    [LABEL.image]: id.image,
    [LABEL.composeProject]: id.project,
    [LABEL.composeService]: id.service,
    [LABEL.composeNumber]: String(id.number),
    [LABEL.composeOneoff]: 'False',
    [LABEL.composeImage]: id.imageId,
    ...(id.workingDir ? { [LABEL.composeWorkingDir]: id.workingDir } : {}),
    ...(id.composeFile ? { [LABEL.composeConfigFiles]: id.composeFile } : {}),
  };
}

export function resourceLabels(
  kind: 'network' | 'volume', key: string, stackName: string, project: string, user: Record<string, string>,
): Record<string, string> {
  const keyLabel = kind === 'network' ? LABEL.composeNetwork : LABEL.composeVolume;
  return { ...user, [LABEL.stack]: stackName, [LABEL.composeProject]: project, [keyLabel]: key };
}

/** `<project>-<service>-<n>` like compose v2, or the service's `container_name`. */
export function containerName(project: string, service: string, number: number, fixedName?: string): string {
  return fixedName ?? `${project}-${service}-${number}`;
}

export function asideName(name: string, deploymentId: string): string {
  return `${name}${ASIDE_MARKER}${shortId(deploymentId)}`;
}

export function nextName(name: string, deploymentId: string): string {
  return `${name}${NEXT_MARKER}${shortId(deploymentId)}`;
}

function shortId(deploymentId: string): string {
  return deploymentId.replace(/[^a-zA-Z0-9_.-]/g, '').slice(0, 12) || 'x';
}
