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

export function showOverview(ctx: PageContext): Page {
  const rows = new Map<string, HTMLTableRowElement>();
  const tbody = h('tbody');
  const count = h('span', { class: 'muted', 'data-role': 'stack-count' });
  const supervisor = h('section', { class: 'panel', 'data-section': 'supervisor' }, h('h2', {}, 'Supervisor'), h('p', { class: 'muted' }, 'loading…'));
  const filter = h('input', { type: 'search', placeholder: 'filter by name', 'aria-label': 'filter stacks by name', class: 'filter' });
  const message = h('p', { class: 'error', 'data-role': 'overview-error', hidden: true });
  const table = h('table', { class: 'stacks' },
    h('thead', {}, h('tr', {}, ...['Stack', 'State', 'Sync', 'Health', 'Commit', 'Last deployment', 'Error'].map((t) => h('th', {}, t)))), tbody);
  fill(ctx.root, supervisor, h('section', { class: 'panel' }, h('div', { class: 'panel-head' }, h('h2', {}, 'Stacks '), count, filter), message, table));

  const applyFilter = () => {
    const wanted = filter.value.trim().toLowerCase();
    for (const [, row] of rows) row.hidden = wanted !== '' && !row.dataset.stack!.toLowerCase().includes(wanted);
  };
  filter.addEventListener('input', applyFilter);

  const showStacks = (stacks: Stack[]) => {
    rows.clear();
    fill(tbody, ...stacks.map((stack) => {
      const row = stackRow(stack);
      rows.set(stack.id, row);
      return row;
    }));
    count.textContent = `${stacks.length}`;
    applyFilter();
  };
  const loadStacks = async () => {
    try {
      const stacks = await ctx.api.get<Stack[]>('/api/v1/stacks');
      message.hidden = true;
      showStacks(stacks);
      return stacks;
    } catch (error) {
      message.hidden = false;
      message.textContent = `Could not load the stacks: ${errorText(error)}`;
      return [];
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
  const refreshSupervisor = debounce(() => void loadSupervisor(), 400);
  const refreshList = debounce(() => void loadStacks(), 300);
  const pendingRows = new Set<string>();
  const refreshRows = debounce(() => {
    for (const id of pendingRows) {
      void ctx.api.get<Stack>(`/api/v1/stacks/${encodeURIComponent(id)}`).then((stack) => {
        const old = rows.get(id);
        if (!old) return;
        const row = stackRow(stack);
        row.hidden = old.hidden;
        old.replaceWith(row);
        rows.set(id, row);
      }).catch(() => undefined);
    }
    pendingRows.clear();
  }, 250);

  const onEvent = (event: StreamEvent) => {
    if (event.kind !== 'transition') return;
    const row = rows.get(event.stack_id);
    if (!row) {
      refreshList();
      return;
    }
    row.dataset.state = event.to;
    fill(row.querySelector('[data-role="state"]')!, badge('state', event.to));
    if (REST_STATES.has(event.to) || event.to === 'deploying') {
      pendingRows.add(event.stack_id);
      refreshRows();
    }
    refreshSupervisor();
  };
  // Subscribe first, then read: nothing that happens in between is missed.
  let loaded = false;
  const follow = (options: Pick<FollowOptions, 'stack'>) => followEvents({
    key: ctx.api.key, ...options, onEvent,
    onStatus: (status, reconnected) => {
      ctx.setLive(status);
      if (status === 'connecting') return;
      if (!loaded) {
        loaded = true;
        void loadStacks();
        void loadSupervisor();
      } else if (reconnected) {
        refreshList();
        refreshSupervisor();
      }
    },
  });
  const streams = ctx.whoami.stacks === null ? [follow({})] : ctx.whoami.stacks.slice(0, MAX_STACK_STREAMS).map((stack) => follow({ stack }));
  return {
    dispose() {
      for (const stream of streams) stream.close();
      refreshSupervisor.cancel();
      refreshList.cancel();
      refreshRows.cancel();
    },
  };
}
