import type { Repository } from 'typeorm';
import type { Database } from './database.ts';
import { SnapshotEntity } from './entities/schemas.ts';
import type { SnapshotRecord } from './entities/records.ts';
import type { ServiceSnapshot } from '../src/docker/types.ts';
import type { SecretBox } from '../src/secrets/index.ts';

/**
 * Snapshots are written before the first mutation of a deployment, in one transaction. Each is
 * sealed: a container's environment holds the resolved `${SECRET}` values, and credentials
 * never sit in the database in plaintext. Rows written before sealing are read as they are.
 */
export class SnapshotStore {
  private readonly repo: Repository<SnapshotRecord>;

  constructor(private readonly db: Database, private readonly sealer: Pick<SecretBox, 'encrypt' | 'decrypt'>) {
    this.repo = db.dataSource.getRepository(SnapshotEntity);
  }

  save(stackId: string, deploymentId: string, snapshots: ServiceSnapshot[]): Promise<void> {
    const at = new Date().toISOString();
    const rows: SnapshotRecord[] = snapshots.map((s) => ({
      deployment_id: deploymentId, stack_id: stackId, service: s.service, container_name: s.containerName,
      container_id: s.containerId, snapshot: { sealed: this.sealer.encrypt(JSON.stringify(s)) } as never, created_at: at,
    }));
    return this.db.writes.run(() =>
      this.db.dataSource.transaction(async (manager) => {
        if (rows.length > 0) await manager.getRepository(SnapshotEntity).insert(rows as never);
      }),
    );
  }

  async load(deploymentId: string): Promise<ServiceSnapshot[]> {
    const rows = await this.repo.find({ where: { deployment_id: deploymentId }, order: { id: 'ASC' } });
    return rows.map((r) => {
      const stored = r.snapshot as ServiceSnapshot | { sealed: string };
      return 'sealed' in stored ? (JSON.parse(this.sealer.decrypt(stored.sealed)) as ServiceSnapshot) : stored;
    });
  }

}
