import { test } from 'node:test';
import assert from 'node:assert/strict';
import { composeLoader, loadComposeProject } from '../../src/compose/index.ts';
import { FIXTURES } from './helpers.ts';

test('loads the web + db + cache fixture with create options the Docker layer can send', async () => {
  const project = await loadComposeProject({ projectDir: `${FIXTURES}web-db-cache`, environment: {} });
  const web = project.services.web;
  assert.equal(project.name, 'shop');
  assert.equal(web.create.Config.Image, 'ghcr.io/example/shop:2.4.1');
  assert.deepEqual(web.create.Config.Env, ['DATABASE_URL=postgres://shop:s3cr3t@db:5432/shop', 'DEBUG=false', 'REDIS_URL=redis://cache:6379/0', 'SECRET_KEY']);
  assert.equal(web.create.HostConfig.NetworkMode, 'shop_default');
  assert.deepEqual(web.dependsOn.db, { condition: 'service_healthy', required: true, restart: false });
  assert.match(web.configHash, /^[0-9a-f]{64}$/);
});

test('composeLoader implements the ComposeLoader seam', async () => {
  const project = await composeLoader.load({ projectDir: `${FIXTURES}web-db-cache`, environment: {}, projectName: 'stack-a' });
  assert.equal(project.name, 'stack-a');
  assert.equal(project.volumes.pgdata.name, 'stack-a_pgdata');
});

test('the project records the absolute compose file and working directory', async () => {
  const project = await loadComposeProject({ projectDir: `${FIXTURES}web-db-cache`, environment: {} });
  assert.equal(project.composeFile, `${FIXTURES}web-db-cache/compose.yaml`);
  assert.equal(project.workingDir, `${FIXTURES}web-db-cache`);
});
