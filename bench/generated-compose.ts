// A generated compose project of many services (interpolation, env files, ports, volumes,
// networks, healthchecks, deploy settings), for the compose benchmarks.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function serviceYaml(index: number): string {
  const dependency = index > 0 ? `    depends_on:\n      svc${index - 1}: {condition: service_started}\n` : '';
  return `  svc${index}:
    image: "registry.local:5000/team/svc${index}:\${TAG:-1.0.${index}}"
    command: ["serve", "--port", "80${index % 10}", "--name", "svc${index}"]
    environment:
      - INDEX=${index}
      - DB_URL=postgres://app:\${DB_PASSWORD:?required}@db/app
      - LOG_LEVEL=\${LOG_LEVEL:-info}
    env_file: common.env
    ports: ["${10000 + index}:80", "127.0.0.1:${20000 + index}:9090/udp"]
    labels: [team=core, "svc.index=${index}"]
    volumes: ["./conf/svc${index}:/etc/svc:ro", "data:/data/svc${index}"]
    networks:
      front: {aliases: [alias${index}]}
      back: null
    healthcheck: {test: ["CMD", "wget", "-q", "http://localhost/health"], interval: 10s, timeout: 2s, retries: 3, start_period: 5s}
    restart: unless-stopped
    deploy:
      replicas: ${1 + (index % 3)}
      resources: {limits: {cpus: "0.5", memory: 256m}}
      update_config: {order: start-first, monitor: 10s}
    logging: {driver: json-file, options: {max-size: 10m}}
${dependency}`;
}

export function writeBenchProject(serviceCount: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'accelero-bench-'));
  const services = Array.from({ length: serviceCount }, (_, index) => serviceYaml(index)).join('');
  writeFileSync(join(dir, 'compose.yaml'), `name: bench\nservices:\n${services}networks:\n  front: {}\n  back: {internal: true}\nvolumes:\n  data: {}\n`);
  writeFileSync(join(dir, '.env'), 'DB_PASSWORD="s3cr3t"\nTAG=2.0\n');
  writeFileSync(join(dir, 'common.env'), '# shared\nexport TZ=UTC\nGREETING="hello\\nworld"\nREF=${LOG_LEVEL:-warn}\n');
  return dir;
}

