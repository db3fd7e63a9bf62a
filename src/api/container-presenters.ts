import type { ContainerDetail, ContainerStats } from '../docker/index.ts';

// The API's shapes of one container (snake_case, as the Go Accelero answers).

export function presentContainerDetail(c: ContainerDetail) {
  return {
    id: c.id, name: c.name, image: c.image, service: c.service, state: c.state, status: c.status, health: c.health,
    created_at: c.createdAt, started_at: c.startedAt, finished_at: c.finishedAt, exit_code: c.exitCode,
    cmd: c.cmd, entrypoint: c.entrypoint, env: c.env, working_dir: c.workingDir, user: c.user,
    restart_count: c.restartCount, restart_policy: c.restartPolicy, networks: c.networks,
    mounts: c.mounts.map((m) => ({ type: m.type, source: m.source, target: m.target, read_only: m.readOnly })),
  };
}

export function presentStats(s: ContainerStats) {
  return {
    container_id: s.containerId, name: s.name, read_at: s.readAt,
    cpu: { percent: s.cpu.percent, online_cpus: s.cpu.onlineCpus },
    memory: { usage_bytes: s.memory.usageBytes, limit_bytes: s.memory.limitBytes, percent: s.memory.percent },
    networks: Object.fromEntries(Object.entries(s.networks).map(([name, n]) => [name, { rx_bytes: n.rxBytes, tx_bytes: n.txBytes }])),
    block_io: { read_bytes: s.blockIo.readBytes, write_bytes: s.blockIo.writeBytes },
    pids: s.pids,
  };
}
