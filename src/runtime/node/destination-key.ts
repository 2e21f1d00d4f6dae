/**
 * The key that seals departmental destinations' credentials on Node (docs/departments.md, Credentials):
 * DESTINATION_SECRET_KEY itself, or the file DESTINATION_SECRET_KEY_FILE names (32 bytes, hex or
 * base64). In sandbox mode, with neither set, a key file is kept next to the SQLite file
 * (`<DB_PATH>.secret-key`, mode 0600), made at the first start, like the log's key (`log-key.ts`).
 * Sealing is AES-256-GCM (node:crypto) with a random 96-bit nonce per value:
 * `v1.<nonce>.<tag>.<ciphertext>`, each part base64url.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { type Config, ConfigError, decodeSecretKey } from '../../../schemas/config.js';
import type { SecretBox } from '../../departments/secret-box.js';

const PREFIX = 'v1.';
/** Binds a sealed value to its use: a value sealed for something else under the same key does not open. */
const AAD = Buffer.from('lienthong destination credentials v1', 'utf8');

/** An AES-256-GCM box over a 32-byte key. */
export function secretBoxFrom(key: Uint8Array): SecretBox {
  if (key.length !== 32) throw new Error('the destination secret key must hold 32 bytes');
  const k = Buffer.from(key);
  return {
    seal(plain) {
      const nonce = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', k, nonce).setAAD(AAD);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      const parts = [nonce, cipher.getAuthTag(), body].map((b) => b.toString('base64url'));
      return `${PREFIX}${parts.join('.')}`;
    },
    open(sealed) {
      const parts = sealed.startsWith(PREFIX) ? sealed.slice(PREFIX.length).split('.') : [];
      if (parts.length !== 3) throw new Error('not a sealed value');
      const [nonce, tag, body] = parts.map((p) => Buffer.from(p, 'base64url')) as [Buffer, Buffer, Buffer];
      const decipher = createDecipheriv('aes-256-gcm', k, nonce).setAAD(AAD);
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
    },
    isSealed: (stored) => stored.startsWith(PREFIX) && stored.split('.').length === 4,
  };
}

export interface LoadedSecretKey {
  box: SecretBox;
  source: 'DESTINATION_SECRET_KEY' | 'DESTINATION_SECRET_KEY_FILE' | 'sandbox key file';
  path?: string;
  /** True when this call made the sandbox key file. */
  created: boolean;
}

/** The sandbox key file of a database. */
export function sandboxSecretKeyPath(dbPath: string): string {
  return `${dbPath}.secret-key`;
}

function readKeyFile(path: string, name: string): SecretBox {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError([`${name}: cannot read the key file ${path}: ${(error as Error).message}`]);
  }
  const bytes = decodeSecretKey(text);
  if (typeof bytes === 'string') throw new ConfigError([`${name}: the key in ${path} ${bytes}`]);
  return secretBoxFrom(bytes);
}

function createKeyFile(path: string): boolean {
  mkdirSync(dirname(path), { recursive: true });
  try {
    writeFileSync(path, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/**
 * The configured key; in sandbox mode the sandbox key file, made when `create` is set and it is missing.
 * Undefined when there is none. Throws ConfigError when a key file cannot be used.
 */
export function loadSecretKey(config: Config, o: { create: boolean }): LoadedSecretKey | undefined {
  const { key, keyFile } = config.destinationSecrets;
  if (key) return { box: secretBoxFrom(key), source: 'DESTINATION_SECRET_KEY', created: false };
  if (keyFile) {
    const box = readKeyFile(keyFile, 'DESTINATION_SECRET_KEY_FILE');
    return { box, source: 'DESTINATION_SECRET_KEY_FILE', path: keyFile, created: false };
  }
  if (!config.sandbox) return undefined;
  const path = sandboxSecretKeyPath(config.dbPath);
  let created = false;
  if (!existsSync(path)) {
    if (!o.create) return undefined;
    created = createKeyFile(path);
  }
  return { box: readKeyFile(path, 'sandbox key file'), source: 'sandbox key file', path, created };
}
