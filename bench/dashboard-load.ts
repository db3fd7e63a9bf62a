// How long the dashboard takes to load with many stacks, in headless Chromium against a real
// daemon. Usage: node --import tsx bench/dashboard-load.ts [stacks=200] [loads=10]
//
// Starts a daemon on a temp data directory, creates N stacks on one local git repository (one
// busybox service each, deployed, reconciling every 60 s), then opens the dashboard N times in
// a fresh browser context each (nothing cached) and measures, from navigation start:
//   * overview: every stack's row on the page and the event stream live;
//   * stack page: the statechart with the current state, deployments, transitions, drift and
//     containers all shown.
// Also times GET /api/v1/stacks, which the overview reads. Cleans up every container it created.

import { cpus } from 'node:os';
import type { Browser, Page } from 'playwright-core';
import { STORAGE_KEY } from '../dashboard/src/session.ts';
import { buildDashboard } from '../scripts/build-dashboard.ts';
import { launchBrowser } from '../test/support/browser.ts';
import { eventually, startDaemon } from '../test/support/daemon.ts';
import { cleanupStack } from '../test/support/docker.ts';
import { createGitRepo } from '../test/support/git-repo.ts';
import { idleStackCompose } from './idle-stack.ts';

const stackCount = Number(process.argv[2] ?? 200);
const loads = Number(process.argv[3] ?? 10);
const prefix = `acct-dashbench-${process.pid}`;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const summary = (values: number[]) =>
  `median ${median(values).toFixed(0)} ms, min ${Math.min(...values).toFixed(0)} ms, max ${Math.max(...values).toFixed(0)} ms`;

/**
 * Opens `url` in a new context (logged in, as after the `#key=` fragment) and returns the page's
 * own clock (ms since navigation start) once `ready` holds.
 */
async function timedLoad(browser: Browser, url: string, key: string, ready: (page: Page) => Promise<unknown>): Promise<number> {
  const context = await browser.newContext({ viewport: { width: 1680, height: 1000 } });
  const page = await context.newPage();
  if (key) await page.addInitScript(([name, value]) => sessionStorage.setItem(name!, value!), [STORAGE_KEY, key]);
  try {
    await page.goto(url);
    await ready(page);
    return await page.evaluate(() => performance.now());
  } finally {
    await context.close();
  }
}

await buildDashboard();
const repo = await createGitRepo({ 'docker-compose.yaml': idleStackCompose });
const daemon = await startDaemon({ env: { LOG_LEVEL: 'info', MAX_CONCURRENT_DEPLOYS: '4' } });
const names = Array.from({ length: stackCount }, (_, i) => `${prefix}-${String(i).padStart(3, '0')}`);
let browser: Browser | undefined;
try {
  const started = performance.now();
  for (const name of names) {
    const { status } = await daemon.request('POST', '/api/v1/stacks', { name, repo_url: repo.dir, reconcile_interval_seconds: 60 });
    if (status !== 201) throw new Error(`creating ${name}: ${status}`);
  }
  await eventually(async () => {
    const stacks = (await daemon.request<Array<{ last_deployment: { status: string } | null }>>('GET', '/api/v1/stacks')).body;
    return stacks.filter((s) => s.last_deployment?.status === 'completed').length === stackCount;
  }, 'every stack to deploy', 1_800_000, 2_000);
  console.log(`stacks: ${stackCount}, each deployed (one container), ${cpus().length} cores; set up in ${((performance.now() - started) / 1000).toFixed(0)} s`);

  const api: number[] = [];
  for (let i = 0; i < loads; i++) {
    const t0 = performance.now();
    const { status } = await daemon.request('GET', '/api/v1/stacks');
    if (status !== 200) throw new Error(`GET /api/v1/stacks: ${status}`);
    api.push(performance.now() - t0);
  }

  browser = await launchBrowser();
  const overview: number[] = [];
  const stackPage: number[] = [];
  const empty: number[] = [];
  const target = names[Math.floor(stackCount / 2)]!;
  for (let i = 0; i < loads; i++) {
    // The floor: the page and its script with nothing to read (the login form, no key).
    empty.push(await timedLoad(browser, `${daemon.url}/`, '', (page) => page.waitForSelector('[data-role="login"]')));
    overview.push(await timedLoad(browser, `${daemon.url}/#/`, daemon.apiKey, (page) => page.waitForFunction(
      (n) => document.querySelectorAll('tr[data-stack]').length === n && document.querySelector('.live[data-live="live"]') !== null,
      stackCount, { polling: 'raf', timeout: 60_000 })));
    stackPage.push(await timedLoad(browser, `${daemon.url}/#/stacks/${encodeURIComponent(target)}`, daemon.apiKey, async (page) => {
      await page.waitForFunction(() => document.querySelector('[data-state-node][data-active="true"]') !== null
        && document.querySelector('article.deployment') !== null
        && document.querySelector('[data-section="timeline"] tr[data-transition]') !== null
        && document.querySelector('[data-section="drift"] .section-body p.muted') !== null
        && document.querySelector('[data-section="containers"] tr[data-container]') !== null,
      undefined, { polling: 'raf', timeout: 60_000 });
    }));
  }
  console.log(`GET /api/v1/stacks (${stackCount} stacks): ${summary(api)}`);
  console.log(`login page (the page and its script, no API call): ${summary(empty)} over ${loads} cold loads`);
  console.log(`overview, navigation to all ${stackCount} rows shown and live: ${summary(overview)} over ${loads} cold loads`);
  console.log(`stack page (one of ${stackCount}), navigation to chart, deployments, transitions, drift and containers shown: ${summary(stackPage)} over ${loads} cold loads`);
} finally {
  await browser?.close();
  await daemon.stop();
  for (const name of names) await cleanupStack(name);
  await daemon.cleanup();
  await repo.remove();
}
