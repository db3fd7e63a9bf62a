import { errorText } from './api.ts';
import { badge, debounce, fill, h } from './dom.ts';
import { followEvents, type FollowOptions } from './event-stream.ts';
import { duration, shortSha, when } from './format.ts';
import { REST_STATES, stackHref, type Page, type PageContext } from './page.ts';
import type { Stack, StreamEvent, SupervisorFigures } from './types.ts';

// The overview: every stack with its machine state, sync and health, commit and last
// deployment, and the supervisor's figures, kept current by the event stream (no polling):
// a transition moves the row's state at once, and a stack that comes to rest is read again.

/** A key limited to some stacks must name one per stream; browsers allow six connections per host. */
const MAX_STACK_STREAMS = 4;

function lastDeploymentCell(stack: Stack): HTMLTableCellElement {
  const last = stack.last_deployment;
  if (!last) return h('td', { 'data-role': 'last-deployment' }, '—');
  return h('td', { 'data-role': 'last-deployment' },
    badge('deployment', last.status), ' ', h('span', { class: 'muted' }, `${last.trigger} · ${when(last.started_at)} · ${duration(last.started_at, last.completed_at)}`));
}

function stackRow(stack: Stack): HTMLTableRowElement {
  return h('tr', { 'data-stack': stack.name, 'data-stack-id': stack.id, 'data-state': stack.state },
    h('td', {}, h('a', { href: stackHref(stack.name), class: 'stack-link' }, stack.name)),
    h('td', { 'data-role': 'state' }, badge('state', stack.state)),
    h('td', { 'data-role': 'sync' }, badge('sync', stack.sync_status)),
    h('td', { 'data-role': 'health' }, badge('health', stack.health_status)),
    h('td', { 'data-role': 'commit', class: 'mono' }, shortSha(stack.git_commit)),
    lastDeploymentCell(stack),
    h('td', { class: 'error-cell', title: stack.last_error ?? '' }, stack.last_error ?? ''),
  );
}

function supervisorPanel(figures: SupervisorFigures): HTMLElement {
  const figure = (name: string, label: string, value: string | number) =>
    h('div', { class: 'figure', 'data-figure': name }, h('span', { class: 'figure-value' }, String(value)), h('span', { class: 'figure-label' }, label));
  const slots = figures.deploy_slots;
  return h('div', { class: 'figures' },
    figure('deploy-slots', 'deploy slots in use', `${slots.in_use} / ${slots.limit}`),
    figure('waiting', 'waiting for a slot', slots.waiting),
    figure('actors', 'stack actors (busy)', `${figures.stack_actors.running} (${figures.stack_actors.busy})`),
    figure('restarted', 'actors restarted', figures.stack_actors.restarted),
    figure('parked', 'stacks parked as failed', figures.parked.length),
    figures.parked.length > 0
      ? h('ul', { class: 'parked' }, ...figures.parked.map((p) => h('li', {}, h('a', { href: stackHref(p.stack_name) }, p.stack_name), `: ${p.error}`)))
      : null,
  );
}

/** The stack table: one row per stack, filtered by name, each row replaced when its stack is read again. */
class StackTable {
  readonly tbody = h('tbody');
  readonly count = h('span', { class: 'muted', 'data-role': 'stack-count' });
  readonly filter = h('input', { type: 'search', placeholder: 'filter by name', 'aria-label': 'filter stacks by name', class: 'filter' });
  private readonly rows = new Map<string, HTMLTableRowElement>();

  constructor() {
    this.filter.addEventListener('input', () => this.applyFilter());
  }

  element(message: HTMLElement): HTMLElement {
    const head = h('thead', {}, h('tr', {}, ...['Stack', 'State', 'Sync', 'Health', 'Commit', 'Last deployment', 'Error'].map((t) => h('th', {}, t))));
    return h('section', { class: 'panel' }, h('div', { class: 'panel-head' }, h('h2', {}, 'Stacks '), this.count, this.filter), message,
      h('table', { class: 'stacks' }, head, this.tbody));
  }

  show(stacks: Stack[]): void {
    this.rows.clear();
    fill(this.tbody, ...stacks.map((stack) => {
      const row = stackRow(stack);
      this.rows.set(stack.id, row);
      return row;
    }));
    this.count.textContent = `${stacks.length}`;
    this.applyFilter();
  }

  has(stackId: string): boolean {
    return this.rows.has(stackId);
  }

  /** A transition: the row's state changes at once. */
  moveTo(stackId: string, state: string): void {
    const row = this.rows.get(stackId);
    if (!row) return;
    row.dataset.state = state;
    fill(row.querySelector('[data-role="state"]')!, badge('state', state));
  }

  replace(stack: Stack): void {
    const old = this.rows.get(stack.id);
    if (!old) return;
    const row = stackRow(stack);
    row.hidden = old.hidden;
    old.replaceWith(row);
    this.rows.set(stack.id, row);
  }

  private applyFilter(): void {
    const wanted = this.filter.value.trim().toLowerCase();
    for (const row of this.rows.values()) row.hidden = wanted !== '' && !row.dataset.stack!.toLowerCase().includes(wanted);
  }
}

/** What the overview reads, and reads again (debounced) when the events say it changed. */
function overviewReads(ctx: PageContext, table: StackTable, supervisor: HTMLElement, message: HTMLElement) {
  const loadStacks = async () => {
    try {
      table.show(await ctx.api.get<Stack[]>('/api/v1/stacks'));
      message.hidden = true;
    } catch (error) {
      message.hidden = false;
      message.textContent = `Could not load the stacks: ${errorText(error)}`;
    }
  };
  const loadSupervisor = async () => {
    try {
      fill(supervisor, h('h2', {}, 'Supervisor'), supervisorPanel(await ctx.api.get<SupervisorFigures>('/api/v1/supervisor')));
    } catch {
      // A key limited to some stacks does not see host-wide figures.
      supervisor.hidden = true;
    }
  };
  const pending = new Set<string>();
  const rows = debounce(() => {
    for (const id of pending) void ctx.api.get<Stack>(`/api/v1/stacks/${encodeURIComponent(id)}`).then((s) => table.replace(s)).catch(() => undefined);
    pending.clear();
  }, 250);
  return {
    loadAll: () => Promise.all([loadStacks(), loadSupervisor()]),
    list: debounce(() => void loadStacks(), 300),
    supervisor: debounce(() => void loadSupervisor(), 400),
    row: (stackId: string) => { pending.add(stackId); rows(); },
    cancel: () => { rows.cancel(); },
  };
}

export function showOverview(ctx: PageContext): Page {
  const table = new StackTable();
  const supervisor = h('section', { class: 'panel', 'data-section': 'supervisor' }, h('h2', {}, 'Supervisor'), h('p', { class: 'muted' }, 'loading…'));
  const message = h('p', { class: 'error', 'data-role': 'overview-error', hidden: true });
  fill(ctx.root, supervisor, table.element(message));
  const reads = overviewReads(ctx, table, supervisor, message);

  const onEvent = (event: StreamEvent) => {
    if (event.kind !== 'transition') return;
    if (!table.has(event.stack_id)) {
      reads.list();
      return;
    }
    table.moveTo(event.stack_id, event.to);
    if (REST_STATES.has(event.to) || event.to === 'deploying') reads.row(event.stack_id);
    reads.supervisor();
  };
  // Subscribe first, then read: nothing that happens in between is missed.
  let loaded = false;
  const follow = (options: Pick<FollowOptions, 'stack'>) => followEvents({
    key: ctx.api.key, ...options, onEvent,
    onStatus: (status, reconnected) => {
      ctx.setLive(status);
      if (status === 'connecting' || (loaded && !reconnected)) return;
      loaded = true;
      void reads.loadAll();
    },
  });
  const streams = ctx.whoami.stacks === null ? [follow({})] : ctx.whoami.stacks.slice(0, MAX_STACK_STREAMS).map((stack) => follow({ stack }));
  return {
    dispose() {
      for (const stream of streams) stream.close();
      reads.list.cancel();
      reads.supervisor.cancel();
      reads.cancel();
    },
  };
}
