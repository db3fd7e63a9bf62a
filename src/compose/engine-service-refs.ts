// Fields that point at another service's container: `network_mode`/`ipc`/`pid: service:x`,
// `volumes_from: [x]` and `links: [x:alias]`. Compose resolves them to container ids at create
// time; we resolve them to the container name of replica 1 (`<project>-<service>-1`, or the
// service's container_name), which the Engine accepts wherever it accepts an id. The implicit
// depends_on (project.ts) makes sure that container is created first.

/** The container name of replica 1 of a service. */
export type ContainerOf = (service: string) => string;

/** `service:x` → `container:<name of x>`; other modes pass through. */
export function resolveNamespaceMode(mode: string | undefined, containerOf: ContainerOf): string | undefined {
  if (mode === undefined || !mode.startsWith('service:')) return mode;
  return `container:${containerOf(mode.slice('service:'.length))}`;
}

/** `x[:ro]` → `<name of x>[:ro]`; `container:name[:ro]` → `name[:ro]`. */
export function resolveVolumesFrom(entries: string[] | undefined, containerOf: ContainerOf): string[] | undefined {
  return entries?.map((entry) => {
    if (entry.startsWith('container:')) return entry.slice('container:'.length);
    const [service, mode] = entry.split(':');
    return mode === undefined ? containerOf(service) : `${containerOf(service)}:${mode}`;
  });
}

/** `db` → `<name of db>:db`; `db:database` → `<name of db>:database`. */
export function resolveLinks(links: string[] | undefined, containerOf: ContainerOf): string[] | undefined {
  return links?.map((link) => {
    const [service, alias = service] = link.split(':');
    return `${containerOf(service)}:${alias}`;
  });
}

/** Services whose containers this service's create options name (the implied dependencies). */
export function referencedServices(fields: { network_mode?: string; ipc?: string; pid?: string; volumes_from?: string[]; links?: string[] }): string[] {
  const names: string[] = [];
  for (const mode of [fields.network_mode, fields.ipc, fields.pid]) {
    if (mode?.startsWith('service:')) names.push(mode.slice('service:'.length));
  }
  for (const source of fields.volumes_from ?? []) if (!source.startsWith('container:')) names.push(source.split(':')[0]);
  for (const link of fields.links ?? []) names.push(link.split(':')[0]);
  return names;
}
