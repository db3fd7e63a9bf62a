import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TransitionRecord } from '../../persistence/entities/records.ts';
import type { DriftItem, ServiceSnapshot } from '../../src/docker/types.ts';
import { createSecretBox } from '../../src/secrets/index.ts';

/** Collects what the write queue reports, by level. */
export function recordingLogger() {
  const lines: { level: 'error' | 'info'; message: string }[] = [];
  return {
    lines,
    error: (message: string) => { lines.push({ level: 'error', message }); },
    info: (message: string) => { lines.push({ level: 'info', message }); },
  };
}

/** The i-th transition of a stack: from_state `s<i>`, so the order is checkable. */
export function transition(stackId: string, i: number, at = new Date().toISOString()): TransitionRecord {
  return { stack_id: stackId, from_state: `s${i}`, to_state: `s${i + 1}`, event: 'E', at, deployment_id: null };
}

/** A temp directory removed after the test. */
export async function tempDir(t: { after(fn: () => Promise<void>): void }, prefix = 'accelero-db-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** A snapshot row's content, with only what a test cares about given. */
export function snapshot(service: string, containerName: string, containerId: string, extra: Record<string, unknown> = {}): ServiceSnapshot {
  return {
    service, number: 1, containerName, containerId, config: { ...extra }, hostConfig: {}, networks: {},
    imageId: 'sha256:0', wasRunning: true, takenAt: '2026-01-01T00:00:00.000Z',
  };
}

/** A drift item of a service that is missing. */
export function missing(service: string): DriftItem {
  return { service, kind: 'missing', expected: 'running', actual: 'missing', message: `${service} is missing` };
}

/** A SecretBox with a fixed key, for stores that seal what they keep. */
export const testSealer = createSecretBox({ key: Buffer.alloc(32, 3).toString('base64'), dataDir: '/nonexistent' });
