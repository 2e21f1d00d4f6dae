/**
 * Where the reconciliation log's key comes from on Node (docs/privacy.md): LOG_CHECKPOINT_KEY itself,
 * or the file LOG_CHECKPOINT_KEY_FILE names (hex or base64, at least 32 bytes). In sandbox mode, with
 * neither set, a key file is kept next to the SQLite file (`<DB_PATH>.log-key`, mode 0600), made at the
 * first start, so a start with no configuration still anchors its log. Outside sandbox mode with no
 * key, nothing is anchored and the start says so.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { bytesToHex } from '@noble/hashes/utils.js';
import { type Config, ConfigError, decodeKeyText } from '../../../schemas/config.js';
import { type LogKey, logKeyFrom } from '../../reconciliation/log.js';

export interface LoadedLogKey {
  key: LogKey;
  /** Where it came from: the variable, the configured file, or the sandbox key file. */
  source: 'LOG_CHECKPOINT_KEY' | 'LOG_CHECKPOINT_KEY_FILE' | 'sandbox key file';
  path?: string;
  /** True when this call made the sandbox key file. */
  created: boolean;
}

/** The sandbox key file of a database. */
export function sandboxKeyPath(dbPath: string): string {
  return `${dbPath}.log-key`;
}

function readKeyFile(path: string, name: string): LogKey {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError([`${name}: cannot read the key file ${path}: ${(error as Error).message}`]);
  }
  const bytes = decodeKeyText(text);
  if (typeof bytes === 'string') throw new ConfigError([`${name}: the key in ${path} ${bytes}`]);
  return logKeyFrom(bytes);
}

/** Makes the sandbox key file unless another process just did; false when it was already there. */
function createKeyFile(path: string): boolean {
  mkdirSync(dirname(path), { recursive: true });
  const key = bytesToHex(crypto.getRandomValues(new Uint8Array(32)));
  try {
    writeFileSync(path, `${key}\n`, { mode: 0o600, flag: 'wx' });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/**
 * The configured key; in sandbox mode the sandbox key file, made when `create` is set and it is
 * missing. Undefined when there is none. Throws ConfigError when a key file cannot be used.
 */
export function loadLogKey(config: Config, o: { create: boolean }): LoadedLogKey | undefined {
  const { key, keyFile } = config.logAnchor;
  if (key) return { key: logKeyFrom(key), source: 'LOG_CHECKPOINT_KEY', created: false };
  if (keyFile) {
    const loaded = readKeyFile(keyFile, 'LOG_CHECKPOINT_KEY_FILE');
    return { key: loaded, source: 'LOG_CHECKPOINT_KEY_FILE', path: keyFile, created: false };
  }
  if (!config.sandbox) return undefined;
  const path = sandboxKeyPath(config.dbPath);
  let created = false;
  if (!existsSync(path)) {
    if (!o.create) return undefined;
    created = createKeyFile(path);
  }
  return { key: readKeyFile(path, 'sandbox key file'), source: 'sandbox key file', path, created };
}
