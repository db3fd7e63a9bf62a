import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestApi, type TestApi } from '../support/api-app.ts';
import { quickly } from '../support/eventually.ts';
import { createStack } from './helpers.ts';

// An SSE client that goes away at any moment (before the stack lookup ends, before the first
// event, after it) leaves no subscription and no heartbeat timer behind.

const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;

describe('event stream clients that disconnect', () => {
  let api: TestApi;

  before(async () => {
    api = await startTestApi();
    await createStack(api, 'sse-leak');
  });

  after(async () => {
    await api?.close();
  });

  test('leave no listener or timer behind, whenever they go', async () => {
    const baseline = timers();
    // The notification dispatcher listens on the bus for the daemon's whole life.
    const listeners = api.core.bus.listenerCount();
    const find = api.core.stores.stacks.find.bind(api.core.stores.stacks);
    let releaseLookups!: () => void;
    const lookupsHeld = new Promise<void>((resolve) => { releaseLookups = resolve; });
    // The stack lookup waits until the clients that asked for it have gone.
    api.core.stores.stacks.find = async (idOrName: string) => {
      if (idOrName === 'sse-leak') await lookupsHeld;
      return find(idOrName);
    };
    const clients = Array.from({ length: 30 }, async (_, i) => {
      const abort = new AbortController();
      const response = fetch(`${api.url}/api/v1/events${i % 3 === 0 ? '?stack=sse-leak' : ''}`, { headers: { 'x-api-key': api.apiKey }, signal: abort.signal });
      if (i % 3 === 0) setTimeout(() => abort.abort(), 5);
      else {
        const answer = await response;
        if (i % 3 === 2) await answer.body!.getReader().read(); // the hello event
        abort.abort();
      }
      await response.catch(() => undefined);
    });
    await Promise.all(clients);
    releaseLookups();
    // A heartbeat left behind per client would be up to 20 timers; the HTTP client's own
    // keep-alive accounts for one or two.
    await quickly(async () => api.core.bus.listenerCount() === listeners && timers() <= baseline + 2, 'listeners and timers to go')
      .catch((error: Error) => { throw new Error(`${error.message}: ${api.core.bus.listenerCount()} listeners (${listeners} before), ${timers()} timers (${baseline} before)`); });
    assert.equal(api.core.bus.listenerCount(), listeners);
  });
});
