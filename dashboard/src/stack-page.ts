import { errorText, type Api } from './api.ts';
import { actionButton, badge, fill, h } from './dom.ts';
import { followEvents } from './event-stream.ts';
import { shortSha, when } from './format.ts';
import { canOperate, REST_STATES, type Page, type PageContext } from './page.ts';
import { deploymentsSection } from './sections/deployments.ts';
import { containersSection, driftSection, previewSection, type LiveSection } from './sections/inspect.ts';
import { timelineSection } from './sections/timeline.ts';
import { createStatechart, type Statechart } from './statechart.ts';
import type { Machine, Stack, StreamEvent } from './types.ts';

// One stack: the live statechart, its deployments and transitions, drift and the preview of
// the next deploy, its containers, and (for operator keys) deploy, pause / resume, rollback.

let machine: Promise<Machine> | undefined;

function loadMachine(api: Api): Promise<Machine> {
  machine ??= api.get<Machine>('/api/v1/machine?format=json');
  machine.catch(() => { machine = undefined; });
  return machine;
}

function facts(stack: Stack): HTMLElement {
  const fact = (label: string, value: Node | string) => h('div', { class: 'fact' }, h('dt', {}, label), h('dd', {}, value));
  return h('dl', { class: 'facts' },
    fact('sync', badge('sync', stack.sync_status, { 'data-role': 'sync' })),
    fact('health', badge('health', stack.health_status, { 'data-role': 'health' })),
    fact('commit', h('span', { class: 'mono', 'data-role': 'commit' }, shortSha(stack.git_commit))),
    fact('repository', h('span', { class: 'mono' }, `${stack.repo_url} @ ${stack.repo_ref ?? stack.repo_branch}`)),
    fact('compose file', h('span', { class: 'mono' }, stack.compose_path)),
    fact('auto-deploy', stack.auto_deploy ? `on, every ${stack.reconcile_interval_seconds} s` : `off${stack.reconcile_interval_seconds ? `, checks every ${stack.reconcile_interval_seconds} s` : ''}`),
    fact('last deployed', when(stack.last_deployed_at)),
    stack.last_error ? fact('last error', h('span', { class: 'error', 'data-role': 'last-error' }, stack.last_error)) : null,
  );
}

function actions(ctx: PageContext, stack: Stack, notify: (text: string) => void, reload: () => void): HTMLElement | null {
  if (!canOperate(ctx.whoami, stack)) return null;
  const base = `/api/v1/stacks/${encodeURIComponent(stack.id)}`;
  const deploy = actionButton('Deploy', 'deploy', async () => {
    try {
      const answer = await ctx.api.post<{ deployment_id: string }>(`${base}/deploy`);
      notify(`Deploy accepted: deployment ${answer.deployment_id.slice(0, 8)}`);
    } catch (error) {
      notify(`Deploy refused: ${errorText(error)}`);
    }
  }, { class: 'primary' });
  // The live state says `paused` as soon as the stack rests there (after a rollback pins it, say);
  // the stored flag follows a moment later.
  const paused = stack.paused || stack.state === 'paused';
  const pauseOrResume = paused ? 'resume' : 'pause';
  const toggle = actionButton(paused ? 'Resume' : 'Pause', pauseOrResume, async () => {
    try {
      await ctx.api.post<Stack>(`${base}/${pauseOrResume}`);
      notify(paused ? 'Resumed.' : 'Paused: pushes and timers wait; Deploy and rollback still run.');
      reload();
    } catch (error) {
      notify(`Refused: ${errorText(error)}`);
    }
  });
  return h('div', { class: 'actions' }, deploy, toggle);
}

export function showStackPage(ctx: PageContext, name: string): Page {
  const sections: Array<{ dispose(): void }> = [];
  let stream: { close(): void } | undefined;
  let disposed = false;
  fill(ctx.root, h('p', { class: 'muted' }, `Loading ${name}…`));
  void (async () => {
    try {
      const [stack, description] = await Promise.all([ctx.api.get<Stack>(`/api/v1/stacks/${encodeURIComponent(name)}`), loadMachine(ctx.api)]);
      if (disposed) return;
      const page = buildPage(ctx, stack, createStatechart(description), sections);
      let loaded = false;
      stream = followEvents({
        key: ctx.api.key, stack: stack.id, onEvent: page.onEvent,
        onStatus: (status, reconnected) => {
          ctx.setLive(status);
          // Subscribed first, read then: nothing that happens in between is missed.
          if (status === 'connecting' || (loaded && !reconnected)) return;
          loaded = true;
          page.readAll();
        },
      });
    } catch (error) {
      fill(ctx.root, h('p', { class: 'error', 'data-role': 'stack-error' }, `Could not load ${name}: ${errorText(error)}`));
    }
  })();
  return {
    dispose() {
      disposed = true;
      stream?.close();
      for (const section of sections) section.dispose();
    },
  };
}

/** The stack's name, state, facts and actions, and the line that answers an action. */
class StackHeader {
  private readonly stateBadge: HTMLElement;
  private readonly head: HTMLElement;
  private readonly note = h('p', { class: 'notice', 'data-role': 'action-result', hidden: true });
  private readonly factsSlot = h('div', {});
  private readonly actionsSlot = h('div', {});

  constructor(private readonly ctx: PageContext, private stack: Stack) {
    this.stateBadge = h('span', { 'data-role': 'state' }, badge('state', stack.state));
    this.head = h('header', { class: 'stack-head', 'data-stack-page': stack.name, 'data-state': stack.state }, h('h1', {}, stack.name), this.stateBadge);
    this.show();
  }

  elements(): HTMLElement[] {
    return [h('div', { class: 'stack-top' }, this.head, this.actionsSlot), this.note, this.factsSlot];
  }

  readonly notify = (text: string) => {
    this.note.hidden = false;
    this.note.textContent = text;
  };

  showState(state: string): void {
    this.head.setAttribute('data-state', state);
    fill(this.stateBadge, badge('state', state));
  }

  async reload(): Promise<void> {
    try {
      this.stack = await this.ctx.api.get<Stack>(`/api/v1/stacks/${encodeURIComponent(this.stack.id)}`);
      this.show();
    } catch (error) {
      this.notify(`Could not read the stack: ${errorText(error)}`);
    }
  }

  private show(): void {
    fill(this.factsSlot, facts(this.stack));
    fill(this.actionsSlot, actions(this.ctx, this.stack, this.notify, () => void this.reload()));
  }
}

function buildSections(ctx: PageContext, stack: Stack, notify: (text: string) => void) {
  const stackId = stack.id;
  const operator = canOperate(ctx.whoami, stack);
  return {
    deployments: deploymentsSection(ctx.api, stackId, operator, notify),
    timeline: timelineSection(ctx.api, stackId),
    drift: driftSection(ctx.api, stackId),
    preview: operator ? previewSection(ctx.api, stackId) : null,
    containers: containersSection(ctx.api, stackId),
  };
}

function buildPage(ctx: PageContext, stack: Stack, chart: Statechart, disposables: Array<{ dispose(): void }>) {
  const header = new StackHeader(ctx, stack);
  const { deployments, timeline, drift, preview, containers } = buildSections(ctx, stack, header.notify);
  const all: LiveSection[] = [deployments, timeline, drift, containers, ...(preview ? [preview] : [])];
  disposables.push(...all);
  fill(ctx.root, ...header.elements(),
    h('section', { class: 'panel', 'data-section': 'statechart' }, h('h2', {}, 'State machine'), chart.element),
    h('div', { class: 'columns' }, preview?.element ?? null, drift.element),
    deployments.element, timeline.element, containers.element);
  let shownDrift = -1;
  let transitionsSeen = 0;
  const onEvent = (event: StreamEvent) => {
    if (event.kind === 'transition') {
      transitionsSeen += 1;
      chart.transition(event);
      header.showState(event.to);
      timeline.changed();
      deployments.changed();
      if (!REST_STATES.has(event.to)) return;
      void header.reload();
      for (const section of [containers, drift, preview]) section?.changed();
    } else if (event.kind === 'deployment') {
      deployments.step(event);
    } else if (event.kind === 'drift' && event.drift_count !== shownDrift) {
      shownDrift = event.drift_count;
      drift.changed();
    }
  };
  /** Everything the page shows, read now: once subscribed, and after a reconnect (events were missed). */
  const readAll = async () => {
    for (const section of all) void section.load();
    const seen = transitionsSeen;
    try {
      const { state } = await ctx.api.get<{ state: string }>(`/api/v1/stacks/${encodeURIComponent(stack.id)}/state`);
      // A transition that arrived meanwhile is newer than this answer.
      if (seen === transitionsSeen) {
        chart.setActive(state);
        header.showState(state);
      }
    } catch (error) {
      header.notify(`Could not read the state: ${errorText(error)}`);
    }
    await header.reload();
  };
  return { onEvent, readAll: () => void readAll() };
}
