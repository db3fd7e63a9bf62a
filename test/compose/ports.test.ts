import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ComposeError } from '../../src/errors.ts';
import { loadInline } from './helpers.ts';

function bindings(ports: string): { exposed: unknown; bindings: unknown; fixed: boolean } {
  const web = loadInline(`services:\n  web:\n    image: app\n    ports: ${ports}\n`).services.web;
  return { exposed: web.create.Config.ExposedPorts, bindings: web.create.HostConfig.PortBindings, fixed: web.publishesFixedHostPort };
}

test('a lone container port gets an ephemeral host port', () => {
  assert.deepEqual(bindings('["80"]'), { exposed: { '80/tcp': {} }, bindings: { '80/tcp': [{ HostIp: '', HostPort: '' }] }, fixed: false });
});
test('an integer port works like a string', () => assert.deepEqual(bindings('[80]').bindings, { '80/tcp': [{ HostIp: '', HostPort: '' }] }));
test('host:container publishes a fixed port', () => {
  const result = bindings('["8080:80"]');
  assert.deepEqual(result.bindings, { '80/tcp': [{ HostIp: '', HostPort: '8080' }] });
  assert.equal(result.fixed, true);
});
test('an IPv4 host address is kept', () => assert.deepEqual(bindings('["127.0.0.1:8080:80"]').bindings, { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '8080' }] }));
test('a bracketed IPv6 host address is unwrapped', () => assert.deepEqual(bindings('["[::1]:8080:80"]').bindings, { '80/tcp': [{ HostIp: '::1', HostPort: '8080' }] }));
test('the protocol suffix is honoured', () => assert.deepEqual(bindings('["6060:6060/udp"]').exposed, { '6060/udp': {} }));
test('ranges expand to one binding per port', () => {
  assert.deepEqual(bindings('["8000-8001:9000-9001"]').bindings, {
    '9000/tcp': [{ HostIp: '', HostPort: '8000' }],
    '9001/tcp': [{ HostIp: '', HostPort: '8001' }],
  });
});
test('a host range for one container port lets the Engine choose', () => {
  const result = bindings('["8000-8010:80"]');
  assert.deepEqual(result.bindings, { '80/tcp': [{ HostIp: '', HostPort: '8000-8010' }] });
  assert.equal(result.fixed, false);
});
test('ranges of different sizes are rejected', () => assert.throws(() => bindings('["8000-8002:9000-9001"]'), ComposeError));
test('the same container port may be bound twice', () => {
  assert.deepEqual(bindings('["80:80", "127.0.0.1:8080:80"]').bindings, {
    '80/tcp': [{ HostIp: '', HostPort: '80' }, { HostIp: '127.0.0.1', HostPort: '8080' }],
  });
});
test('long syntax maps target, published, host_ip and protocol', () => {
  const result = bindings('[{target: 53, published: "5353", host_ip: 0.0.0.0, protocol: udp, mode: host}]');
  assert.deepEqual(result.bindings, { '53/udp': [{ HostIp: '0.0.0.0', HostPort: '5353' }] });
});
test('long syntax without published is ephemeral', () => assert.equal(bindings('[{target: 80}]').fixed, false));
test('an unknown protocol is rejected', () => assert.throws(() => bindings('["80/http"]'), /unknown protocol/));
test('a port out of range is rejected', () => assert.throws(() => bindings('["70000:80"]'), ComposeError));
test('garbage in a port is rejected with the text', () => assert.throws(() => bindings('["80:eighty"]'), /invalid port "80:eighty"/));
test('a long port with an unknown key names the key', () => assert.throws(() => bindings('[{target: 80, hostport: 1}]'), /unsupported key "hostport"/));
test('expose adds exposed ports without bindings, ranges expanded', () => {
  const web = loadInline('services:\n  web:\n    image: app\n    expose: ["3000", 4000, "5000-5001/udp"]\n').services.web;
  assert.deepEqual(web.create.Config.ExposedPorts, { '3000/tcp': {}, '4000/tcp': {}, '5000/udp': {}, '5001/udp': {} });
  assert.equal(web.create.HostConfig.PortBindings, undefined);
});
test('ports are printed in long form', () => {
  const web = loadInline('services:\n  web:\n    image: app\n    ports: ["127.0.0.1:8080:80"]\n').services.web;
  assert.deepEqual(web.model.ports, [{ target: 80, published: '8080', host_ip: '127.0.0.1', protocol: 'tcp', mode: 'ingress' }]);
});
