import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { LABEL } from '../../src/docker/index.ts';
import { allContainers, cleanupStack, docker, runningIds, uniqueStackName } from '../support/docker.ts';
import { buildProject, type ServiceInput } from './fixtures.ts';
import { planFor, reconcile } from './reconcile.ts';

const base: Record<string, ServiceInput> = {
  web: { env: { MODE: 'one' } },
  api: { env: { MODE: 'one' } },
};

async function deployedStack(prefix: string, stacks: string[]): Promise<string> {
  const stack = uniqueStackName(prefix);
  stacks.push(stack);
  const { result } = await reconcile(stack, buildProject(stack, base));
  assert.equal(result.status, 'completed', result.error);
  return stack;
}

async function idsOf(stack: string): Promise<Record<string, string[]>> {
  return { web: await runningIds(stack, 'web'), api: await runningIds(stack, 'api') };
}

describe('applyPlan on the real engine', { timeout: 120_000 }, () => {
  const stacks: string[] = [];
  after(async () => { for (const s of stacks) await cleanupStack(s); });

  it('creates every service with the compose names, labels and the default network', async () => {
    const stack = await deployedStack('create', stacks);
    const containers = await allContainers(stack);
    assert.deepEqual(containers.map((c) => c.Names[0]).sort(), [`/${stack}-api-1`, `/${stack}-web-1`]);
    const web = containers.find((c) => c.Labels[LABEL.service] === 'web')!;
    assert.equal(web.Labels[LABEL.composeProject], stack);
    assert.equal(web.Labels[LABEL.composeNumber], '1');
    assert.equal(web.Labels[LABEL.composeOneoff], 'False');
    assert.match(web.Labels[LABEL.imageId]!, /^sha256:/);
    assert.ok(Object.keys(web.NetworkSettings.Networks).includes(`${stack}_default`));
  });

  it('plans nothing for a stack that is already converged', async () => {
    const stack = await deployedStack('noop', stacks);
    const plan = await planFor(stack, buildProject(stack, base));
    assert.equal(plan.hasChanges, false);
    assert.deepEqual(plan.actions.map((a) => a.action), ['none', 'none']);
  });

  const changes: [string, ServiceInput][] = [
    ['an environment variable', { env: { MODE: 'two' } }],
    ['a port', { env: { MODE: 'one' }, ports: ['8080'] }],
    ['a label', { env: { MODE: 'one' }, labels: { team: 'blue' } }],
    ['a bind mount', { env: { MODE: 'one' }, binds: ['/tmp:/host-tmp:ro'] }],
  ];
  for (const [what, web] of changes) {
    it(`changing only ${what} recreates exactly that service and keeps the other container ids`, async () => {
      const stack = await deployedStack('change', stacks);
      const before = await idsOf(stack);
      const { plan, result } = await reconcile(stack, buildProject(stack, { ...base, web }));
      assert.equal(result.status, 'completed', result.error);
      assert.deepEqual(plan.actions.map((a) => [a.service, a.action]), [['web', 'recreate'], ['api', 'none']]);
      const now = await idsOf(stack);
      assert.deepEqual(now.api, before.api);
      assert.notDeepEqual(now.web, before.web);
      assert.equal((await allContainers(stack)).length, 2, 'the old web container is gone');
    });
  }

  it('starts a stopped container again instead of recreating it', async () => {
    const stack = await deployedStack('start', stacks);
    const [id] = await runningIds(stack, 'api');
    await docker.getContainer(id!).stop({ t: 0 });
    const { plan, result } = await reconcile(stack, buildProject(stack, base));
    assert.equal(result.status, 'completed', result.error);
    assert.equal(plan.actions.find((a) => a.service === 'api')!.action, 'start');
    assert.deepEqual(await runningIds(stack, 'api'), [id]);
  });

  it('removes the containers of a service that is no longer declared', async () => {
    const stack = await deployedStack('extra', stacks);
    const { plan, result } = await reconcile(stack, buildProject(stack, { web: base.web! }));
    assert.equal(result.status, 'completed', result.error);
    assert.deepEqual(plan.actions.map((a) => [a.service, a.action]), [['web', 'none'], ['api', 'remove']]);
    assert.deepEqual((await allContainers(stack)).map((c) => c.Labels[LABEL.service]), ['web']);
  });
});
