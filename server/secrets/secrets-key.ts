/**
 * The 256-bit key of the encrypted-file store: from LLM_GATEWAY_SECRETS_KEY when set, else from `secrets.key`
 * beside the encrypted file, generated once.
 *
 * Why the key file is weaker than a keychain: anyone who can read the data folder can read both the key and
 * the data, so it does not protect against an attacker running as the same user. Why it still beats
 * plaintext: the secrets never sit readable in config.yaml, an export, a copied or backed-up config, a
 * support bundle or a screen share; a stray read of one file (secrets.enc alone) reveals nothing. Setting
 * LLM_GATEWAY_SECRETS_KEY (from a secret manager, a systemd credential, …) keeps the key out of the folder.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../core/atomic-write.ts';

export const SECRETS_KEY_ENV = 'LLM_GATEWAY_SECRETS_KEY';
export const SECRETS_KEY_FILE = 'secrets.key';
export const KEY_BYTES = 32;

export interface SecretsKey {
  key: Buffer;
  /** Where the key came from, for the startup warning and error messages. */
  source: 'env' | 'file';
  /** The key file, when source is 'file'. */
  file?: string;
}

export class SecretsKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretsKeyError';
  }
}

const HEX_KEY = /^[0-9a-fA-F]{64}$/;
const BASE64_KEY = /^[A-Za-z0-9+/_-]{43}=?$/;

/** Decodes a 256-bit key written as 64 hex digits or 44 base64 characters. The error never repeats the text. */
export function parseSecretsKey(text: string, where: string): Buffer {
  const value = text.trim();
  const key = HEX_KEY.test(value) ? Buffer.from(value, 'hex') : BASE64_KEY.test(value) ? Buffer.from(value, 'base64') : undefined;
  if (key === undefined || key.length !== KEY_BYTES) {
    throw new SecretsKeyError(`${where} is not a 256-bit key: it must be 64 hex digits or 44 base64 characters (make one with \`openssl rand -base64 32\`).`);
  }
  return key;
}

/** The key from the environment, or undefined when LLM_GATEWAY_SECRETS_KEY is not set. Throws when it is malformed. */
export function keyFromEnv(env: Readonly<Record<string, string | undefined>>): SecretsKey | undefined {
  const text = env[SECRETS_KEY_ENV];
  if (text === undefined || text.trim() === '') return undefined;
  return { key: parseSecretsKey(text, `The environment variable ${SECRETS_KEY_ENV}`), source: 'env' };
}

/** Reads `dir/secrets.key`; undefined when it does not exist. */
export function readKeyFile(dir: string): SecretsKey | undefined {
  const file = join(dir, SECRETS_KEY_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new SecretsKeyError(`The secrets key file ${file} cannot be read: ${(error as Error).message}`);
  }
  return { key: parseSecretsKey(text, `The secrets key file ${file}`), source: 'file', file };
}

/**
 * Writes a fresh random key to `dir/secrets.key` (0600) unless one appeared meanwhile; returns the key in
 * the file either way, so two processes starting together agree on one key.
 */
export function createKeyFile(dir: string): SecretsKey {
  const file = join(dir, SECRETS_KEY_FILE);
  const text = `${randomBytes(KEY_BYTES).toString('base64')}\n`;
  writeFileAtomic(file, text, { mode: 0o600, overwrite: false });
  const written = readKeyFile(dir);
  if (!written) throw new SecretsKeyError(`The secrets key file ${file} vanished right after it was written.`);
  return written;
}
