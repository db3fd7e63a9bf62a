import { errorText, type Api } from '../api.ts';
import { actionButton, badge, debounce, fill, h } from '../dom.ts';
import { shortSha, when } from '../format.ts';
import type { Container, Drift, Preview } from '../types.ts';

// What git and the engine say right now: drift, the preview of the next deploy (what each
// service would get, and why), and the containers. Each is read on request by the daemon.

export interface LiveSection {
  element: HTMLElement;
  load(): Promise<void>;
  changed(): void;
  dispose(): void;
}

function table(headers: string[], rows: HTMLTableRowElement[], empty: string): HTMLElement {
  if (rows.length === 0) return h('p', { class: 'muted' }, empty);
  return h('table', { class: 'compact' }, h('thead', {}, h('tr', {}, ...headers.map((t) => h('th', {}, t)))), h('tbody', {}, ...rows));
}

function liveSection(name: string, title: string, render: () => Promise<Array<Node | null>>, extra: Node[] = []): LiveSection {
  const body = h('div', { class: 'section-body' }, h('p', { class: 'muted' }, 'loading…'));
  const load = async () => {
    try {
      fill(body, ...(await render()));
    } catch (error) {
      fill(body, h('p', { class: 'error' }, errorText(error)));
    }
  };
  const changed = debounce(() => void load(), 500);
  const again = actionButton('Check again', `${name}-refresh`, load);
  return {
    load,
    element: h('section', { class: 'panel', 'data-section': name }, h('div', { class: 'panel-head' }, h('h2', {}, title), h('span', { class: 'spacer' }), ...extra, again), body),
    changed,
    dispose: changed.cancel,
  };
}

export function driftSection(api: Api, stackId: string): LiveSection {
  return liveSection('drift', 'Drift', async () => {
    const drift = await api.get<Drift>(`/api/v1/stacks/${encodeURIComponent(stackId)}/drift`);
    const rows = drift.drifts.map((d) => h('tr', { 'data-drift': d.service_name }, h('td', {}, d.service_name), h('td', {}, badge('drift', d.type)), h('td', {}, d.message)));
    return [h('p', { class: 'muted' }, `checked ${when(drift.checked_at)}`), table(['Service', 'Kind', 'What'], rows, 'No drift: the containers match git.')];
  });
}

/** Only for operator keys: a preview is a POST (it resolves git and records a drift report). */
export function previewSection(api: Api, stackId: string): LiveSection {
  return liveSection('preview', 'Next deploy', async () => {
    const preview = await api.post<Preview>(`/api/v1/stacks/${encodeURIComponent(stackId)}/preview`);
    const rows = preview.actions.filter((a) => a.action !== 'none').map((a) => h('tr', { 'data-preview': a.service_name },
      h('td', {}, a.service_name), h('td', {}, badge('action', a.action)), h('td', {}, a.reason), h('td', { class: 'mono' }, a.order)));
    return [
      h('p', { class: 'muted' }, `commit ${shortSha(preview.git_commit)} · checked ${when(preview.checked_at)}`),
      table(['Service', 'Action', 'Reason', 'Order'], rows, 'A deploy now would change nothing.'),
    ];
  });
}

function ports(c: Container): string {
  return c.ports.map((p) => (p.public_port ? `${p.ip ?? ''}:${p.public_port}→${p.private_port}/${p.type}` : `${p.private_port}/${p.type}`)).join(', ');
}

export function containersSection(api: Api, stackId: string): LiveSection {
  return liveSection('containers', 'Containers', async () => {
    const containers = await api.get<Container[]>(`/api/v1/stacks/${encodeURIComponent(stackId)}/containers`);
    const rows = containers.map((c) => h('tr', { 'data-container': c.name },
      h('td', { class: 'mono' }, c.name), h('td', {}, c.service), h('td', {}, String(c.replica)), h('td', {}, badge('container', c.state)),
      h('td', {}, c.health ? badge('health', c.health) : '—'), h('td', {}, c.status), h('td', { class: 'mono' }, ports(c)), h('td', { class: 'mono' }, c.image)));
    return [table(['Name', 'Service', 'Replica', 'State', 'Health', 'Status', 'Ports', 'Image'], rows, 'No containers.')];
  });
}
