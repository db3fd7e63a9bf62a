import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createSecretBox, GENERATED_KEY_FILE, SecretBoxError } from '../../src/secrets/index.ts';

describe('secret box', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'accelero-secrets-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  const hexKey = randomBytes(32).toString('hex');

  it('decrypts what it encrypted', () => {
    const box = createSecretBox({ key: hexKey, dataDir: dir });
    assert.equal(box.decrypt(box.encrypt('ghp_token-ü-1234')), 'ghp_token-ü-1234');
  });

  it('never contains the plaintext in the sealed value', () => {
    const box = createSecretBox({ key: hexKey, dataDir: dir });
    const sealed = box.encrypt('plain-secret-value');
    assert.ok(!sealed.includes('plain-secret-value'));
    assert.ok(!Buffer.from(sealed.slice(3), 'base64').toString('latin1').includes('plain-secret-value'));
  });

  it('seals the same plaintext differently each time (random IV)', () => {
    const box = createSecretBox({ key: hexKey, dataDir: dir });
    assert.notEqual(box.encrypt('same'), box.encrypt('same'));
  });

  it('accepts a base64 key equal to the same hex key', () => {
    const raw = randomBytes(32);
    const sealed = createSecretBox({ key: raw.toString('base64'), dataDir: dir }).encrypt('x-value');
    assert.equal(createSecretBox({ key: raw.toString('hex'), dataDir: dir }).decrypt(sealed), 'x-value');
  });

  it('refuses a key that is not 32 bytes, naming the variable', () => {
    assert.throws(() => createSecretBox({ key: 'too-short', dataDir: dir }), (error: unknown) =>
      error instanceof SecretBoxError && /ACCELERO_ENCRYPTION_KEY/.test(error.message));
  });

  it('fails with SecretBoxError when decrypting with another key', () => {
    const sealed = createSecretBox({ key: hexKey, dataDir: dir }).encrypt('secret');
    const other = createSecretBox({ key: randomBytes(32).toString('hex'), dataDir: dir });
    assert.throws(() => other.decrypt(sealed), SecretBoxError);
  });

  it('fails with SecretBoxError when the sealed value was altered', () => {
    const box = createSecretBox({ key: hexKey, dataDir: dir });
    const raw = Buffer.from(box.encrypt('secret').slice(3), 'base64');
    raw[raw.length - 1] ^= 1;
    assert.throws(() => box.decrypt(`v1:${raw.toString('base64')}`), SecretBoxError);
  });

  it('reads the key from ACCELERO_ENCRYPTION_KEY_FILE', async () => {
    const keyFile = join(dir, 'given.key');
    await writeFile(keyFile, `${hexKey}\n`);
    const sealed = createSecretBox({ keyFile, dataDir: dir }).encrypt('from-file');
    assert.equal(createSecretBox({ key: hexKey, dataDir: dir }).decrypt(sealed), 'from-file');
  });

  it('generates a 0600 key file in the data directory on first start and reuses it afterwards', async () => {
    const dataDir = join(dir, 'fresh');
    const sealed = createSecretBox({ dataDir }).encrypt('persisted');
    const file = join(dataDir, GENERATED_KEY_FILE);
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    assert.equal(createSecretBox({ dataDir }).decrypt(sealed), 'persisted');
    assert.equal(Buffer.from((await readFile(file, 'utf8')).trim(), 'base64').length, 32);
  });
});
