// rollBack as the stack actor calls it (rolling_back, and crash recovery at startup): the
// persisted snapshots of a deployment are restored and its own containers removed.

import type { DockerGateway } from './gateway.ts';
import { rollBackContainers, type RollbackContext } from './rollback.ts';
import type { ServiceSnapshot } from './types.ts';

export function rollBack(gateway: DockerGateway, snapshots: ServiceSnapshot[], ctx: RollbackContext): Promise<void> {
  return rollBackContainers(gateway.docker, gateway.logger, snapshots, ctx);
}
