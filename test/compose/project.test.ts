import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UnsupportedKeyError } from '../../src/compose/errors.ts';
import { loadComposeProjectSync } from '../../src/compose/load.ts';
import { loadInline, writeProject } from './helpers.ts';

test('a service without networks joins <project>_default with its name as alias', () => {
  const project = loadInline('services:\n  web:\n    image: app\n');
  assert.deepEqual(project.services.web.create.NetworkingConfig.EndpointsConfig, { test_default: { Aliases: ['web'] } });
  assert.equal(project.services.web.create.HostConfig.NetworkMode, 'test_default');
  assert.equal(project.networks.default.name, 'test_default');
  assert.deepEqual(project.services.web.networks, ['default']);
});
test('the default network is left out when no service uses it', () => {
  const project = loadInline('services:\n  web:\n    image: app\n    network_mode: host\n');
  assert.equal(project.networks.default, undefined);
  assert.equal(project.services.web.create.HostConfig.NetworkMode, 'host');
  assert.deepEqual(project.services.web.create.NetworkingConfig.EndpointsConfig, {});
});
test('network aliases and ipv4_address reach the endpoint', () => {
  const project = loadInline('services:\n  web:\n    image: app\n    networks:\n      front: {aliases: [www], ipv4_address: 10.5.0.5}\nnetworks:\n  front: {ipam: {config: [{subnet: 10.5.0.0/16}]}}\n');
  assert.deepEqual(project.services.web.create.NetworkingConfig.EndpointsConfig, {
    test_front: { Aliases: ['web', 'www'], IPAMConfig: { IPv4Address: '10.5.0.5' } },
  });
  assert.deepEqual(project.networks.front.ipam, { Config: [{ Subnet: '10.5.0.0/16' }] });
});
test('the primary network is the highest priority, then the first by name', () => {
  const byName = loadInline('services:\n  web:\n    image: app\n    networks: [zeta, alpha]\nnetworks:\n  zeta: {}\n  alpha: {}\n');
  assert.equal(byName.services.web.create.HostConfig.NetworkMode, 'test_alpha');
  const byPriority = loadInline('services:\n  web:\n    image: app\n    networks: {alpha: {}, zeta: {priority: 10}}\nnetworks:\n  zeta: {}\n  alpha: {}\n');
  assert.equal(byPriority.services.web.create.HostConfig.NetworkMode, 'test_zeta');
});
test('external networks and name: decide the Docker name', () => {
  const project = loadInline('services:\n  web:\n    image: app\n    networks: [proxy, named]\nnetworks:\n  proxy: {external: true}\n  named: {name: my-net}\n');
  assert.deepEqual(Object.keys(project.services.web.create.NetworkingConfig.EndpointsConfig).sort(), ['my-net', 'proxy']);
  assert.equal(project.networks.proxy.external, true);
});
test('the legacy external.name form is accepted with a warning', () => {
  const project = loadInline('services:\n  web:\n    image: app\n    networks: [proxy]\nnetworks:\n  proxy: {external: {name: traefik}}\n');
  assert.equal(project.networks.proxy.name, 'traefik');
  assert.match(project.warnings.join('\n'), /deprecated/);
});
test('a customised default network is used', () => {
  const project = loadInline('services:\n  web:\n    image: app\nnetworks:\n  default: {name: shared, external: true}\n');
  assert.equal(project.services.web.create.HostConfig.NetworkMode, 'shared');
});
test('an undeclared network is an error naming it', () => {
  assert.throws(() => loadInline('services:\n  web:\n    image: app\n    networks: [back]\n'), /service "web" refers to undefined network back/);
});
test('network_mode and networks cannot be combined', () => {
  assert.throws(() => loadInline('services:\n  web:\n    image: app\n    network_mode: host\n    networks: [default]\n'), /cannot be combined/);
});
test('network_mode service:x implies a dependency on x', () => {
  const project = loadInline('services:\n  vpn:\n    image: vpn\n  app:\n    image: app\n    network_mode: "service:vpn"\n');
  assert.deepEqual(project.services.app.dependsOn, { vpn: { condition: 'service_started', required: true, restart: false } });
  assert.equal(project.services.app.create.HostConfig.NetworkMode, 'container:test-vpn-1');
});
test('service: references name the container of replica 1, or its container_name', () => {
  const project = loadInline(
    'services:\n  vpn:\n    image: vpn\n    container_name: gluetun\n  db:\n    image: db\n  app:\n    image: app\n' +
      '    network_mode: "service:vpn"\n    ipc: "service:db"\n    volumes_from: ["db:ro", "container:legacy"]\n    links: [db, "db:database"]\n',
  );
  const host = project.services.app.create.HostConfig;
  assert.deepEqual(
    [host.NetworkMode, host.IpcMode, host.VolumesFrom, host.Links],
    ['container:gluetun', 'container:test-db-1', ['test-db-1:ro', 'legacy'], ['test-db-1:db', 'test-db-1:database']],
  );
  assert.deepEqual(Object.keys(project.services.app.dependsOn).sort(), ['db', 'vpn']);
  assert.equal(project.services.app.model.network_mode, 'service:vpn');
});
test('top-level network options are kept', () => {
  const project = loadInline('services:\n  web:\n    image: app\n    networks: [back]\nnetworks:\n  back: {driver: bridge, internal: true, attachable: true, enable_ipv6: true, driver_opts: {com.docker.network.bridge.name: br0}, labels: {a: b}}\n');
  const back = project.networks.back;
  assert.deepEqual([back.driver, back.internal, back.attachable, back.enableIpv6, back.driverOpts, back.labels], ['bridge', true, true, true, { 'com.docker.network.bridge.name': 'br0' }, { a: 'b' }]);
});

test('depends_on list means service_started and required', () => {
  const project = loadInline('services:\n  db:\n    image: db\n  web:\n    image: app\n    depends_on: [db]\n');
  assert.deepEqual(project.services.web.dependsOn, { db: { condition: 'service_started', required: true, restart: false } });
});
test('depends_on map keeps conditions, required and restart', () => {
  const project = loadInline('services:\n  db:\n    image: db\n  migrate:\n    image: m\n  web:\n    image: app\n    depends_on:\n      db: {condition: service_healthy, restart: true}\n      migrate: {condition: service_completed_successfully, required: false}\n');
  assert.deepEqual(project.services.web.dependsOn, {
    db: { condition: 'service_healthy', required: true, restart: true },
    migrate: { condition: 'service_completed_successfully', required: false, restart: false },
  });
});
test('an unknown condition is rejected', () => {
  assert.throws(() => loadInline('services:\n  db:\n    image: db\n  web:\n    image: app\n    depends_on: {db: {condition: service_ready}}\n'), /unknown condition "service_ready"/);
});
test('a dependency on an undefined service is an error', () => {
  assert.throws(() => loadInline('services:\n  web:\n    image: app\n    depends_on: [db]\n'), /depends on undefined service "db"/);
});
test('a dependency cycle is an error naming the cycle', () => {
  assert.throws(() => loadInline('services:\n  a:\n    image: a\n    depends_on: [b]\n  b:\n    image: b\n    depends_on: [a]\n'), /dependency cycle detected: a -> b -> a/);
});

test('services whose profiles are not active are left out', () => {
  const project = loadInline('services:\n  web:\n    image: app\n  debug:\n    image: dbg\n    profiles: [debug]\n');
  assert.deepEqual(Object.keys(project.services), ['web']);
});
test('an active profile enables its services', () => {
  const project = loadInline('services:\n  web:\n    image: app\n  debug:\n    image: dbg\n    profiles: [debug]\n', {}, { profiles: ['debug'] });
  assert.deepEqual(Object.keys(project.services).sort(), ['debug', 'web']);
});
test('a single profile may be written as a string', () => {
  const project = loadInline('services:\n  web:\n    image: app\n  debug:\n    image: dbg\n    profiles: debug\n');
  assert.deepEqual(Object.keys(project.services), ['web']);
});
test('the * profile enables every service', () => {
  const project = loadInline('services:\n  a:\n    image: a\n    profiles: [x]\n  b:\n    image: b\n    profiles: [y]\n', {}, { profiles: ['*'] });
  assert.deepEqual(Object.keys(project.services), ['a', 'b']);
});
test('COMPOSE_PROFILES activates profiles when no list is given', () => {
  const project = loadInline('services:\n  debug:\n    image: dbg\n    profiles: [debug]\n', {}, { environment: { COMPOSE_PROFILES: 'x,debug' } });
  assert.deepEqual(Object.keys(project.services), ['debug']);
});
test('a required dependency on a disabled service is an error', () => {
  assert.throws(() => loadInline('services:\n  web:\n    image: app\n    depends_on: [debug]\n  debug:\n    image: dbg\n    profiles: [debug]\n'), /no active profile enables/);
});
test('an optional dependency on a disabled service is dropped', () => {
  const project = loadInline('services:\n  web:\n    image: app\n    depends_on: {debug: {condition: service_started, required: false}}\n  debug:\n    image: dbg\n    profiles: [debug]\n');
  assert.deepEqual(project.services.web.dependsOn, {});
});

test('an unknown service key is an error naming the key and the service', () => {
  assert.throws(
    () => loadInline('services:\n  web:\n    image: app\n    imagee: typo\n'),
    (error: unknown) => error instanceof UnsupportedKeyError && error.service === 'web' && /unsupported key "imagee"/.test(error.message),
  );
});
test('a compose key Accelero does not support is an error, not dropped', () => {
  assert.throws(() => loadInline('services:\n  web:\n    image: app\n    extends: {service: base}\n'), /unsupported key "extends"/);
});
test('x- keys are allowed in services and at the top level', () => {
  const project = loadInline('x-defaults: &d\n  restart: always\nservices:\n  web:\n    <<: *d\n    image: app\n    x-note: hello\n');
  assert.equal(project.services.web.restart, 'always');
});
test('an unknown top-level key is an error', () => assert.throws(() => loadInline('services: {}\ninclude: [other.yaml]\n'), /unsupported key "include"/));
test('version is accepted with a warning', () => assert.match(loadInline('version: "3.8"\nservices: {}\n').warnings[0], /obsolete/));

test('the project name comes from name: when no override is given', () => {
  const dir = writeProject({ 'compose.yaml': 'name: My-Stack\nservices: {}\n' });
  assert.equal(loadComposeProjectSync({ projectDir: dir, environment: {} }).name, 'my-stack');
});
test('the project name falls back to the directory name', () => {
  const dir = writeProject({ 'Stack.Dir/compose.yaml': 'services: {}\n' });
  assert.equal(loadComposeProjectSync({ projectDir: `${dir}/Stack.Dir`, environment: {} }).name, 'stackdir');
});
test('the projectName option wins over name:', () => {
  const dir = writeProject({ 'compose.yaml': 'name: other\nservices: {}\n' });
  assert.equal(loadComposeProjectSync({ projectDir: dir, projectName: 'Mine', environment: {} }).name, 'mine');
});
test('compose.yaml is preferred over docker-compose.yml, with a warning', () => {
  const dir = writeProject({ 'compose.yaml': 'services: {a: {image: a}}\n', 'docker-compose.yml': 'services: {b: {image: b}}\n' });
  const project = loadComposeProjectSync({ projectDir: dir, environment: {} });
  assert.deepEqual(Object.keys(project.services), ['a']);
  assert.match(project.warnings[0], /multiple compose files/);
});
test('a missing compose file is an error', () => assert.throws(() => loadComposeProjectSync({ projectDir: writeProject({}), environment: {} }), /no compose file found/));
test('a compose path outside the root is rejected', () => {
  const dir = writeProject({ 'compose.yaml': 'services: {}\n' });
  assert.throws(() => loadComposeProjectSync({ projectDir: `${dir}/sub`, rootDir: `${dir}/sub`, composePath: '../compose.yaml', environment: {} }), /outside the repository/);
});
test('invalid YAML is an error naming the file', () => assert.throws(() => loadInline('services: [\n'), /compose.yaml: invalid YAML/));
test('duplicate keys are an error', () => assert.throws(() => loadInline('services:\n  web:\n    image: a\n    image: b\n'), /invalid YAML/));
test('an alias bomb is refused with the alias cap, not a hang', () => {
  const levels = ['x-a: &a [x, x, x, x, x, x, x, x, x, x]'];
  for (let level = 1; level < 7; level++) {
    const previous = String.fromCharCode(96 + level);
    const name = String.fromCharCode(97 + level);
    levels.push(`x-${name}: &${name} [${Array(10).fill(`*${previous}`).join(', ')}]`);
  }
  assert.throws(() => loadInline(`${levels.join('\n')}\nservices: {}\n`), /compose.yaml: its YAML aliases expand to more than 10000 nodes; alias expansion is capped/);
});
test('without name: a compose file in a subdirectory takes the project directory name', () => {
  const dir = writeProject({ 'Repo/deploy/compose.yaml': 'services: {}\n' });
  assert.equal(loadComposeProjectSync({ projectDir: `${dir}/Repo`, composePath: 'deploy/compose.yaml', environment: {} }).name, 'repo');
});
