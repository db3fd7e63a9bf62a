import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadInline } from './helpers.ts';
import type { ComposeService } from '../../src/compose/types.ts';

function web(fields: string): ComposeService {
  return loadInline(`services:\n  web:\n    image: app\n${fields}`).services.web;
}

test('a command string is split shell-words style', () => assert.deepEqual(web('    command: sh -c "echo hi"\n').create.Config.Cmd, ['sh', '-c', 'echo hi']));
test('a command list is passed as is', () => assert.deepEqual(web('    command: ["a b", c]\n').create.Config.Cmd, ['a b', 'c']));
test('an empty command clears the image CMD', () => assert.deepEqual(web('    command: ""\n').create.Config.Cmd, []));
test('an unset command leaves Cmd out', () => assert.equal('Cmd' in web('').create.Config, false));
test('an entrypoint string is split like command', () => assert.deepEqual(web('    entrypoint: /bin/sh -c\n').create.Config.Entrypoint, ['/bin/sh', '-c']));
test('an empty entrypoint list clears the image ENTRYPOINT', () => assert.deepEqual(web('    entrypoint: []\n').create.Config.Entrypoint, []));

test('a string healthcheck test becomes CMD-SHELL with durations in ns', () => {
  const service = web('    healthcheck: {test: "curl -f x", interval: 10s, timeout: 2s, retries: 3, start_period: 1m, start_interval: 500ms}\n');
  assert.deepEqual(service.create.Config.Healthcheck, {
    Test: ['CMD-SHELL', 'curl -f x'],
    Interval: 10e9,
    Timeout: 2e9,
    Retries: 3,
    StartPeriod: 60e9,
    StartInterval: 500e6,
  });
  assert.equal(service.hasHealthcheck, true);
});
test('a list healthcheck test is kept', () => assert.deepEqual(web('    healthcheck: {test: [CMD, pg_isready]}\n').create.Config.Healthcheck, { Test: ['CMD', 'pg_isready'] }));
test('a list healthcheck test must start with CMD, CMD-SHELL or NONE', () => assert.throws(() => web('    healthcheck: {test: [pg_isready]}\n'), /must start with CMD/));
test('disable: true sends NONE and counts as no healthcheck', () => {
  const service = web('    healthcheck: {disable: true}\n');
  assert.deepEqual(service.create.Config.Healthcheck, { Test: ['NONE'] });
  assert.equal(service.hasHealthcheck, false);
});
test('a health duration under 1ms is rejected', () => assert.throws(() => web('    healthcheck: {test: x, interval: 10us}\n'), /at least 1ms/));
test('an invalid duration names the field and text', () => assert.throws(() => web('    healthcheck: {test: x, interval: 10}\n'), /healthcheck.interval: invalid duration "10"/));

test('restart maps to RestartPolicy with a retry count', () => {
  const service = web('    restart: on-failure:3\n');
  assert.deepEqual(service.create.HostConfig.RestartPolicy, { Name: 'on-failure', MaximumRetryCount: 3 });
  assert.equal(service.restart, 'on-failure');
});
test('no restart means "no"', () => assert.equal(web('').restart, 'no'));
test('deploy.restart_policy wins over restart', () => {
  const service = web('    restart: always\n    deploy: {restart_policy: {condition: on-failure, max_attempts: 5}}\n');
  assert.deepEqual(service.create.HostConfig.RestartPolicy, { Name: 'on-failure', MaximumRetryCount: 5 });
});
test('restart_policy any means always', () => assert.equal(web('    deploy: {restart_policy: {condition: any}}\n').restart, 'always'));
test('an invalid restart value is rejected', () => assert.throws(() => web('    restart: sometimes\n'), /restart must be/));

test('mem_limit and cpus convert to bytes and NanoCpus', () => {
  const host = web('    mem_limit: 512m\n    cpus: 0.5\n    pids_limit: 100\n').create.HostConfig;
  assert.deepEqual([host.Memory, host.NanoCpus, host.PidsLimit], [536870912, 500000000, 100]);
});
test('deploy.resources map to the same Engine fields', () => {
  const host = web('    deploy: {resources: {limits: {cpus: "1.5", memory: 1g, pids: 50}, reservations: {memory: 256m}}}\n').create.HostConfig;
  assert.deepEqual([host.Memory, host.NanoCpus, host.PidsLimit, host.MemoryReservation], [1073741824, 1500000000, 50, 268435456]);
});
test('conflicting legacy and deploy limits are an error', () => assert.throws(() => web('    mem_limit: 1g\n    deploy: {resources: {limits: {memory: 2g}}}\n'), /conflicts/));
test('GPU reservations become DeviceRequests', () => {
  const host = web('    deploy: {resources: {reservations: {devices: [{driver: nvidia, count: all, capabilities: [gpu]}]}}}\n').create.HostConfig;
  assert.deepEqual(host.DeviceRequests, [{ Driver: 'nvidia', Count: -1, Capabilities: [['gpu']] }]);
});

test('stop_grace_period becomes StopTimeout seconds, truncated', () => {
  const service = web('    stop_grace_period: 1m30.9s\n');
  assert.equal(service.create.Config.StopTimeout, 90);
  assert.equal(service.stopTimeoutSeconds, 90);
});
test('the default stop timeout is 10 seconds and not sent', () => {
  const service = web('');
  assert.equal(service.stopTimeoutSeconds, 10);
  assert.equal('StopTimeout' in service.create.Config, false);
});

test('host fields map to their Engine names', () => {
  const service = web(
    '    hostname: h\n    user: "1000:1000"\n    working_dir: /app\n    cap_add: [NET_ADMIN]\n    cap_drop: [ALL]\n' +
      '    privileged: true\n    init: true\n    read_only: true\n    shm_size: 64m\n    tty: true\n    stdin_open: true\n' +
      '    stop_signal: SIGUSR1\n    security_opt: [no-new-privileges:true]\n    sysctls: [net.core.somaxconn=1024]\n' +
      '    dns: 1.1.1.1\n    dns_search: [example.com]\n',
  );
  const { Config, HostConfig } = service.create;
  assert.deepEqual([Config.Hostname, Config.User, Config.WorkingDir, Config.Tty, Config.OpenStdin, Config.StopSignal], ['h', '1000:1000', '/app', true, true, 'SIGUSR1']);
  assert.deepEqual(
    [HostConfig.CapAdd, HostConfig.CapDrop, HostConfig.Privileged, HostConfig.Init, HostConfig.ReadonlyRootfs, HostConfig.ShmSize],
    [['NET_ADMIN'], ['ALL'], true, true, true, 67108864],
  );
  assert.deepEqual(
    [HostConfig.SecurityOpt, HostConfig.Sysctls, HostConfig.Dns, HostConfig.DnsSearch],
    [['no-new-privileges:true'], { 'net.core.somaxconn': '1024' }, ['1.1.1.1'], ['example.com']],
  );
});
test('extra_hosts accept host:ip, host=ip and a map, and strip IPv6 brackets', () => {
  assert.deepEqual(web('    extra_hosts: ["a:1.2.3.4", "b=::1", "gw:host-gateway"]\n').create.HostConfig.ExtraHosts, ['a:1.2.3.4', 'b:::1', 'gw:host-gateway']);
  assert.deepEqual(web('    extra_hosts: {c: "[fe80::1]"}\n').create.HostConfig.ExtraHosts, ['c:fe80::1']);
});
test('ulimits accept a single number and soft/hard, sorted by name', () => {
  assert.deepEqual(web('    ulimits: {nproc: 65535, nofile: {soft: 1024, hard: 2048}}\n').create.HostConfig.Ulimits, [
    { Name: 'nofile', Soft: 1024, Hard: 2048 },
    { Name: 'nproc', Soft: 65535, Hard: 65535 },
  ]);
});
test('logging maps to LogConfig with string options', () => {
  assert.deepEqual(web('    logging: {driver: json-file, options: {max-size: 10m, max-file: 3}}\n').create.HostConfig.LogConfig, {
    Type: 'json-file',
    Config: { 'max-size': '10m', 'max-file': '3' },
  });
});
test('devices accept the short form', () => {
  assert.deepEqual(web('    devices: ["/dev/ttyUSB0:/dev/ttyUSB1:rw", /dev/fuse]\n').create.HostConfig.Devices, [
    { PathOnHost: '/dev/ttyUSB0', PathInContainer: '/dev/ttyUSB1', CgroupPermissions: 'rw' },
    { PathOnHost: '/dev/fuse', PathInContainer: '/dev/fuse', CgroupPermissions: 'rwm' },
  ]);
});
test('labels in list form are read, a bare key is empty', () => {
  assert.deepEqual(web('    labels: ["a=1", "b", "c=x=y"]\n').create.Config.Labels, { a: '1', b: '', c: 'x=y' });
});
test('container_name is reported and forces the name', () => assert.equal(web('    container_name: proxy\n').containerName, 'proxy'));
test('container_name with several replicas is an error', () => assert.throws(() => web('    container_name: x\n    deploy: {replicas: 2}\n'), /more than one replica/));
test('scale sets replicas', () => assert.equal(web('    scale: 3\n').replicas, 3));
test('scale and deploy.replicas must agree', () => assert.throws(() => web('    scale: 3\n    deploy: {replicas: 2}\n'), /differ/));
test('pull_policy if_not_present is folded to missing', () => assert.equal(web('    pull_policy: if_not_present\n').pullPolicy, 'missing'));
test('pull_policy defaults to missing', () => assert.equal(web('').pullPolicy, 'missing'));
test('update_config becomes the rollout settings in ms', () => {
  assert.deepEqual(web('    deploy: {update_config: {order: stop-first, failure_action: pause, monitor: 10s, delay: 2s, parallelism: 2}}\n').updateConfig, {
    order: 'stop-first',
    failureAction: 'pause',
    monitorMs: 10000,
    delayMs: 2000,
    parallelism: 2,
  });
});
test('rollout defaults are rollback, 5 s monitor and no order', () => {
  assert.deepEqual(web('').updateConfig, { failureAction: 'rollback', monitorMs: 5000, delayMs: 0, parallelism: 1 });
});
test('a bad update order is rejected', () => assert.throws(() => web('    deploy: {update_config: {order: sideways}}\n'), /must be one of start-first, stop-first/));
test('deploy.mode global is rejected on a single host', () => assert.throws(() => web('    deploy: {mode: global}\n'), /not supported on a single host/));
test('a service without image is an error', () => assert.throws(() => loadInline('services:\n  web:\n    build: .\n'), /has no image/));
test('build beside image is ignored with a warning', () => {
  const project = loadInline('services:\n  web:\n    image: app\n    build: .\n');
  assert.match(project.warnings[0], /build is ignored/);
});
test('yes/no booleans are accepted with a warning, as compose v2 does', () => {
  const project = loadInline('services:\n  web:\n    image: app\n    privileged: "yes"\n    tty: "off"\n');
  assert.deepEqual([project.services.web.create.HostConfig.Privileged, project.services.web.create.Config.Tty], [true, false]);
  assert.match(project.warnings.join('\n'), /service "web": privileged: "yes" is read as true/);
});
test('a boolean field rejects other words', () => assert.throws(() => web('    init: maybe\n'), /init must be a boolean/));
test('timing fields without a test do not count as a healthcheck', () => {
  const service = web('    healthcheck: {interval: 5s}\n');
  assert.deepEqual(service.create.Config.Healthcheck, { Interval: 5e9 });
  assert.equal(service.hasHealthcheck, false);
});
test('test: NONE counts as no healthcheck', () => assert.equal(web('    healthcheck: {test: [NONE]}\n').hasHealthcheck, false));
