import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AcceleroError } from '../errors.ts';

// AES-256-GCM for credentials at rest (repository tokens, SSH keys, registry passwords).
// Sealed form: `v1:<base64(iv[12] | tag[16] | ciphertext)>`; the version prefix lets a later
// key rotation or algorithm change recognise old values.

export interface SecretBoxOptions {
  /** ACCELERO_ENCRYPTION_KEY: 32 bytes as base64 or hex. */
  key?: string;
  /** ACCELERO_ENCRYPTION_KEY_FILE: a file holding such a key. */
  keyFile?: string;
  /** Where the key file is generated (0600) when neither is given. */
  dataDir: string;
}

export interface SecretBox {
  encrypt(plain: string): string;
  /** Throws SecretBoxError when the value was sealed with another key or was altered. */
  decrypt(sealed: string): string;
}

export class SecretBoxError extends AcceleroError {
  constructor(message: string) {
    super(message, 'encryption_error', 500);
  }
}

export const GENERATED_KEY_FILE = 'encryption.key';
const PREFIX = 'v1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Reads a 32-byte key written as 64 hex digits or as base64; `source` names where it came from. */
export function parseKey(text: string, source: string): Buffer {
  const value = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(value)
    ? Buffer.from(value, 'hex')
    : /^[A-Za-z0-9+/_-]+={0,2}$/.test(value)
      ? Buffer.from(value, 'base64')
      : Buffer.alloc(0);
  if (key.length !== 32) {
    throw new SecretBoxError(`${source} must be 32 bytes written as base64 or 64 hex digits (generate one with: openssl rand -base64 32)`);
  }
  return key;
}

function readKeyFile(path: string, source: string): Buffer {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new SecretBoxError(`${source} ${path} cannot be read: ${(error as Error).message}`);
  }
  return parseKey(text, `${source} ${path}`);
}

/** The key file in the data directory, created with a fresh random key on first start. */
function generatedKey(dataDir: string): Buffer {
  const path = join(dataDir, GENERATED_KEY_FILE);
  mkdirSync(dataDir, { recursive: true });
  try {
    writeFileSync(path, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  // A key file readable by others is made private again rather than trusted as is.
  if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
  return readKeyFile(path, 'generated key file');
}

export function loadKey(options: SecretBoxOptions): Buffer {
  if (options.key) return parseKey(options.key, 'ACCELERO_ENCRYPTION_KEY');
  if (options.keyFile) return readKeyFile(options.keyFile, 'ACCELERO_ENCRYPTION_KEY_FILE');
  return generatedKey(options.dataDir);
}

export function isSealed(value: string): boolean {
  return value.startsWith(PREFIX);
}

export function createSecretBox(options: SecretBoxOptions): SecretBox {
  const key = loadKey(options);
  return {
    encrypt(plain) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
    },
    decrypt(sealed) {
      if (!isSealed(sealed)) throw new SecretBoxError('value is not an Accelero sealed secret (missing v1: prefix)');
      const raw = Buffer.from(sealed.slice(PREFIX.length), 'base64');
      if (raw.length < IV_BYTES + TAG_BYTES) throw new SecretBoxError('sealed secret is truncated');
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
        decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
        return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
      } catch {
        throw new SecretBoxError('sealed secret cannot be decrypted: the encryption key differs or the value was altered');
      }
    },
  };
}
