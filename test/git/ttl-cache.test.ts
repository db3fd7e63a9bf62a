import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TtlPromiseCache } from '../../src/git/ls-remote.ts';

function clockedCache(ttlMs: number) {
  const clock = { now: 1_000 };
  const cache = new TtlPromiseCache<number>({ ttlMs, now: () => clock.now });
  let calls = 0;
  const load = () => Promise.resolve(++calls);
  return { clock, cache, load, calls: () => calls };
}

describe('TtlPromiseCache', () => {
  it('shares one in-flight call between concurrent callers', async () => {
    const { cache, load, calls } = clockedCache(1_000);
    const results = await Promise.all([cache.get('k', load), cache.get('k', load), cache.get('k', load)]);
    assert.deepEqual(results, [1, 1, 1]);
    assert.equal(calls(), 1);
  });

  it('serves the settled answer until the lifetime has passed', async () => {
    const { clock, cache, load } = clockedCache(1_000);
    await cache.get('k', load);
    clock.now += 999;
    assert.equal(await cache.get('k', load), 1);
    clock.now += 1;
    assert.equal(await cache.get('k', load), 2);
  });

  it('refuses an answer started before refreshAfter', async () => {
    const { clock, cache, load } = clockedCache(60_000);
    await cache.get('k', load);
    clock.now += 5;
    assert.equal(await cache.get('k', load, clock.now), 2);
    assert.equal(await cache.get('k', load, clock.now), 2);
  });

  it('remembers a failure for the lifetime too, so a wrong token is tried once per cycle', async () => {
    const cache = new TtlPromiseCache<number>({ ttlMs: 60_000 });
    let calls = 0;
    const failing = () => Promise.reject(new Error(`fail ${++calls}`));
    await assert.rejects(cache.get('k', failing), /fail 1/);
    await assert.rejects(cache.get('k', failing), /fail 1/);
    assert.equal(calls, 1);
  });

  it('drops expired answers once many keys have piled up', async () => {
    const { clock, cache, load } = clockedCache(1_000);
    for (let i = 0; i < 300; i += 1) await cache.get(`k${i}`, load);
    clock.now += 1_000;
    await cache.get('fresh', load);
    assert.equal(cache.size, 1);
  });
});
