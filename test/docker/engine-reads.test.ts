// Shared engine reads (src/docker/engine-reads.ts): stacks that read within one window are
// answered by one call per kind, counted here through the EngineLists interface.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type Dockerode from 'dockerode';
import { readActualState } from '../../src/docker/actual-state.ts';
import { directReads, sharedReads, type EngineLists } from '../../src/docker/engine-reads.ts';
import { createDockerEngine } from '../../src/docker/index.ts';
import { LABEL } from '../../src/docker/labels.ts';
import { buildProject } from './fixtures.ts';

/** An engine of one running web container per stack, counting every list call with its filters. */
class CountingLists implements EngineLists {
  readonly calls: Array<{ kind: string; filters: Record<string, string[]> }> = [];
  failWith: Error | undefined;
  /** Where the engine says it is (createDockerEngine names it in messages). */
  readonly modem = { socketPath: '/run/counting-engine.sock' };

  constructor(private readonly stacks: string[]) {}

  async listContainers(options: { all: boolean; filters: Record<string, string[]> }): Promise<Dockerode.ContainerInfo[]> {
    this.record('containers', options.filters);
    const wanted = options.filters.label ?? [];
    return this.stacks.map((stack) => container(stack)).filter((c) => wanted.every((label) => matches(c.Labels, label)));
  }

  async listNetworks(options: { filters: Record<string, string[]> }): Promise<Dockerode.NetworkInspectInfo[]> {
    this.record('networks', options.filters);
    return this.stacks.map((stack) => ({ Id: `net-${stack}`, Name: `${stack}_default`, Labels: {} }) as unknown as Dockerode.NetworkInspectInfo)
      .filter((n) => (options.filters.name ?? []).some((name) => n.Name.includes(name)));
  }

  async listVolumes(options: { filters: Record<string, string[]> }): Promise<{ Volumes: Dockerode.VolumeInspectInfo[] }> {
    this.record('volumes', options.filters);
    return { Volumes: [] };
  }

  async listImages(options: { filters: Record<string, string[]> }): Promise<Dockerode.ImageInfo[]> {
    this.record('images', options.filters);
    return [{ Id: 'sha256:web1', RepoTags: ['accelero-test/web:v1'], RepoDigests: [] } as unknown as Dockerode.ImageInfo];
  }

  count(kind: string): number {
    return this.calls.filter((c) => c.kind === kind).length;
  }

  private record(kind: string, filters: Record<string, string[]>): void {
    if (this.failWith) throw this.failWith;
    this.calls.push({ kind, filters });
  }
}

function container(stack: string): Dockerode.ContainerInfo {
  return {
    Id: `id-${stack}`, Names: [`/${stack}-web-1`], Image: 'accelero-test/web:v1', ImageID: 'sha256:web1', State: 'running', Status: 'Up 5 minutes',
    Created: 1_700_000_000, Ports: [], Mounts: [], NetworkSettings: { Networks: { [`${stack}_default`]: {} } },
    Labels: { [LABEL.stack]: stack, [LABEL.service]: 'web', [LABEL.composeNumber]: '1', [LABEL.image]: 'accelero-test/web:v1' },
  } as unknown as Dockerode.ContainerInfo;
}

function matches(labels: Record<string, string>, filter: string): boolean {
  const [key, value] = filter.split('=');
  return value === undefined ? key! in labels : labels[key!] === value;
}

const stacks = Array.from({ length: 20 }, (_, i) => `reads-${i}`);

describe('shared engine reads', () => {
  it('answer twenty stacks reading in the same window with one container list, each with its own containers', async () => {
    const lists = new CountingLists(stacks);
    const reads = sharedReads(lists, 20);
    const answers = await Promise.all(stacks.map((stack) => reads.containers(stack)));
    assert.equal(lists.count('containers'), 1);
    assert.deepEqual(lists.calls[0]!.filters, { label: [LABEL.stack] });
    assert.deepEqual(answers.map((a) => a.map((c) => c.Labels[LABEL.stack])), stacks.map((s) => [s]));
  });

  it('read the networks and images of twenty projects with one call each, every stack seeing only its own', async () => {
    const lists = new CountingLists(stacks);
    const reads = sharedReads(lists, 20);
    const states = await Promise.all(stacks.map((stack) => readActualState(reads, stack, buildProject(stack, { web: {} }))));
    assert.deepEqual(['containers', 'networks', 'images'].map((kind) => lists.count(kind)), [1, 1, 1]);
    for (const [i, state] of states.entries()) {
      assert.deepEqual(Object.keys(state.networks), [`${stacks[i]}_default`]);
      assert.deepEqual(state.images, { 'accelero-test/web:v1': 'sha256:web1' });
      assert.deepEqual(state.containers.map((c) => c.name), [`${stacks[i]}-web-1`]);
    }
  });

  it('read directly make one container list per stack (what a shared read saves)', async () => {
    const lists = new CountingLists(stacks);
    const reads = directReads(lists);
    await Promise.all(stacks.map((stack) => reads.containers(stack)));
    assert.equal(lists.count('containers'), stacks.length);
    assert.deepEqual(lists.calls[0]!.filters, { label: [`${LABEL.stack}=reads-0`] });
  });

  it('filter on the stack when only one stack reads in a window', async () => {
    const lists = new CountingLists(stacks);
    const answer = await sharedReads(lists, 5).containers('reads-3');
    assert.deepEqual(lists.calls.map((c) => c.filters), [{ label: [`${LABEL.stack}=reads-3`] }]);
    assert.deepEqual(answer.map((c) => c.Id), ['id-reads-3']);
  });

  it('never join a list that was already sent: a read after the window gets a call of its own', async () => {
    const lists = new CountingLists(stacks);
    const reads = sharedReads(lists, 5);
    await Promise.all([reads.containers('reads-0'), reads.containers('reads-1')]);
    await Promise.all([reads.containers('reads-2'), reads.containers('reads-3')]);
    assert.equal(lists.count('containers'), 2);
  });

  it('give every reader of a window the failure of its list', async () => {
    const lists = new CountingLists(stacks);
    lists.failWith = new Error('engine gone');
    const reads = sharedReads(lists, 5);
    const results = await Promise.allSettled(stacks.slice(0, 3).map((stack) => reads.containers(stack)));
    assert.deepEqual(results.map((r) => r.status), ['rejected', 'rejected', 'rejected']);
  });
});

describe('the Docker engine diffing timer cycles of twenty stacks in one tick', () => {
  it('lists containers once for all of them when the diffs share reads, once per stack otherwise', async () => {
    const lists = new CountingLists(stacks);
    const engine = createDockerEngine(lists as unknown as Dockerode, undefined, { sharedReadWindowMs: 20 });
    const diffs = await Promise.all(stacks.map((stack) => engine.diff(buildProject(stack, { web: {} }), stack, { pull: false, sharedRead: true })));
    assert.equal(lists.count('containers'), 1);
    // Each stack is diffed against its own container: the plan of each names only its stack.
    assert.deepEqual(diffs.map((d) => d.actual.containers.map((c) => c.name)), stacks.map((s) => [`${s}-web-1`]));
    await Promise.all(stacks.map((stack) => engine.diff(buildProject(stack, { web: {} }), stack, { pull: false })));
    assert.equal(lists.count('containers'), 1 + stacks.length);
  });
});
