import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { computeDrift } from '../../src/docker/drift.ts';
import type { ActualContainer, ActualState } from '../../src/docker/types.ts';
import { buildProject } from './fixtures.ts';

const project = buildProject('shop', { web: {}, migrate: { restart: 'no' } });
const ID = 'sha256:aaa';

function container(service: string, overrides: Partial<ActualContainer> = {}): ActualContainer {
  const s = project.services[service];
  return {
    id: `${service}-id`, name: `shop-${service}-1`, service, number: 1,
    image: s?.image ?? 'old:1', imageId: ID, configHash: s?.configHash ?? 'x',
    deploymentId: 'd1', commit: 'c1', state: 'running', statusText: 'Up 1 minute', health: 'none',
    exitCode: null, keptAside: false, anonymousVolumes: [], labels: {}, networks: ['shop_default'], createdAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}

function actual(containers: ActualContainer[], images: Record<string, string> = {}): ActualState {
  return { stackName: 'shop', containers, networks: { shop_default: { id: 'n', name: 'shop_default', labels: {} } }, volumes: {}, images, readAt: '' };
}

const kinds = (state: ActualState) => computeDrift(project, state).map((d) => `${d.service}:${d.kind}`);

describe('computeDrift', () => {
  it('finds nothing when every container matches its service', () => {
    assert.deepEqual(kinds(actual([container('web'), container('migrate')])), []);
  });

  it('reports a replica without container as missing', () => {
    assert.deepEqual(kinds(actual([container('migrate')])), ['web:missing']);
  });

  it('reports a different image reference as image_mismatch', () => {
    assert.deepEqual(kinds(actual([container('web', { image: 'accelero-test/web:v2' }), container('migrate')])), ['web:image_mismatch']);
  });

  it('reports a tag that now resolves to another image id as image_mismatch', () => {
    const state = actual([container('web'), container('migrate')], { 'accelero-test/web:v1': 'sha256:bbb' });
    const items = computeDrift(project, state).filter((d) => d.service === 'web');
    assert.equal(items[0]?.kind, 'image_mismatch');
    assert.match(items[0]!.message, /now resolves to bbb/);
  });

  it('compares with the pinned image id of a rollback instead of what the tag resolves to', () => {
    const state = actual([container('web'), container('migrate')], { 'accelero-test/web:v1': 'sha256:bbb' });
    assert.deepEqual(computeDrift(project, state, { pinnedImageIds: { web: ID, migrate: ID } }), []);
  });

  it('reports a different config hash as config_changed', () => {
    assert.deepEqual(kinds(actual([container('web', { configHash: 'old' }), container('migrate')])), ['web:config_changed']);
  });

  it('reports an exited long-running service as stopped', () => {
    const web = container('web', { state: 'exited', exitCode: 0, statusText: 'Exited (0) 1 minute ago' });
    assert.deepEqual(kinds(actual([web, container('migrate')])), ['web:stopped']);
  });

  it('does not report a one-shot job that exited 0', () => {
    const job = container('migrate', { state: 'exited', exitCode: 0, statusText: 'Exited (0) 1 minute ago' });
    assert.deepEqual(kinds(actual([container('web'), job])), []);
  });

  it('reports a job that exited non-zero as stopped', () => {
    const job = container('migrate', { state: 'exited', exitCode: 3, statusText: 'Exited (3) 1 minute ago' });
    assert.deepEqual(kinds(actual([container('web'), job])), ['migrate:stopped']);
  });

  it('reports an unhealthy container as unhealthy', () => {
    assert.deepEqual(kinds(actual([container('web', { health: 'unhealthy' }), container('migrate')])), ['web:unhealthy']);
  });

  it('reports a container of an undeclared service as extra', () => {
    assert.deepEqual(kinds(actual([container('web'), container('migrate'), container('gone')])), ['gone:extra']);
  });

  it('reports a replica beyond the declared count as extra', () => {
    const second = container('web', { id: 'web-2', name: 'shop-web-2', number: 2 });
    assert.deepEqual(kinds(actual([container('web'), second, container('migrate')])), ['web:extra']);
  });

  it('reports a container left aside by an interrupted rollout as extra, not as the replica', () => {
    const aside = container('web', { id: 'old', name: 'shop-web-1-accelero-old-d0', keptAside: true, state: 'exited', exitCode: 0 });
    assert.deepEqual(kinds(actual([container('web'), aside, container('migrate')])), ['web:extra']);
  });

  it('reports a declared network that does not exist as missing', () => {
    const state = { ...actual([container('web'), container('migrate')]), networks: {} };
    assert.deepEqual(kinds(state), ['network:default:missing']);
  });

  it('looks only at the filtered services and their dependencies', () => {
    const p = buildProject('shop', { web: { dependsOn: { db: 'service_started' } }, db: {}, other: {} });
    const items = computeDrift(p, actual([]), { serviceFilter: ['web'] });
    assert.deepEqual(items.map((d) => d.service).sort(), ['db', 'web']);
  });
});
