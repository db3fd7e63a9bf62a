// What every part of the Docker layer works with: the engine client, the logger, and what
// this process remembers about pulls (pull_policy always / daily / weekly). Internal: callers
// outside src/docker see only the DockerEngine (engine.ts).

import type Dockerode from 'dockerode';
import type { HostPathMap } from './host-paths.ts';
import type { EngineReads } from './engine-reads.ts';
import type { Logger } from './logger.ts';

export interface EngineConnection {
  readonly docker: Dockerode;
  readonly logger: Logger;
  /** When this process last pulled each reference. */
  readonly lastPulled: Map<string, number>;
  /** The container Accelero runs in: never stopped or removed by its own plans (self-protection.ts). */
  readonly ownContainerId?: string;
  /** HOST_STACKS_DATA_DIR: where bind sources under STACKS_DATA_DIR are on the Docker host. */
  readonly hostPaths?: HostPathMap;
  /** The lists an actual state is read from, one call per stack. */
  readonly reads: EngineReads;
  /** The same lists, shared by every stack that reads within one window (timer cycles). */
  readonly sharedReads: EngineReads;
}
