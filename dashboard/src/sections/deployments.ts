import { errorText, type Api } from '../api.ts';
import { actionButton, badge, debounce, fill, h } from '../dom.ts';
import { clock, duration, shortSha, splitError, when } from '../format.ts';
import type { Deployment, StreamEvent } from '../types.ts';

// Deployments, newest first: per-service changes, duration, the error and the last log lines
// of a failed container, and (opened) every step. An operator can roll back to any earlier
// completed deployment; the button asks once more before it does.

const PAGE = 20;

export interface DeploymentsSection {
  element: HTMLElement;
  load(): Promise<void>;
  changed(): void;
  step(event: Extract<StreamEvent, { kind: 'deployment' }>): void;
  dispose(): void;
}

function changesText(d: Deployment): string {
  if (d.changes.length === 0) return d.status === 'completed' ? 'no changes' : '—';
  return d.changes.map((c) => `${c.service}: ${c.action}`).join(', ');
}

function stepRow(step: { at: string; service: string | null; step: string; message: string }): HTMLTableRowElement {
  return h('tr', {}, h('td', { class: 'mono' }, clock(step.at)), h('td', {}, step.service ?? ''), h('td', { class: 'mono' }, step.step), h('td', {}, step.message));
}

function errorBlock(d: Deployment): HTMLElement | null {
  if (!d.error_message || d.status === 'completed') return null;
  const { error, logs } = splitError(d.error_message);
  return h('div', { class: 'deployment-error' },
    h('div', { 'data-role': 'deployment-error' }, error),
    logs ? h('details', { open: true }, h('summary', {}, 'last log lines'), h('pre', { 'data-role': 'deployment-logs' }, logs)) : null);
}

function detailsBlock(d: Deployment): HTMLElement {
  const changes = d.changes.length === 0 ? h('p', { class: 'muted' }, 'No service changed.')
    : h('table', { class: 'compact' }, h('thead', {}, h('tr', {}, h('th', {}, 'Service'), h('th', {}, 'Action'), h('th', {}, 'From'), h('th', {}, 'To'))),
      h('tbody', {}, ...d.changes.map((c) => h('tr', {}, h('td', {}, c.service), h('td', {}, c.action), h('td', { class: 'mono' }, c.from ?? ''), h('td', { class: 'mono' }, c.to ?? '')))));
  const steps = h('tbody', { 'data-role': 'steps' }, ...(d.steps ?? []).map(stepRow));
  return h('div', { class: 'deployment-details' }, h('h3', {}, 'Changes'), changes, h('h3', {}, 'Steps'),
    h('table', { class: 'compact' }, h('thead', {}, h('tr', {}, h('th', {}, 'Time'), h('th', {}, 'Service'), h('th', {}, 'Step'), h('th', {}, 'Message'))), steps));
}

/** Rolls back to `d` on the second click: the first one asks, naming the commit. */
function rollbackButton(api: Api, base: string, d: Deployment, notify: (text: string) => void): HTMLButtonElement {
  let armed = false;
  const button = actionButton('Roll back to this', 'rollback', async () => {
    if (!armed) {
      armed = true;
      button.textContent = `Confirm rollback to ${shortSha(d.git_commit)}`;
      return;
    }
    try {
      const answer = await api.post<{ deployment_id: string }>(`${base}/rollback`, { deployment_id: d.id });
      notify(`Rollback to ${shortSha(d.git_commit)} accepted: deployment ${answer.deployment_id.slice(0, 8)}`);
    } catch (error) {
      notify(`Rollback refused: ${errorText(error)}`);
    }
    armed = false;
    button.textContent = 'Roll back to this';
  }, { 'data-deployment': d.id });
  return button;
}

/** The opened deployments: their steps are shown, and kept open when the list is read again. */
class OpenDetails {
  private readonly open = new Map<string, HTMLElement>();

  constructor(private readonly api: Api, private readonly base: string) {}

  slotFor(id: string): HTMLElement {
    const slot = h('div', { class: 'details-slot' });
    if (this.open.has(id)) {
      this.open.set(id, slot);
      void this.show(id, slot);
    }
    return slot;
  }

  toggle(id: string, slot: HTMLElement): void {
    if (this.open.delete(id)) {
      slot.replaceChildren();
      return;
    }
    this.open.set(id, slot);
    void this.show(id, slot);
  }

  appendStep(event: Extract<StreamEvent, { kind: 'deployment' }>): void {
    this.open.get(event.deployment_id)?.querySelector('[data-role="steps"]')?.append(stepRow(event));
  }

  private async show(id: string, slot: HTMLElement): Promise<void> {
    try {
      fill(slot, detailsBlock(await this.api.get<Deployment>(`${this.base}/deployments/${encodeURIComponent(id)}`)));
    } catch (error) {
      fill(slot, h('p', { class: 'error' }, errorText(error)));
    }
  }
}

function card(d: Deployment, details: OpenDetails, rollback: HTMLElement | null): HTMLElement {
  const slot = details.slotFor(d.id);
  return h('article', { class: 'deployment', 'data-deployment': d.id, 'data-status': d.status },
    h('div', { class: 'deployment-head' },
      badge('deployment', d.status, { 'data-role': 'deployment-status' }),
      h('span', { class: 'mono' }, shortSha(d.git_commit)),
      h('span', {}, d.trigger),
      h('span', { class: 'muted' }, `${when(d.started_at)} · ${duration(d.started_at, d.completed_at)}`),
      h('span', { class: 'changes' }, changesText(d)),
      h('span', { class: 'spacer' }),
      h('button', { type: 'button', 'data-action': 'deployment-details', onclick: () => details.toggle(d.id, slot) }, 'Steps'),
      rollback),
    errorBlock(d), slot);
}

export function deploymentsSection(api: Api, stackId: string, operator: boolean, notify: (text: string) => void): DeploymentsSection {
  const list = h('div', { class: 'deployments' }, h('p', { class: 'muted' }, 'loading…'));
  const base = `/api/v1/stacks/${encodeURIComponent(stackId)}`;
  const details = new OpenDetails(api, base);
  let limit = PAGE;
  const more = h('button', { type: 'button', 'data-action': 'deployments-more', hidden: true }, 'Show more');
  const load = async () => {
    try {
      const deployments = await api.get<Deployment[]>(`${base}/deployments?limit=${limit}`);
      // The newest completed deployment is what runs: the ones before it can be rolled back to.
      const current = deployments.find((d) => d.status === 'completed')?.id;
      const canRollBack = (d: Deployment) => operator && d.status === 'completed' && d.id !== current && Boolean(d.git_commit);
      fill(list, ...deployments.map((d) => card(d, details, canRollBack(d) ? rollbackButton(api, base, d, notify) : null)));
      if (deployments.length === 0) fill(list, h('p', { class: 'muted' }, 'No deployments yet.'));
      more.hidden = deployments.length < limit;
    } catch (error) {
      fill(list, h('p', { class: 'error' }, errorText(error)));
    }
  };
  more.addEventListener('click', () => {
    limit += PAGE;
    void load();
  });
  const changed = debounce(() => void load(), 300);
  return {
    element: h('section', { class: 'panel', 'data-section': 'deployments' }, h('h2', {}, 'Deployments'), list, more),
    load,
    changed,
    step(event) {
      details.appendStep(event);
      changed();
    },
    dispose: changed.cancel,
  };
}
