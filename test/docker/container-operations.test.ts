import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { matchesContainer, redactEnvironment } from '../../src/docker/container-operations.ts';
import { statsFromEngine } from '../../src/docker/container-stats.ts';

describe('one container of a stack', () => {
  test('environment values whose names look secret are redacted, the others shown', () => {
    assert.deepEqual(
      redactEnvironment(['DB_PASSWORD=hunter2', 'API_TOKEN=abc', 'AWS_SECRET_ACCESS_KEY=x', 'GREETING=hello', 'PATH=/bin', 'BARE']),
      ['DB_PASSWORD=[redacted]', 'API_TOKEN=[redacted]', 'AWS_SECRET_ACCESS_KEY=[redacted]', 'GREETING=hello', 'PATH=/bin', 'BARE'],
    );
  });

  test('a container is matched by full id, a prefix of 12 or more characters, or its name', () => {
    const entry = { Id: 'a'.repeat(12) + 'b'.repeat(52), Names: ['/shop-web-1'] };
    assert.equal(matchesContainer(entry, entry.Id), true);
    assert.equal(matchesContainer(entry, entry.Id.slice(0, 12)), true);
    assert.equal(matchesContainer(entry, 'shop-web-1'), true);
    assert.equal(matchesContainer(entry, '/shop-web-1'), true);
  });

  test('a prefix shorter than 12 characters or another name matches nothing', () => {
    const entry = { Id: 'a'.repeat(64), Names: ['/shop-web-1'] };
    assert.equal(matchesContainer(entry, 'aaaaaaaaaaa'), false);
    assert.equal(matchesContainer(entry, 'shop-web'), false);
  });

  test('the CPU percentage is the share of host CPU time since the previous sample times the CPUs', () => {
    const stats = statsFromEngine('id', 'web', {
      read: '2026-12-04T10:00:00Z',
      cpu_stats: { cpu_usage: { total_usage: 300 }, system_cpu_usage: 2000, online_cpus: 2 },
      precpu_stats: { cpu_usage: { total_usage: 100 }, system_cpu_usage: 1000 },
      memory_stats: { usage: 1000, limit: 4000, stats: { inactive_file: 200 } },
      networks: { eth0: { rx_bytes: 10, tx_bytes: 20 } },
      blkio_stats: { io_service_bytes_recursive: [{ op: 'read', value: 5 }, { op: 'Write', value: 7 }, { op: 'read', value: 1 }] },
      pids_stats: { current: 3 },
    });
    assert.deepEqual(stats, {
      containerId: 'id', name: 'web', readAt: '2026-12-04T10:00:00Z',
      cpu: { percent: 40, onlineCpus: 2 },
      memory: { usageBytes: 800, limitBytes: 4000, percent: 20 },
      networks: { eth0: { rxBytes: 10, txBytes: 20 } },
      blockIo: { readBytes: 6, writeBytes: 7 },
      pids: 3,
    });
  });

  test('a sample without CPU or memory figures reports 0 %, not NaN', () => {
    const empty = statsFromEngine('id', 'web', {});
    assert.equal(empty.cpu.percent, 0);
    assert.equal(empty.memory.percent, 0);
  });
});
