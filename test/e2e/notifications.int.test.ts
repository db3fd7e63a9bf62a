import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { verifySignature } from '../../src/notifications/signature.ts';
import { eventually, startDaemon, type TestDaemon } from '../support/daemon.ts';
import { cleanupStack, uniqueStackName } from '../support/docker.ts';
import { createGitRepo, type TestGitRepo } from '../support/git-repo.ts';
import { crashing, talker } from '../support/busybox-services.ts';
import { startHttpReceiver, startSmtpReceiver, type HttpReceiver, type SmtpReceiver } from '../support/notification-receivers.ts';

// Notifications through the real daemon (bin/accelero, its build) on the real engine: a release
// whose container exits 3 is rolled back, and a signed webhook and an e-mail say so; a receiver
// failing twice is tried three times; a receiver that never answers holds no deployment.

const SECRET = 'int-webhook-secret-0123456789';
// Quick retries, and a bound on each attempt far above the test's deploys: the hung receiver
// holds its first request open for all of them.
const env = { NOTIFICATION_RETRY_DELAYS: '50ms,50ms,50ms', NOTIFICATION_TIMEOUT: '10m' };

interface Delivery { event: string; status: string; attempts: number; last_error: string | null }

describe('notifications from a running daemon', () => {
  const stack = uniqueStackName('notify');
  let repo: TestGitRepo;
  let daemon: TestDaemon;
  let signed: HttpReceiver;
  let flaky: HttpReceiver;
  let hung: HttpReceiver;
  let smtp: SmtpReceiver;
  /** What the daemon printed before its restart. */
  let earlierOutput = '';

  before(async () => {
    [signed, flaky, hung, smtp] = await Promise.all([
      startHttpReceiver([200]), startHttpReceiver([500, 500, 200]), startHttpReceiver(['hang', 200]), startSmtpReceiver({ user: 'ops', password: 'mail-pass-42' }),
    ]);
    repo = await createGitRepo({ 'docker-compose.yaml': talker('notify') });
    daemon = await startDaemon({ env });
    const channels = [
      { name: 'signed', type: 'webhook', url: `${signed.url}/accelero`, secret: SECRET, stacks: [stack] },
      { name: 'flaky', type: 'slack', url: `${flaky.url}/services/T/B/token`, events: ['deployment_succeeded'] },
      { name: 'hung', type: 'discord', url: `${hung.url}/api/webhooks/1/token`, events: ['deployment_succeeded'] },
      { name: 'mail', type: 'email', smtp_url: `smtp://ops:mail-pass-42@127.0.0.1:${smtp.port}`, from: 'accelero@example.com', to: ['ops@example.com'], events: ['deployment_failed', 'deployment_rolled_back'] },
    ];
    for (const channel of channels) {
      const { status, body } = await daemon.request('POST', '/api/v1/notifications', channel);
      assert.equal(status, 201, JSON.stringify(body));
    }
    const created = await daemon.request('POST', '/api/v1/stacks', {
      name: stack, repo_url: repo.dir, compose_path: 'docker-compose.yaml', auto_deploy: false, reconcile_interval_seconds: 0,
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
  });

  after(async () => {
    await daemon?.stop();
    await cleanupStack(stack);
    await daemon?.cleanup();
    await repo?.remove();
    await Promise.all([signed?.close(), flaky?.close(), hung?.close(), smtp?.close()]);
  });

  const deploy = async () => {
    const { body } = await daemon.request('POST', `/api/v1/stacks/${stack}/deploy`);
    return eventually(async () => {
      const { body: deployment } = await daemon.request('GET', `/api/v1/stacks/${stack}/deployments/${body.deployment_id}`);
      return ['completed', 'failed', 'rolled_back', 'interrupted'].includes(deployment.status) ? deployment : undefined;
    }, `deployment ${body.deployment_id} to finish`);
  };
  const deliveries = async (channel: string) => (await daemon.request<Delivery[]>('GET', `/api/v1/notifications/${channel}/deliveries`)).body;
  /** The channel's newest delivery, once it is delivered. */
  const newestDelivered = (channel: string) => eventually(async () => {
    const [newest] = await deliveries(channel);
    return newest?.status === 'delivered' ? newest : undefined;
  }, `the ${channel} channel delivered`);

  test('a completed release reaches a receiver that answered 500 twice, on the third attempt', async () => {
    assert.equal((await deploy()).status, 'completed');
    const delivery = await newestDelivered('flaky');
    assert.deepEqual([delivery.event, delivery.attempts], ['deployment_succeeded', 3]);
    assert.equal(flaky.requests.length, 3);
    assert.match(JSON.parse(flaky.requests[2]!.body).text, new RegExp(`${stack}: deployment succeeded`));
  });

  test('a rolled-back release is sent signed to the webhook and by e-mail, while the hung receiver still holds the first one', async () => {
    await repo.commit({ 'docker-compose.yaml': crashing }, 'a release that exits 3');
    const deployment = await deploy();
    assert.equal(deployment.status, 'rolled_back', JSON.stringify(deployment));

    const request = await eventually(async () => signed.requests.find((r) => r.headers['x-accelero-event'] === 'deployment_rolled_back'), 'the signed rollback notification');
    assert.equal(request.path, '/accelero');
    assert.equal(verifySignature(SECRET, request.body, request.headers['x-accelero-signature'] as string), true, 'HMAC-SHA256 of the body');
    const payload = JSON.parse(request.body);
    assert.equal(request.headers['x-accelero-delivery'], payload.id);
    assert.deepEqual([payload.stack.name, payload.deployment_id, payload.status, payload.git_commit], [stack, deployment.id, 'rolled_back', await repo.git('rev-parse', 'HEAD')]);

    const mail = await eventually(async () => smtp.mails.find((m) => /rolled back/.test(m.raw)), 'the rollback e-mail');
    assert.deepEqual([mail.from, mail.to, mail.user], ['accelero@example.com', ['ops@example.com'], 'ops']);
    assert.match(mail.raw, new RegExp(`Subject: \\[accelero\\] ${stack}: deployment rolled back`));

    // The hung receiver got the first release's notification and never answered: both
    // deployments ended meanwhile, and its delivery is still on its first attempt.
    assert.equal(hung.requests.length, 1);
    const [held] = await deliveries('hung');
    assert.deepEqual([held!.status, held!.attempts], ['pending', 0]);
  });

  test('the delivery a stop cut off is sent by the next start', async () => {
    earlierOutput = daemon.output();
    assert.equal(await daemon.stop(), 0);
    daemon = await startDaemon({ dataDir: daemon.dataDir, env });
    const held = await newestDelivered('hung');
    assert.deepEqual([held.event, held.attempts], ['deployment_succeeded', 1]);
    assert.equal(hung.requests.length, 2);
    assert.equal(hung.requests[1]!.body, hung.requests[0]!.body, 'the same payload');
    assert.match(daemon.output(), /resuming 1 pending notification deliveries/);
  });

  test('no channel credential is in an answer or in the logs of either start', async () => {
    const answers = JSON.stringify((await daemon.request('GET', '/api/v1/notifications')).body);
    for (const leaked of [SECRET, 'mail-pass-42', '/services/T/B/token', '/api/webhooks/1/token']) {
      assert.equal(answers.includes(leaked), false, leaked);
      assert.equal((earlierOutput + daemon.output()).includes(leaked), false, leaked);
    }
  });
});
