import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadComposeProjectSync } from '../../src/compose/load.ts';
import { ComposeError } from '../../src/errors.ts';
import { FIXTURES, seededRandom, temporaryDir } from './helpers.ts';

const PIECES = [': ', '- ', '{}', '[]', 'null', '~', '1', '-1', 'true', '"x"', '${X}', '${', '$$', '\n  - ', '\n    x: 1', ' #', ':', '0755', '99999999', '', 'a=b', '/x', './y:/z', 'x:y:z:w', '[a, b]', '{a: 1}'];

test('a damaged fixture loads or fails with a ComposeError, never with a crash', () => {
  const names = readdirSync(FIXTURES).filter((name) => existsSync(`${FIXTURES}${name}/compose.yaml`));
  const dir = temporaryDir('accelero-damaged-');
  const random = seededRandom(7);
  for (let round = 0; round < 200; round++) {
    const name = names[random(names.length)];
    cpSync(`${FIXTURES}${name}`, dir, { recursive: true });
    const lines = readFileSync(`${FIXTURES}${name}/compose.yaml`, 'utf8').split('\n');
    const at = random(lines.length);
    lines[at] = lines[at].slice(0, random(lines[at].length + 1)) + PIECES[random(PIECES.length)];
    writeFileSync(join(dir, 'compose.yaml'), lines.join('\n'));
    try {
      loadComposeProjectSync({ projectDir: dir, projectName: 'p', environment: { X: 'x', POSTGRES_PASSWORD: 'p', ELASTIC_VERSION: '8' } });
    } catch (error) {
      assert.ok(error instanceof ComposeError, `${name}, line ${at + 1} "${lines[at]}": ${(error as Error).stack}`);
    }
  }
});
