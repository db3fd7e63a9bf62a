// After a deployment is verified: the old containers it stopped and renamed aside (kept for
// rollback until then) are removed. Found through the deployment's persisted snapshots, so a
// daemon that restarted in between removes exactly the same ones.

import type { EngineConnection } from './connection.ts';
import { engine, statusCode } from './engine-errors.ts';
import { ASIDE_MARKER } from './labels.ts';
import { removeContainer } from './containers.ts';
import type { ProgressEvent, ServiceSnapshot } from './types.ts';

export async function removeReplaced(
  conn: EngineConnection, stackName: string, snapshots: ServiceSnapshot[], onProgress?: (event: ProgressEvent) => void,
): Promise<void> {
  for (const snapshot of snapshots) {
    const where = { stack: stackName, service: snapshot.service };
    const name = await engine(`inspecting container ${snapshot.containerId.slice(0, 12)}`, where, () =>
      conn.docker.getContainer(snapshot.containerId).inspect().then((info) => info.Name, (error: unknown) => {
        if (statusCode(error) === 404) return undefined;
        throw error;
      }));
    // Not aside (a replica that was only started) or already gone: nothing to remove.
    if (!name?.includes(ASIDE_MARKER)) continue;
    onProgress?.({ service: snapshot.service, step: 'cleanup', message: `removing the replaced container ${name.replace(/^\//, '')}` });
    // Its anonymous volumes were taken over by the replacement: keep them (no `v`).
    await removeContainer(conn.docker, snapshot.containerId, where);
  }
}
