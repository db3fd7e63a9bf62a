import type { Repository } from 'typeorm';
import type { Database } from './database.ts';
import { DriftReportEntity } from './entities/schemas.ts';
import type { DriftReportRecord } from './entities/records.ts';

/** Drift found by reconcile cycles and drift requests; the newest few per stack are kept. */
export class DriftStore {
  private readonly repo: Repository<DriftReportRecord>;

  constructor(private readonly db: Database, private readonly keepPerStack = 20) {
    this.repo = db.dataSource.getRepository(DriftReportEntity);
  }

  /** One transaction: a write retried after a full disk must not insert the report twice. */
  record(report: DriftReportRecord): Promise<void> {
    return this.db.writes.run(() => this.db.dataSource.transaction(async (manager) => {
      const repo = manager.getRepository(DriftReportEntity);
      await repo.insert(report as never);
      const old = await repo.find({ where: { stack_id: report.stack_id }, order: { id: 'DESC' }, skip: this.keepPerStack, select: { id: true } });
      if (old.length > 0) await repo.delete(old.map((r) => r.id!));
    }));
  }

  latest(stackId: string): Promise<DriftReportRecord | null> {
    return this.repo.findOne({ where: { stack_id: stackId }, order: { id: 'DESC' } });
  }

}
