import { errorText, type Api } from '../api.ts';
import { debounce, fill, h } from '../dom.ts';
import { when } from '../format.ts';
import type { Transition } from '../types.ts';

// The transitions timeline, newest first, a page at a time (`?before=<id>` pages on). The
// first page follows the stack live; older pages stay as they are until you go back.

const PAGE = 25;

export interface TimelineSection {
  element: HTMLElement;
  /** Reads the page shown now. */
  load(): Promise<void>;
  /** A transition arrived: the first page is read again (debounced). */
  changed(): void;
  dispose(): void;
}

export function timelineSection(api: Api, stackId: string): TimelineSection {
  const tbody = h('tbody');
  const status = h('span', { class: 'muted', 'data-role': 'timeline-page' });
  const cursors: Array<number | undefined> = [undefined];
  let page = 0;
  let oldestId: number | undefined;
  let full = false;
  const newer = h('button', { type: 'button', 'data-action': 'timeline-newer', disabled: true }, '← Newer');
  const older = h('button', { type: 'button', 'data-action': 'timeline-older', disabled: true }, 'Older →');
  const load = async () => {
    const before = cursors[page];
    try {
      const rows = await api.get<Transition[]>(`/api/v1/stacks/${encodeURIComponent(stackId)}/transitions?limit=${PAGE}${before ? `&before=${before}` : ''}`);
      oldestId = rows.at(-1)?.id;
      full = rows.length === PAGE;
      fill(tbody, ...rows.map((t) => h('tr', { 'data-transition': t.id, 'data-to': t.to },
        h('td', { class: 'mono' }, when(t.at)), h('td', {}, `${t.from} → `, h('strong', {}, t.to)), h('td', { class: 'mono' }, t.event),
        h('td', { class: 'mono' }, t.deployment_id ? t.deployment_id.slice(0, 8) : ''))));
      if (rows.length === 0) fill(tbody, h('tr', {}, h('td', { colspan: 4, class: 'muted' }, 'No transitions yet.')));
      status.textContent = `page ${page + 1}`;
    } catch (error) {
      fill(tbody, h('tr', {}, h('td', { colspan: 4, class: 'error' }, errorText(error))));
    }
    newer.disabled = page === 0;
    older.disabled = !full || oldestId === undefined;
  };
  newer.addEventListener('click', () => {
    page = Math.max(0, page - 1);
    void load();
  });
  older.addEventListener('click', () => {
    if (oldestId === undefined) return;
    cursors[page + 1] = oldestId;
    page += 1;
    void load();
  });
  const reloadFirst = debounce(() => {
    if (page === 0) void load();
  }, 300);
  const element = h('section', { class: 'panel', 'data-section': 'timeline' },
    h('div', { class: 'panel-head' }, h('h2', {}, 'Transitions'), status, h('span', { class: 'spacer' }), newer, older),
    h('table', { class: 'timeline' }, h('thead', {}, h('tr', {}, h('th', {}, 'Time'), h('th', {}, 'State'), h('th', {}, 'Event'), h('th', {}, 'Deployment'))), tbody));
  return { element, load, changed: reloadFirst, dispose: reloadFirst.cancel };
}
