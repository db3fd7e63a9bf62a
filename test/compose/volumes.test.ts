import { test } from 'node:test';
import assert from 'node:assert/strict';
import { symlinkSync } from 'node:fs';
import { homedir } from 'node:os';
import { loadComposeProjectSync } from '../../src/compose/load.ts';
import { loadInline, writeProject } from './helpers.ts';

function host(volumes: string, topLevel = 'volumes:\n  data: {}\n'): { dir: string; Binds?: unknown; Mounts?: unknown; Tmpfs?: unknown; keys: string[] } {
  const project = loadInline(`services:\n  web:\n    image: app\n    volumes: ${volumes}\n${topLevel}`);
  const { Binds, Mounts, Tmpfs } = project.services.web.create.HostConfig as Record<string, unknown>;
  return { dir: project.workingDir, Binds, Mounts, Tmpfs, keys: project.services.web.volumes };
}

test('a relative bind resolves under the project directory', () => {
  const result = host('["./html:/usr/share/html"]');
  assert.deepEqual(result.Binds, [`${result.dir}/html:/usr/share/html:rw`]);
});
test('an absolute bind stays as written, with ro', () => assert.deepEqual(host('["/srv/conf:/etc/conf:ro"]').Binds, ['/srv/conf:/etc/conf:ro']));
test('an SELinux label is kept in the bind', () => assert.deepEqual(host('["/srv:/srv:ro,z"]').Binds, ['/srv:/srv:ro,z']));
test('a named volume uses its Docker name', () => {
  const result = host('["data:/var/lib/data"]');
  assert.deepEqual(result.Binds, ['test_data:/var/lib/data:rw']);
  assert.deepEqual(result.keys, ['data']);
});
test('a volume with name: uses that name', () => assert.deepEqual(host('["data:/d"]', 'volumes:\n  data: {name: shared-data}\n').Binds, ['shared-data:/d:rw']));
test('an external volume uses its key', () => assert.deepEqual(host('["data:/d"]', 'volumes:\n  data: {external: true}\n').Binds, ['data:/d:rw']));
test('an undeclared named volume is an error naming service and volume', () => {
  assert.throws(() => host('["cache:/c"]'), { message: /service "web" refers to undefined volume cache/ });
});
test('a lone target is an anonymous volume mount', () => assert.deepEqual(host('["/cache"]').Mounts, [{ Type: 'volume', Target: '/cache' }]));
test('nocopy moves a volume to Mounts', () => {
  assert.deepEqual(host('["data:/d:nocopy"]').Mounts, [{ Type: 'volume', Source: 'test_data', Target: '/d', VolumeOptions: { NoCopy: true } }]);
});
test('propagation moves a bind to Mounts', () => {
  assert.deepEqual(host('["/srv:/srv:rshared"]').Mounts, [{ Type: 'bind', Source: '/srv', Target: '/srv', BindOptions: { Propagation: 'rshared', CreateMountpoint: true } }]);
});
test('an unknown short option is an error', () => assert.throws(() => host('["/srv:/srv:fast"]'), /invalid option "fast"/));
test('long syntax bind with read_only', () => {
  assert.deepEqual(host('[{type: bind, source: /srv, target: /srv, read_only: true}]').Binds, ['/srv:/srv:ro']);
});
test('long syntax bind without create_host_path goes to Mounts', () => {
  assert.deepEqual(host('[{type: bind, source: /srv, target: /srv, bind: {create_host_path: false}}]').Mounts, [
    { Type: 'bind', Source: '/srv', Target: '/srv' },
  ]);
});
test('long syntax volume with subpath', () => {
  assert.deepEqual(host('[{type: volume, source: data, target: /d, volume: {subpath: sub}}]').Mounts, [
    { Type: 'volume', Source: 'test_data', Target: '/d', VolumeOptions: { Subpath: 'sub' } },
  ]);
});
test('long syntax tmpfs converts size to bytes and keeps mode', () => {
  assert.deepEqual(host('[{type: tmpfs, target: /run, tmpfs: {size: 64m, mode: "1777"}}]').Mounts, [
    { Type: 'tmpfs', Target: '/run', TmpfsOptions: { SizeBytes: 67108864, Mode: 0o1777 } },
  ]);
});
test('long syntax requires a type', () => assert.throws(() => host('[{source: /a, target: /b}]'), /type is required/));
test('long syntax rejects unknown keys', () => assert.throws(() => host('[{type: bind, source: /a, target: /b, mode: rw}]'), /unsupported key "mode"/));
test('service tmpfs maps paths to options', () => {
  const project = loadInline('services:\n  web:\n    image: app\n    tmpfs: ["/run:size=64m", /tmp]\n');
  assert.deepEqual(project.services.web.create.HostConfig.Tmpfs, { '/run': 'size=64m', '/tmp': '' });
});
test('top-level volumes keep driver, options and labels', () => {
  const project = loadInline('services:\n  web:\n    image: app\nvolumes:\n  data:\n    driver: local\n    driver_opts: {type: nfs, o: "addr=10.0.0.1"}\n    labels: [backup=daily]\n');
  assert.deepEqual(project.volumes.data, {
    key: 'data',
    name: 'test_data',
    external: false,
    driver: 'local',
    driverOpts: { type: 'nfs', o: 'addr=10.0.0.1' },
    labels: { backup: 'daily' },
  });
});
test('an external volume may not set a driver', () => {
  assert.throws(() => loadInline('services:\n  web:\n    image: app\nvolumes:\n  data: {external: true, driver: local}\n'), /external, so driver cannot be set/);
});
test('a relative bind may not leave the repository', () => {
  assert.throws(() => host('["../other-commit:/data"]'), /\.\.\/other-commit is outside the repository/);
});
test('a relative bind through a symlink out of the repository is rejected', () => {
  const dir = writeProject({ 'compose.yaml': 'services:\n  web:\n    image: app\n    volumes: ["./etc:/host-etc"]\n' });
  symlinkSync('/etc', `${dir}/etc`);
  assert.throws(() => loadComposeProjectSync({ projectDir: dir, environment: {} }), /resolves outside the repository/);
});
test('an absolute bind outside the repository is the operator\'s choice', () => assert.deepEqual(host('["/var/log:/logs:ro"]').Binds, ['/var/log:/logs:ro']));
test('a home-relative bind expands ~', () => {
  assert.deepEqual(host('["~/data:/data"]').Binds, [`${homedir()}/data:/data:rw`]);
});
