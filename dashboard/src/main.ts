import { Api, ApiError, errorText } from './api.ts';
import { fill, h } from './dom.ts';
import type { StreamStatus } from './event-stream.ts';
import { showOverview } from './overview.ts';
import type { Page, PageContext } from './page.ts';
import { forgetKey, keyFromFragment, storedKey, storeKey } from './session.ts';
import { showStackPage } from './stack-page.ts';
import type { Whoami } from './types.ts';

// The dashboard's entry: log in (the `#key=` fragment or the form), then route `#/` to the
// overview and `#/stacks/<name>` to a stack's page.

const app = document.getElementById('app')!;
let page: Page | undefined;

function takeKeyFromFragment(): void {
  const key = keyFromFragment(location.hash);
  if (!key) return;
  storeKey(sessionStorage, key);
  // The key leaves the address bar and the history at once.
  history.replaceState(null, '', `${location.pathname}${location.search}#/`);
}

function showLogin(message?: string): void {
  page?.dispose();
  page = undefined;
  const input = h('input', { type: 'password', name: 'key', autocomplete: 'current-password', required: true, 'aria-label': 'API key', placeholder: 'acc_…' });
  const form = h('form', { class: 'login', 'data-role': 'login' },
    h('h1', {}, 'Accelero'), h('p', {}, 'Log in with an API key. It is kept for this browser session only.'),
    input, h('button', { type: 'submit', class: 'primary' }, 'Log in'),
    message ? h('p', { class: 'error', 'data-role': 'login-error' }, message) : null);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    storeKey(sessionStorage, input.value.trim());
    void start();
  });
  fill(app, form);
  input.focus();
}

function shell(whoami: Whoami): { root: HTMLElement; setLive(status: StreamStatus): void } {
  const live = h('span', { class: 'live', 'data-live': 'connecting' }, 'connecting');
  const logout = h('button', { type: 'button', 'data-action': 'logout' }, 'Log out');
  logout.addEventListener('click', () => {
    forgetKey(sessionStorage);
    showLogin();
  });
  const root = h('main', { id: 'page' });
  fill(app,
    h('nav', { class: 'top' }, h('a', { href: '#/', class: 'brand' }, 'Accelero'), h('span', { class: 'spacer' }), live,
      h('span', { class: 'who', 'data-role': 'whoami', 'data-key-role': whoami.role }, `${whoami.name} · ${whoami.role}`), logout),
    root);
  return {
    root,
    setLive(status) {
      live.setAttribute('data-live', status);
      live.textContent = status;
    },
  };
}

function route(ctx: PageContext): void {
  page?.dispose();
  const match = /^#\/stacks\/([^/]+)$/.exec(location.hash);
  page = match ? showStackPage(ctx, decodeURIComponent(match[1]!)) : showOverview(ctx);
}

async function start(): Promise<void> {
  const key = storedKey(sessionStorage);
  if (!key) {
    showLogin();
    return;
  }
  const api = new Api(key);
  let whoami: Whoami;
  try {
    whoami = await api.get<Whoami>('/api/v1/whoami');
  } catch (error) {
    if (error instanceof ApiError && (error.status === 401 || error.status === 403)) {
      forgetKey(sessionStorage);
      showLogin('That key is not valid.');
    } else {
      showLogin(`The daemon did not answer: ${errorText(error)}`);
    }
    return;
  }
  const { root, setLive } = shell(whoami);
  const ctx: PageContext = { api, whoami, root, setLive };
  window.onhashchange = () => {
    if (keyFromFragment(location.hash)) {
      takeKeyFromFragment();
      void start();
      return;
    }
    route(ctx);
  };
  route(ctx);
}

takeKeyFromFragment();
void start();
