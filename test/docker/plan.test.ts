import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { computeDrift } from '../../src/docker/drift.ts';
import { planRollout } from '../../src/docker/plan.ts';
import type { ActualState } from '../../src/docker/types.ts';
import { buildProject } from './fixtures.ts';

const empty: ActualState = { stackName: 'shop', containers: [], networks: {}, volumes: {}, images: {}, readAt: '' };

describe('planRollout', () => {
  it('puts services in dependency levels, dependencies first', () => {
    const project = buildProject('shop', {
      web: { dependsOn: { api: 'service_healthy' } },
      api: { dependsOn: { db: 'service_started' } },
      db: {}, cache: {},
    });
    const plan = planRollout(project, empty, computeDrift(project, empty));
    assert.deepEqual(plan.levels.map((l) => l.map((a) => a.service).sort()), [['cache', 'db'], ['api'], ['web']]);
  });

  it('creates missing services and lists the missing default network', () => {
    const project = buildProject('shop', { web: {} });
    const plan = planRollout(project, empty, computeDrift(project, empty));
    assert.equal(plan.actions[0]?.action, 'create');
    assert.deepEqual(plan.missingNetworks, ['shop_default']);
    assert.equal(plan.hasChanges, true);
  });

  it('gives start-first to a service without fixed host port or container_name', () => {
    const plan = planRollout(buildProject('shop', { web: {} }), empty, []);
    assert.equal(plan.actions[0]?.order, 'start-first');
  });

  it('forces stop-first on a service that publishes a fixed host port, even when start-first was asked', () => {
    const project = buildProject('shop', { web: { ports: ['8080:8080'], update: { order: 'start-first' } } });
    const action = planRollout(project, empty, [])
      .actions[0]!;
    assert.equal(action.order, 'stop-first');
    assert.match(action.orderReason, /fixed host port/);
  });

  it('forces stop-first on a service with container_name', () => {
    const plan = planRollout(buildProject('shop', { web: { containerName: 'web' } }), empty, []);
    assert.equal(plan.actions[0]?.order, 'stop-first');
  });

  it('pulls the dependencies of a filtered service into the plan', () => {
    const project = buildProject('shop', { web: { dependsOn: { db: 'service_started' } }, db: {}, other: {} });
    const drift = computeDrift(project, empty, { serviceFilter: ['web'] });
    const plan = planRollout(project, empty, drift, { serviceFilter: ['web'] });
    assert.deepEqual(plan.actions.map((a) => a.service).sort(), ['db', 'web']);
  });

  it('removes undeclared services in a last level', () => {
    const project = buildProject('shop', { web: {} });
    const drift = [{ service: 'gone', kind: 'extra' as const, expected: 'absent', actual: 'shop-gone-1', message: 'gone', number: 1, containerId: 'x', resource: 'container' as const }];
    const plan = planRollout(project, empty, drift);
    const last = plan.levels[plan.levels.length - 1]!;
    assert.deepEqual(last.map((a) => [a.service, a.action]), [['gone', 'remove']]);
  });
});
