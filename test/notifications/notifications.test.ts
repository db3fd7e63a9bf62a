import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { maxAttempts, nextDelayMs } from '../../src/notifications/backoff.ts';
import { NotificationEvents } from '../../src/notifications/event-mapping.ts';
import { emailMessage, httpBody } from '../../src/notifications/formatters.ts';
import { channelWants } from '../../src/notifications/matching.ts';
import { redactSecrets } from '../../src/notifications/redact.ts';
import { signBody, verifySignature } from '../../src/notifications/signature.ts';
import type { NotificationPayload } from '../../src/notifications/types.ts';

const payload: NotificationPayload = {
  id: 'd-1', event: 'deployment_rolled_back', stack: { id: 's-1', name: 'shop' }, deployment_id: 'dep-1', status: 'rolled_back',
  message: 'service web exited with code 3', git_commit: '0123456789abcdef0123', at: '2026-12-04T20:00:00.000Z',
};
const at = '2026-12-04T20:00:00.000Z';

describe('notification formats', () => {
  it('gives a generic webhook the payload itself', () => {
    assert.deepEqual(JSON.parse(httpBody('webhook', payload)), payload);
  });

  it('writes Slack {text}, Discord {content} and a Teams MessageCard', () => {
    const slack = JSON.parse(httpBody('slack', payload));
    assert.deepEqual(Object.keys(slack), ['text']);
    assert.match(slack.text, /^\*shop: deployment rolled back\*\nservice web exited with code 3\ncommit 0123456789ab\n/);
    const discord = JSON.parse(httpBody('discord', payload));
    assert.deepEqual(Object.keys(discord), ['content']);
    assert.match(discord.content, /^\*\*shop: deployment rolled back\*\*/);
    const teams = JSON.parse(httpBody('teams', payload));
    assert.equal(teams['@type'], 'MessageCard');
    assert.equal(teams.title, 'shop: deployment rolled back');
    assert.match(teams.text, /deployment dep-1/);
  });

  it('writes an e-mail subject naming the stack and the event', () => {
    const mail = emailMessage(payload);
    assert.equal(mail.subject, '[accelero] shop: deployment rolled back');
    assert.match(mail.text, /service web exited with code 3/);
  });
});

describe('webhook signature', () => {
  it('is sha256=<hex HMAC of the body>, which a receiver verifies', () => {
    const body = httpBody('webhook', payload);
    const expected = `sha256=${createHmac('sha256', 'a-secret-of-16-chars').update(body).digest('hex')}`;
    assert.equal(signBody('a-secret-of-16-chars', body), expected);
    assert.equal(verifySignature('a-secret-of-16-chars', body, expected), true);
    assert.equal(verifySignature('another-secret-16ch', body, expected), false);
    assert.equal(verifySignature('a-secret-of-16-chars', `${body} `, expected), false);
    assert.equal(verifySignature('a-secret-of-16-chars', body, undefined), false);
  });
});

describe('channel matching', () => {
  it('takes the events of the channel and its stacks filter by id or name', () => {
    const shop = { id: 's-1', name: 'shop' };
    assert.equal(channelWants({ events: ['deployment_failed'], stacks: null }, 'deployment_failed', shop), true);
    assert.equal(channelWants({ events: ['deployment_failed'], stacks: null }, 'drift_detected', shop), false);
    assert.equal(channelWants({ events: ['deployment_failed'], stacks: ['shop'] }, 'deployment_failed', shop), true);
    assert.equal(channelWants({ events: ['deployment_failed'], stacks: ['s-1'] }, 'deployment_failed', shop), true);
    assert.equal(channelWants({ events: ['deployment_failed'], stacks: ['billing'] }, 'deployment_failed', shop), false);
  });
});

describe('retry backoff', () => {
  it('waits each delay in turn and gives up after the last', () => {
    const policy = { delaysMs: [1_000, 5_000, 30_000, 120_000] };
    assert.equal(maxAttempts(policy), 5);
    assert.deepEqual([1, 2, 3, 4, 5].map((n) => nextDelayMs(policy, n)), [1_000, 5_000, 30_000, 120_000, null]);
    assert.equal(nextDelayMs({ delaysMs: [] }, 1), null);
  });
});

describe('which bus events notify', () => {
  const stack = { stack_id: 's-1', stack_name: 'shop', at };
  const end = (status: string) => ({ kind: 'deployment_end' as const, ...stack, deployment_id: 'dep-1', status, message: 'why', git_commit: 'abc' });

  it('maps deployment ends by status and ignores skipped and interrupted ones', () => {
    const events = new NotificationEvents();
    assert.equal(events.factsOf(end('completed'))?.event, 'deployment_succeeded');
    assert.equal(events.factsOf(end('failed'))?.event, 'deployment_failed');
    assert.equal(events.factsOf(end('rolled_back'))?.event, 'deployment_rolled_back');
    assert.equal(events.factsOf(end('skipped')), null);
    assert.equal(events.factsOf(end('interrupted')), null);
  });

  it('notifies a stack entering failed once, not again on each retry until it recovers', () => {
    const events = new NotificationEvents();
    const transition = (from: string, to: string) => ({ kind: 'transition' as const, ...stack, from, to, event: 'step.error', deployment_id: null });
    assert.equal(events.factsOf(transition('fetching', 'failed'))?.event, 'stack_failed');
    assert.equal(events.factsOf(transition('failed', 'fetching')), null);
    assert.equal(events.factsOf(transition('fetching', 'failed')), null);
    assert.equal(events.factsOf(transition('diffing', 'idle')), null);
    assert.equal(events.factsOf(transition('fetching', 'failed'))?.event, 'stack_failed');
  });

  it('notifies drift only when it appears, not on every cycle that still sees it', () => {
    const events = new NotificationEvents();
    const drift = (has: boolean) => ({ kind: 'drift' as const, ...stack, has_drift: has, drift_count: has ? 2 : 0 });
    assert.equal(events.factsOf(drift(true))?.event, 'drift_detected');
    assert.equal(events.factsOf(drift(true)), null);
    assert.equal(events.factsOf(drift(false)), null);
    assert.equal(events.factsOf(drift(true))?.event, 'drift_detected');
  });
});

describe('error redaction', () => {
  it('leaves no URL, path token, password or secret of the channel in a message', () => {
    const message = 'failed https://hooks.slack.com/services/T0/B0/XYZ and /services/T0/B0/XYZ; auth s3cr%40t for smtp://u:s3cr%40t@mail:25, key a-secret-of-16-chars';
    const redacted = redactSecrets(message, { url: 'https://hooks.slack.com/services/T0/B0/XYZ', smtp_url: 'smtp://u:s3cr%40t@mail:25', secret: 'a-secret-of-16-chars' });
    for (const leaked of ['XYZ', 's3cr', 'a-secret-of-16-chars']) assert.doesNotMatch(redacted, new RegExp(leaked));
  });
});
