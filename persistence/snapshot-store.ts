import type { Repository } from 'typeorm';
import type { Database } from './database.ts';
import { SnapshotEntity } from './entities/schemas.ts';
import type { SnapshotRecord } from './entities/records.ts';
import type { ServiceSnapshot } from '../src/docker/types.ts';

/** Snapshots are written before the first mutation of a deployment, in one transaction. */
export class SnapshotStore {
  private readonly repo: Repository<SnapshotRecord>;

  constructor(private readonly db: Database) {
    this.repo = db.dataSource.getRepository(SnapshotEntity);
  }

  save(stackId: string, deploymentId: string, snapshots: ServiceSnapshot[]): Promise<void> {
    const at = new Date().toISOString();
    const rows: SnapshotRecord[] = snapshots.map((s) => ({
      deployment_id: deploymentId, stack_id: stackId, service: s.service, container_name: s.containerName,
      container_id: s.containerId, snapshot: s, created_at: at,
    }));
    return this.db.writes.run(() =>
      this.db.dataSource.transaction(async (manager) => {
        if (rows.length > 0) await manager.getRepository(SnapshotEntity).insert(rows as never);
      }),
    );
  }

  async load(deploymentId: string): Promise<ServiceSnapshot[]> {
    const rows = await this.repo.find({ where: { deployment_id: deploymentId }, order: { id: 'ASC' } });
    return rows.map((r) => r.snapshot);
  }

}
