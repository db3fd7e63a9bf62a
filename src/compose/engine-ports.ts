// ports/expose → Config.ExposedPorts and HostConfig.PortBindings (`"80/tcp": [{HostIp, HostPort}]`).
import type { ServiceModel } from './model.ts';

export interface PortSettings {
  ExposedPorts?: Record<string, Record<string, never>>;
  PortBindings?: Record<string, { HostIp: string; HostPort: string }[]>;
}

export function portSettings(model: ServiceModel): PortSettings {
  const exposed: Record<string, Record<string, never>> = {};
  const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
  for (const port of model.ports ?? []) {
    const key = `${port.target}/${port.protocol}`;
    exposed[key] = {};
    (bindings[key] ??= []).push({ HostIp: port.host_ip ?? '', HostPort: port.published ?? '' });
  }
  for (const entry of model.expose ?? []) {
    for (const key of expandExpose(entry)) exposed[key] = {};
  }
  const settings: PortSettings = {};
  if (Object.keys(exposed).length > 0) settings.ExposedPorts = exposed;
  if (Object.keys(bindings).length > 0) settings.PortBindings = bindings;
  return settings;
}

function expandExpose(entry: string): string[] {
  const [range, protocol = 'tcp'] = entry.split('/');
  const [start, end = start] = range.split('-').map(Number);
  const keys: string[] = [];
  for (let port = start; port <= end; port++) keys.push(`${port}/${protocol.toLowerCase()}`);
  return keys;
}

/** True when some port binds a fixed host port (a second container could not bind it too). */
export function publishesFixedHostPort(model: ServiceModel): boolean {
  // A host range (`8000-8002:80`) lets the Engine pick a free port, so it does not count.
  return (model.ports ?? []).some((port) => port.published !== undefined && /^\d+$/.test(port.published) && Number(port.published) > 0);
}
