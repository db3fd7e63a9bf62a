import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkProject, type PolicyInput } from '../../src/policy/check.ts';
import { loadInline } from '../compose/helpers.ts';

// The deploy policy's rules on what compose files ask of the Engine, as a compose file in a
// watched repository would try them.

const input = (allowed: string[] = []): PolicyInput => ({
  stack: 'shop', allowed: new Set(allowed),
  paths: { dataDirs: ['/var/lib/accelero'], ownExportDir: '/var/lib/accelero/stacks/shop', dockerSockets: ['/var/run/docker.sock'] },
  owners: { networks: {}, volumes: {}, containers: {} }, realpath: (path) => path,
});

async function rulesOf(service: string, allowed?: string[]): Promise<string[]> {
  const project = await loadInline(`services:\n  app:\n    image: busybox\n${service.replace(/^/gm, '    ')}\n`);
  return checkProject(project, input(allowed)).map((v) => `${v.field}:${v.rule}`);
}

describe('deploy policy: confinement and host namespaces', () => {
  test('security_opt entries that switch confinement off are denied, in either spelling', async () => {
    assert.deepEqual(await rulesOf('security_opt: ["seccomp=unconfined", "apparmor:unconfined", "label=disable", "systempaths=unconfined"]'),
      ['security_opt:unconfined', 'security_opt:unconfined', 'security_opt:unconfined', 'security_opt:unconfined']);
  });

  test('security_opt that only tightens confinement passes', async () => {
    assert.deepEqual(await rulesOf('security_opt: ["no-new-privileges:true", "label=type:svirt_apache_t"]'), []);
  });

  test("cgroup: host is denied as the host's cgroup namespace; cgroup: private passes", async () => {
    assert.deepEqual(await rulesOf('cgroup: host'), ['cgroup:host_cgroup']);
    assert.deepEqual(await rulesOf('cgroup: private'), []);
  });

  test('capabilities with a known way onto the host are denied, harmless ones pass', async () => {
    assert.deepEqual(await rulesOf('cap_add: [CAP_DAC_READ_SEARCH, sys_module, NET_BIND_SERVICE, CHOWN]'), ['cap_add:capabilities', 'cap_add:capabilities']);
  });

  test('an admin allowing the rule lets it through', async () => {
    assert.deepEqual(await rulesOf('security_opt: ["seccomp=unconfined"]\ncgroup: host', ['unconfined', 'host_cgroup']), []);
  });
});
