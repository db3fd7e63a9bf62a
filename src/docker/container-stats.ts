// One stats sample of a container, in the figures `docker stats` shows. The CPU percentage is
// the docker CLI's: the container's share of the host's CPU time since the previous sample,
// times the CPUs it may use; memory leaves out the page cache, as the CLI does on cgroup v1
// (`cache`) and v2 (`inactive_file`).

export interface ContainerStats {
  containerId: string;
  name: string;
  readAt: string;
  cpu: { percent: number; onlineCpus: number };
  memory: { usageBytes: number; limitBytes: number; percent: number };
  networks: Record<string, { rxBytes: number; txBytes: number }>;
  blockIo: { readBytes: number; writeBytes: number };
  pids: number;
}

interface CpuSample {
  cpu_usage?: { total_usage?: number; percpu_usage?: number[] };
  system_cpu_usage?: number;
  online_cpus?: number;
}

/** The parts of the Engine API's stats object used here (GET /containers/{id}/stats). */
export interface EngineStats {
  read?: string;
  cpu_stats?: CpuSample;
  precpu_stats?: CpuSample;
  memory_stats?: { usage?: number; limit?: number; stats?: Record<string, number> };
  networks?: Record<string, { rx_bytes?: number; tx_bytes?: number }>;
  blkio_stats?: { io_service_bytes_recursive?: { op?: string; value?: number }[] | null };
  pids_stats?: { current?: number };
}

export function statsFromEngine(containerId: string, name: string, raw: unknown): ContainerStats {
  const sample = raw as EngineStats;
  const onlineCpus = sample.cpu_stats?.online_cpus ?? sample.cpu_stats?.cpu_usage?.percpu_usage?.length ?? 1;
  const memory = memoryOf(sample);
  const io = sample.blkio_stats?.io_service_bytes_recursive ?? [];
  const sum = (op: string) => io.filter((entry) => entry.op?.toLowerCase() === op).reduce((total, entry) => total + (entry.value ?? 0), 0);
  return {
    containerId, name, readAt: sample.read ?? new Date().toISOString(),
    cpu: { percent: round(cpuPercent(sample, onlineCpus)), onlineCpus },
    memory,
    networks: Object.fromEntries(Object.entries(sample.networks ?? {}).map(([net, n]) => [net, { rxBytes: n.rx_bytes ?? 0, txBytes: n.tx_bytes ?? 0 }])),
    blockIo: { readBytes: sum('read'), writeBytes: sum('write') },
    pids: sample.pids_stats?.current ?? 0,
  };
}

function cpuPercent(sample: EngineStats, onlineCpus: number): number {
  const cpuDelta = (sample.cpu_stats?.cpu_usage?.total_usage ?? 0) - (sample.precpu_stats?.cpu_usage?.total_usage ?? 0);
  const systemDelta = (sample.cpu_stats?.system_cpu_usage ?? 0) - (sample.precpu_stats?.system_cpu_usage ?? 0);
  return cpuDelta > 0 && systemDelta > 0 ? (cpuDelta / systemDelta) * onlineCpus * 100 : 0;
}

function memoryOf(sample: EngineStats): ContainerStats['memory'] {
  const stats = sample.memory_stats?.stats ?? {};
  const cache = stats.inactive_file ?? stats.total_inactive_file ?? stats.cache ?? 0;
  const usageBytes = Math.max(0, (sample.memory_stats?.usage ?? 0) - cache);
  const limitBytes = sample.memory_stats?.limit ?? 0;
  return { usageBytes, limitBytes, percent: limitBytes > 0 ? round((usageBytes / limitBytes) * 100) : 0 };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
