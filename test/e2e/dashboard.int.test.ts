import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { buildDashboard } from '../../scripts/build-dashboard.ts';
import { launchBrowser, recordHighlightedStates, screenshot, watchProblems } from '../support/browser.ts';
import { eventually, startDaemon, type TestDaemon } from '../support/daemon.ts';
import { cleanupStack, uniqueStackName } from '../support/docker.ts';
import { createGitRepo, type TestGitRepo } from '../support/git-repo.ts';
import { jsonClient, type JsonRequest } from '../support/http-client.ts';

// The dashboard in headless Chromium against the daemon on the real engine: logging in
// through the URL the daemon prints, the stack list, a deploy watched on the live statechart,
// a release that fails verification, and what a viewer key does not get.

const service = (healthcheck: string) => `services:
  web:
    image: accelero-test/web:v1
${healthcheck}`;
// Without a healthcheck a replica must stay up for the monitor window (5 s): the deploy lasts long enough to be seen.
const goodRelease = service('    environment:\n      RELEASE: "1"\n');
const failingRelease = service(`    environment:
      RELEASE: "2"
    healthcheck:
      test: ["CMD", "false"]
      interval: 1s
      timeout: 1s
      retries: 1
`);

describe('the dashboard in a real browser', () => {
  const stack = uniqueStackName('dash');
  let repo: TestGitRepo;
  let daemon: TestDaemon;
  let request: JsonRequest;
  let key: string;
  let browser: Browser;

  before(async () => {
    await buildDashboard();
    repo = await createGitRepo({ 'docker-compose.yaml': goodRelease });
    // No API_KEY: the daemon generates one and prints the dashboard URL with it.
    daemon = await startDaemon({ env: { API_KEY: '', LOG_LEVEL: 'info' } });
    key = (await readFile(join(daemon.dataDir, 'api-key'), 'utf8')).trim();
    request = jsonClient(daemon.url, key);
    const created = await request('POST', '/api/v1/stacks', { name: stack, repo_url: repo.dir, auto_deploy: false, reconcile_interval_seconds: 0 });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    // The new stack's first look at git ends in idle; the tests start after it.
    await eventually(async () => {
      const { body } = await request('GET', `/api/v1/stacks/${stack}/transitions`);
      return body.some((t: { from: string; to: string }) => t.from === 'diffing' && t.to === 'idle');
    }, 'the first cycle of the new stack');
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await daemon?.stop();
    await cleanupStack(stack);
    await daemon?.cleanup();
    await repo?.remove();
  });

  async function openPage(url: string): Promise<{ page: Page; problems: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1680, height: 1000 } });
    const problems = await watchProblems(page);
    await page.goto(url);
    return { page, problems };
  }

  /** Ends a test's page: it must have had no page error, console error or CSP violation. */
  async function closeWithoutProblems(page: Page, problems: string[]): Promise<void> {
    assert.deepEqual(problems, []);
    await page.close();
  }

  async function openStackPage(page: Page): Promise<void> {
    await page.click(`tr[data-stack="${stack}"] a`);
    await page.waitForSelector(`[data-stack-page="${stack}"]`);
    await page.waitForSelector('[data-state-node][data-active="true"]');
    await page.waitForSelector('.live[data-live="live"]');
  }

  test('the URL printed at first start logs in through its fragment, which then leaves the address bar', async () => {
    const printed = /dashboard: (http:\/\/localhost:\d+\/#key=\S+)/.exec(daemon.output())?.[1];
    assert.ok(printed, 'the first start prints the dashboard URL with the key');
    assert.equal(new URL(printed).hash, `#key=${key}`);
    const { page, problems } = await openPage(printed);
    const row = await page.waitForSelector(`tr[data-stack="${stack}"]`);
    assert.equal(await row.getAttribute('data-state'), 'idle');
    assert.equal(await page.textContent('[data-role="whoami"]'), 'admin · admin');
    assert.ok(!page.url().includes('key='), `the key left the URL: ${page.url()}`);
    // The supervisor's figures are the daemon's.
    await page.waitForSelector('[data-figure="deploy-slots"]');
    assert.equal(await page.textContent('[data-figure="deploy-slots"] .figure-value'), '0 / 4');
    await screenshot(page, 'overview');
    await closeWithoutProblems(page, problems);
  });

  test('deploy: the highlighted state goes through fetching, diffing, deploying, verifying and back to idle', async () => {
    const { page, problems } = await openPage(`${daemon.url}/#key=${key}`);
    await openStackPage(page);
    assert.equal(await page.getAttribute('[data-state-node][data-active="true"]', 'data-state-node'), 'idle');
    const highlighted = await recordHighlightedStates(page);
    await page.click('[data-action="deploy"]');
    await page.waitForSelector('[data-state-node="deploying"][data-active="true"]');
    // The deployment shows up live while it runs (deploying lasts the 5 s monitor window).
    await page.waitForSelector('article.deployment[data-status="in_progress"]');
    await screenshot(page, 'stack-mid-deploy');
    await page.waitForSelector('article.deployment[data-status="completed"]', { timeout: 120_000 });
    await page.waitForSelector('[data-state-node="idle"][data-active="true"]');
    assert.deepEqual(await highlighted(), ['fetching', 'diffing', 'deploying', 'verifying', 'idle']);
    // The edge of the last transition lit up, and says why it was taken.
    const fired = await page.getAttribute('.edge--fired[data-edge="rollout.verifying->idle"]', 'data-last-fired');
    assert.match(fired ?? '', /step\.done/);
    assert.match(await page.textContent('[data-role="last-transition"]') ?? '', /verifying → idle on step\.done \(done: verifyRollout \[verifiedHealthy\]\)/);
    // The deployment lists its change; the containers and the timeline show the result.
    assert.match(await page.textContent('article.deployment[data-status="completed"] .changes') ?? '', /web: create/);
    await page.waitForSelector('[data-section="containers"] tr[data-container] >> text=running');
    await page.waitForSelector('[data-section="timeline"] tr[data-to="verifying"]');
    await screenshot(page, 'stack-after-deploy');
    await closeWithoutProblems(page, problems);
  });

  test('a release that fails verification shows rolling_back and the failed deployment\'s error', async () => {
    await repo.commit({ 'docker-compose.yaml': failingRelease }, 'a release whose healthcheck fails');
    // git answers are shared for a few seconds: the page opens once the daemon sees the commit.
    await eventually(async () => (await request('POST', `/api/v1/stacks/${stack}/preview`)).body.has_changes, 'the new commit to be seen');
    const { page, problems } = await openPage(`${daemon.url}/#key=${key}`);
    await openStackPage(page);
    // The preview says what the deploy would do, and why, before it is pressed.
    await page.waitForSelector('[data-section="preview"] tr[data-preview="web"]');
    assert.match(await page.textContent('[data-section="preview"] tr[data-preview="web"]') ?? '', /recreate/);
    const highlighted = await recordHighlightedStates(page);
    await page.click('[data-action="deploy"]');
    const failed = await page.waitForSelector('article.deployment[data-status="rolled_back"] [data-role="deployment-error"]', { timeout: 120_000 });
    assert.match(await failed.textContent() ?? '', /unhealthy/);
    await page.waitForSelector('[data-state-node="idle"][data-active="true"]');
    const states = await highlighted();
    assert.ok(states.includes('rolling_back'), `rolling_back was highlighted: ${states.join(' → ')}`);
    assert.deepEqual(states.slice(-2), ['rolling_back', 'idle']);
    // Opened, the deployment shows every step of the rollout and the restore.
    await page.click('article.deployment[data-status="rolled_back"] [data-action="deployment-details"]');
    await page.waitForSelector('article.deployment[data-status="rolled_back"] [data-role="steps"] tr');
    await screenshot(page, 'stack-rolled-back');
    // The rolled-back deployment's error is the API's.
    const { body } = await request('GET', `/api/v1/stacks/${stack}/deployments`);
    assert.equal(body[0].status, 'rolled_back');
    assert.ok((await failed.textContent())!.length > 0 && body[0].error_message.startsWith((await failed.textContent())!));
    await closeWithoutProblems(page, problems);
  });

  test('a viewer key sees the stack, its chart and deployments, and no operator action', async () => {
    const created = await request('POST', '/api/v1/apikeys', { name: 'dashboard viewer', role: 'viewer' });
    assert.equal(created.status, 201);
    const { page, problems } = await openPage(`${daemon.url}/#key=${created.body.key}`);
    await page.waitForSelector(`tr[data-stack="${stack}"]`);
    assert.equal(await page.textContent('[data-role="whoami"]'), 'dashboard viewer · viewer');
    await openStackPage(page);
    await page.waitForSelector('article.deployment[data-status="rolled_back"]');
    await page.waitForSelector('[data-section="drift"] .section-body >> text=checked');
    for (const action of ['deploy', 'pause', 'resume', 'rollback']) {
      assert.equal(await page.locator(`[data-action="${action}"]`).count(), 0, `a viewer gets no ${action} button`);
    }
    assert.equal(await page.locator('[data-section="preview"]').count(), 0);
    await screenshot(page, 'stack-as-viewer');
    await closeWithoutProblems(page, problems);
  });

  test('an operator rolls back to an earlier deployment; the stack stays pinned until Resume', async () => {
    const { page, problems } = await openPage(`${daemon.url}/#key=${key}`);
    await openStackPage(page);
    // A third release, deployed: the first one is now an earlier completed deployment.
    await repo.commit({ 'docker-compose.yaml': service('    environment:\n      RELEASE: "3"\n') }, 'a third release');
    await eventually(async () => (await request('POST', `/api/v1/stacks/${stack}/preview`)).body.has_changes, 'the third commit to be seen');
    await page.click('[data-action="deploy"]');
    await page.waitForFunction(() => document.querySelectorAll('article.deployment[data-status="completed"]').length === 2, undefined, { timeout: 120_000 });
    const first = (await request('GET', `/api/v1/stacks/${stack}/deployments`)).body.filter((d: { status: string }) => d.status === 'completed').at(-1);
    const button = page.locator(`[data-action="rollback"][data-deployment="${first.id}"]`);
    await button.click();
    assert.match(await button.textContent() ?? '', /Confirm rollback to/);
    await button.click();
    await page.waitForSelector('[data-role="action-result"] >> text=Rollback to');
    const rolledBack = await eventually(async () => {
      const [newest] = (await request('GET', `/api/v1/stacks/${stack}/deployments`)).body;
      return newest.trigger === 'rollback' && newest.status === 'completed' ? newest : undefined;
    }, 'the rollback to complete');
    assert.equal(rolledBack.git_commit, first.git_commit);
    // Pinned: the page offers Resume, and Resume lets the stack follow git again.
    await page.waitForSelector('[data-action="resume"]');
    await page.waitForSelector(`article.deployment[data-deployment="${rolledBack.id}"][data-status="completed"]`);
    await page.click('[data-action="resume"]');
    await page.waitForSelector('[data-action="pause"]');
    assert.equal((await request('GET', `/api/v1/stacks/${stack}`)).body.paused, false);
    await closeWithoutProblems(page, problems);
  });

  test('the login form takes a key and refuses a wrong one', async () => {
    const { page, problems } = await openPage(`${daemon.url}/`);
    await page.fill('[data-role="login"] input', 'acc_not_a_key');
    await page.click('[data-role="login"] button');
    await page.waitForSelector('[data-role="login-error"]');
    assert.match(await page.textContent('[data-role="login-error"]') ?? '', /not valid/);
    await page.fill('[data-role="login"] input', key);
    await page.click('[data-role="login"] button');
    await page.waitForSelector(`tr[data-stack="${stack}"]`);
    // The wrong key's 403 is the one console error the browser reports.
    assert.deepEqual(problems.filter((p) => !/403/.test(p)), []);
    await page.close();
  });

  test('a later start prints the dashboard URL without the key', async () => {
    assert.equal(await daemon.stop(), 0);
    const again = await startDaemon({ dataDir: daemon.dataDir, env: { API_KEY: '', LOG_LEVEL: 'info' } });
    try {
      assert.match(again.output(), /dashboard: http:\/\/localhost:\d+\/ \(log in with the key in /);
      assert.ok(!again.output().includes('#key='), 'no key in the second start\'s output');
      assert.ok(!again.output().includes(key), 'the key is not printed again');
    } finally {
      await again.stop();
    }
  });
});
