import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadComposeProject } from '../../src/compose/index.ts';
import { FIXTURES } from './helpers.ts';

test('loads the web + db fixture with create options the Docker layer can send', async () => {
  const project = await loadComposeProject({ projectDir: `${FIXTURES}web-db-cache`, environment: {} });
  const web = project.services.web;
  assert.equal(project.name, 'demo_app');
  assert.equal(web.create.Config.Image, 'nginx:1.27');
  assert.deepEqual(web.create.Config.Env, ['BARE', 'DB_URL=postgres://db/shop']);
  assert.deepEqual(web.create.HostConfig.NetworkMode, 'demo_app_default');
  assert.equal(web.replicas, 2);
  assert.equal(web.updateConfig.order, 'start-first');
  assert.match(web.configHash, /^[0-9a-f]{64}$/);
});
