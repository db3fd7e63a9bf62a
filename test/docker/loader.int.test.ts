import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadComposeProject } from '../../src/compose/index.ts';
import { allContainers, cleanupStack, docker, runningIds, uniqueStackName } from '../support/docker.ts';
import { engine, finishCycle, MemorySnapshotStore } from './reconcile.ts';

const composeFile = `
services:
  web:
    image: accelero-test/web:\${TAG:-v1}
    environment:
      MODE: \${MODE:-one}
    healthcheck:
      test: ["CMD-SHELL", "wget -q -O /dev/null http://127.0.0.1:8080/ || exit 1"]
      interval: 1s
      timeout: 1s
      retries: 3
    stop_grace_period: 1s
    deploy:
      update_config:
        monitor: 1s
  api:
    image: accelero-test/web:v1
    command: ["httpd", "-f", "-p", "9090", "-h", "/www"]
    depends_on:
      web:
        condition: service_healthy
    networks: [default, back]
    volumes:
      - data:/data
    stop_grace_period: 1s
    deploy:
      update_config:
        monitor: 1s
networks:
  back: {}
volumes:
  data: {}
`;

describe('projects from the real compose loader', { timeout: 120_000 }, () => {
  const stack = uniqueStackName('loader');
  let dir = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'accelero-compose-'));
    await writeFile(join(dir, 'compose.yaml'), composeFile);
  });
  after(async () => {
    await cleanupStack(stack);
    await rm(dir, { recursive: true, force: true });
  });

  const load = (environment: Record<string, string>) => loadComposeProject({ projectDir: dir, projectName: stack, environment });
  async function deploy(environment: Record<string, string>, deploymentId: string) {
    const project = await load(environment);
    const { plan } = await engine.diff(project, stack);
    const store = new MemorySnapshotStore();
    const applied = await engine.apply(plan, project, { stackName: stack, deploymentId, commit: deploymentId, snapshots: store });
    return { project, plan, result: await finishCycle(stack, project, applied, store.saved.get(deploymentId) ?? [], deploymentId) };
  }

  it('deploys a loaded project with its declared network, its volume and the dependency order', async () => {
    const { project, result } = await deploy({}, 'd1');
    assert.equal(result.status, 'completed', result.error);
    const api = (await allContainers(stack)).find((c) => c.Labels['accelero.service'] === 'api')!;
    assert.deepEqual(Object.keys(api.NetworkSettings.Networks).sort(), [`${stack}_back`, `${stack}_default`]);
    const volume = await docker.getVolume(`${stack}_data`).inspect();
    assert.equal(volume.Labels?.['accelero.stack'], stack);
    assert.deepEqual(await engine.verify(project, stack, ['web', 'api']), { healthy: true });
  });

  it('recreates only web when only its environment changes in the compose file', async () => {
    const before = { web: await runningIds(stack, 'web'), api: await runningIds(stack, 'api') };
    const { plan, result } = await deploy({ MODE: 'two' }, 'd2');
    assert.equal(result.status, 'completed', result.error);
    assert.deepEqual(plan.actions.map((a) => [a.service, a.action]), [['web', 'recreate'], ['api', 'none']]);
    assert.deepEqual(await runningIds(stack, 'api'), before.api);
    assert.notDeepEqual(await runningIds(stack, 'web'), before.web);
  });

  it('restores an applied deployment from its snapshots, as crash recovery does', async () => {
    const store = new MemorySnapshotStore();
    const project = await load({ MODE: 'two', TAG: 'v2' });
    const { plan } = await engine.diff(project, stack);
    const previousImage = (await docker.getContainer((await runningIds(stack, 'web'))[0]!).inspect()).Image;
    const result = await engine.apply(plan, project, { stackName: stack, deploymentId: 'd3', commit: 'd3', snapshots: store });
    assert.equal(result.status, 'applied', result.error);
    await engine.restore(stack, 'd3', store.saved.get('d3')!);
    const webs = (await allContainers(stack)).filter((c) => c.Labels['accelero.service'] === 'web');
    assert.equal(webs.length, 1);
    assert.equal(webs[0]?.ImageID, previousImage);
    assert.equal(webs[0]?.Names[0], `/${stack}-web-1`);
    assert.equal(webs[0]?.State, 'running');
  });
});
