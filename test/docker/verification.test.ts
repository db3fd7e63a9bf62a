import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { conditionMet } from '../../src/docker/dependencies.ts';
import { demultiplex, healthBudgetMs } from '../../src/docker/health.ts';
import { assertExternalsExist } from '../../src/docker/resources.ts';
import { assessHealth } from '../../src/docker/stack-health.ts';
import type { ActualContainer, ActualState } from '../../src/docker/types.ts';
import { buildProject } from './fixtures.ts';

const SECOND_NS = 1_000_000_000;

function container(overrides: Partial<ActualContainer>): ActualContainer {
  return {
    id: 'id', name: 'shop-db-1', service: 'db', number: 1, image: 'accelero-test/web:v1', imageId: 'sha256:a',
    configHash: '', deploymentId: '', commit: '', state: 'running', statusText: 'Up', health: 'none',
    exitCode: null, keptAside: false, anonymousVolumes: [], labels: {}, networks: [], createdAt: '', ...overrides,
  };
}

describe('verification rules', () => {
  it('budgets a healthcheck as start_period plus (interval + timeout) times (retries + 1)', () => {
    const budget = healthBudgetMs({ Interval: SECOND_NS, Timeout: SECOND_NS, Retries: 2, StartPeriod: 5 * SECOND_NS });
    assert.equal(budget, 5_000 + 2_000 * 3 + 2_000);
  });

  it('uses the engine defaults (30 s, 30 s, 3 retries) for a healthcheck that sets none', () => {
    assert.equal(healthBudgetMs({}), 60_000 * 4 + 2_000);
  });

  it('demultiplexes the stdout and stderr frames of a non-TTY log', () => {
    const frame = (stream: number, text: string) => Buffer.concat([Buffer.from([stream, 0, 0, 0, 0, 0, 0, text.length]), Buffer.from(text)]);
    assert.equal(demultiplex(Buffer.concat([frame(1, 'out\n'), frame(2, 'err\n')])), 'out\nerr\n');
  });

  it('meets service_healthy only when every replica is healthy', () => {
    assert.equal(conditionMet('service_healthy', [container({ health: 'starting' })]).met, false);
    assert.equal(conditionMet('service_healthy', [container({ health: 'healthy' })]).met, true);
  });

  it('fails service_healthy at once for a dependency without healthcheck, as compose does', () => {
    assert.deepEqual(conditionMet('service_healthy', [container({})]), { met: false, final: true, why: 'has no healthcheck configured' });
  });

  it('meets service_completed_successfully on exit 0 and fails it on another exit code', () => {
    assert.equal(conditionMet('service_completed_successfully', [container({ state: 'exited', exitCode: 0 })]).met, true);
    const failed = conditionMet('service_completed_successfully', [container({ state: 'exited', exitCode: 1 })]);
    assert.equal(failed.met === false && failed.final, true);
  });

  it('rates a stack with an unhealthy container degraded and one with a missing replica missing', () => {
    const project = buildProject('shop', { db: {} });
    const state = (containers: ActualContainer[]): ActualState => ({ stackName: 'shop', containers, networks: {}, volumes: {}, images: {}, readAt: '' });
    const db = { configHash: project.services.db!.configHash };
    assert.equal(assessHealth(project, state([container({ ...db, health: 'unhealthy' })])), 'degraded');
    assert.equal(assessHealth(project, state([])), 'missing');
    assert.equal(assessHealth(project, state([container({ ...db, health: 'starting' })])), 'progressing');
    assert.equal(assessHealth(project, state([container(db)])), 'healthy');
  });

  it('refuses an absent external network before anything is changed', () => {
    const project = buildProject('shop', { db: {} });
    project.networks.default = { ...project.networks.default!, external: true, name: 'shared' };
    assert.throws(() => assertExternalsExist('shop', project, { networks: ['shared'], volumes: [] }), /network shared is declared as external, but could not be found/);
  });
});
