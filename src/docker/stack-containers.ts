// A stack's containers as the API lists them: the same one label-filtered list the actual
// state is read from, plus the published ports the list call already carries.

import type Dockerode from 'dockerode';
import { toActualContainer } from './actual-state.ts';
import { engine } from './engine-errors.ts';
import { stackFilter } from './labels.ts';
import type { StackContainer } from './types.ts';

export async function listStackContainers(docker: Dockerode, stackName: string): Promise<StackContainer[]> {
  const list = await engine('listing containers', { stack: stackName }, () => docker.listContainers({ all: true, filters: stackFilter(stackName) }));
  return list.map((entry) => ({
    ...toActualContainer(entry),
    ports: (entry.Ports ?? []).map((p) => ({ privatePort: p.PrivatePort, publicPort: p.PublicPort ?? null, ip: p.IP ?? null, type: p.Type })),
  }));
}
