import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

// Headless Chromium (Debian's package, installed by scripts/ensure-docker.sh --test-env) driven
// by playwright-core. Playwright gives each launch a new empty profile directory; the flags keep
// Chromium from reaching for the network (this machine has none beyond loopback).

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const root = resolve(import.meta.dirname, '../..');

/** Where tests put what a person would look at (screenshots): TEST_OUTPUT_DIR or test-output/. */
export const testOutputDir = process.env.TEST_OUTPUT_DIR ?? join(root, 'test-output');

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync',
    ],
  });
}

export async function screenshot(page: Page, name: string): Promise<string> {
  const dir = join(testOutputDir, 'dashboard');
  await mkdir(dir, { recursive: true });
  const path = join(dir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Page errors, console errors and Content-Security-Policy violations, collected as they happen. */
export async function watchProblems(page: Page): Promise<string[]> {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  await page.exposeFunction('reportCspViolation', (text: string) => problems.push(`CSP: ${text}`));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      (window as unknown as { reportCspViolation(text: string): void }).reportCspViolation(`${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  return problems;
}

/**
 * Records, in order, every statechart node that becomes the highlighted one (`data-active`
 * set), from now on. A MutationObserver sees each change, however short the state lasted.
 */
export async function recordHighlightedStates(page: Page): Promise<() => Promise<string[]>> {
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { highlighted: string[] }).highlighted = seen;
    new MutationObserver((records) => {
      for (const record of records) {
        const node = record.target as Element;
        if (record.oldValue === null && node.getAttribute('data-state-node')) seen.push(node.getAttribute('data-state-node')!);
      }
    }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ['data-active'], attributeOldValue: true });
  });
  return () => page.evaluate(() => [...(window as unknown as { highlighted: string[] }).highlighted]);
}
