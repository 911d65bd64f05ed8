/**
 * The fallback where no OS keychain exists (headless Linux): every secret in one AES-256-GCM encrypted file,
 * `secrets.enc` (0600) in the data folder, rewritten atomically (temp file + rename) on every change. Weaker
 * than a keychain when the key sits beside it (see secrets-key.ts), so the store says so (`weakerProtection`)
 * and openSecretStore warns loudly — but never plaintext.
 *
 * One encrypted blob rather than one ciphertext per name: GCM then authenticates the whole set, so an entry
 * cannot be swapped to another name, dropped or rolled back on its own without the file failing to decrypt;
 * the names stay private too; and since the file is rewritten whole anyway, per-entry ciphertexts would save
 * nothing. Each write uses a fresh random IV, so a key is never used twice with one IV.
 *
 * A file that does not decrypt (wrong key, tampering, truncation) is an error naming the file, at open and on
 * every later call, and is never overwritten: a write always starts by reading the current file.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../core/atomic-write.ts';
import { assertSecretName, assertSecretValue, type SecretStore } from './secret-store.ts';
import { createKeyFile, keyFromEnv, readKeyFile, SECRETS_KEY_ENV, type SecretsKey } from './secrets-key.ts';

export const SECRETS_FILE = 'secrets.enc';

const FORMAT = 'llm-gateway-secrets';
const VERSION = 1;
const CIPHER = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** The header is bound into the tag, so format, version and cipher cannot be altered either. */
const AAD = Buffer.from(`${FORMAT}:${VERSION}:${CIPHER}`);

interface SecretsFile {
  format: typeof FORMAT;
  version: number;
  cipher: typeof CIPHER;
  iv: string;
  tag: string;
  ciphertext: string;
}

export class SecretsFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretsFileError';
  }
}

export interface EncryptedFileStoreOptions {
  /** The data folder holding secrets.enc (and secrets.key unless the key comes from the environment). */
  dir: string;
  /** Where LLM_GATEWAY_SECRETS_KEY is read; default process.env. */
  env?: Readonly<Record<string, string | undefined>>;
}

export class EncryptedFileSecretStore implements SecretStore {
  readonly backend = 'encrypted-file' as const;
  readonly weakerProtection = true;
  readonly file: string;
  readonly #dir: string;
  #key: SecretsKey | undefined;

  /** Throws at once when the key is malformed or an existing file does not decrypt, so a bad setup fails at start. */
  constructor(options: EncryptedFileStoreOptions) {
    this.#dir = options.dir;
    this.file = join(options.dir, SECRETS_FILE);
    this.#key = keyFromEnv(options.env ?? process.env) ?? readKeyFile(options.dir);
    this.#read();
  }

  /** Where the key comes from: 'env' (LLM_GATEWAY_SECRETS_KEY) or 'file' (secrets.key beside the data, the weaker case). */
  get keySource(): 'env' | 'file' {
    return this.#key?.source ?? 'file';
  }

  get(name: string): string | undefined {
    assertSecretName(name);
    return this.#read().get(name);
  }

  set(name: string, value: string): void {
    assertSecretName(name);
    assertSecretValue(name, value);
    const secrets = this.#read();
    secrets.set(name, value);
    this.#write(secrets);
  }

  delete(name: string): boolean {
    assertSecretName(name);
    const secrets = this.#read();
    if (!secrets.delete(name)) return false;
    this.#write(secrets);
    return true;
  }

  list(): string[] {
    return [...this.#read().keys()].sort();
  }

  // Read on every call rather than cached: the file is small, reads happen at config load and on admin calls,
  // and another process (the desktop app beside a CLI) may have changed it.
  #read(): Map<string, string> {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
      throw new SecretsFileError(`The secrets file ${this.file} cannot be read: ${(error as Error).message}`);
    }
    const key = this.#key;
    if (!key) {
      // Generating a new key now would make the file unreadable for good; say what is missing instead.
      throw new SecretsFileError(
        `The secrets file ${this.file} exists but its key does not: ${join(this.#dir, 'secrets.key')} is missing and ${SECRETS_KEY_ENV} is not set. ` +
          'Restore the key file (or set the variable to the key), or move secrets.enc away to start with no secrets. The file was left untouched.',
      );
    }
    return decryptSecrets(text, key, this.file);
  }

  #write(secrets: Map<string, string>): void {
    mkdirSync(this.#dir, { recursive: true, mode: 0o700 });
    this.#key ??= createKeyFile(this.#dir);
    writeFileAtomic(this.file, `${JSON.stringify(encryptSecrets(secrets, this.#key.key), null, 2)}\n`, { mode: 0o600 });
  }
}

function encryptSecrets(secrets: Map<string, string>, key: Buffer): SecretsFile {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(CIPHER, key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(AAD);
  const plaintext = Buffer.from(JSON.stringify({ secrets: Object.fromEntries(secrets) }), 'utf8');
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return {
    format: FORMAT,
    version: VERSION,
    cipher: CIPHER,
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    ciphertext: ciphertext.toString('base64'),
  };
}

function decryptSecrets(text: string, key: SecretsKey, file: string): Map<string, string> {
  const untouched = 'The file was left untouched; restore it from a backup, or move it away to start with no secrets.';
  const parsed = parseSecretsFile(text);
  if (typeof parsed === 'string') throw new SecretsFileError(`The secrets file ${file} is not readable: ${parsed}. ${untouched}`);

  let plaintext: Buffer;
  try {
    const decipher = createDecipheriv(CIPHER, key.key, Buffer.from(parsed.iv, 'base64'), { authTagLength: TAG_BYTES });
    decipher.setAAD(AAD);
    decipher.setAuthTag(Buffer.from(parsed.tag, 'base64'));
    plaintext = Buffer.concat([decipher.update(Buffer.from(parsed.ciphertext, 'base64')), decipher.final()]);
  } catch {
    const keyName = key.source === 'env' ? `the key in ${SECRETS_KEY_ENV}` : `the key in ${key.file}`;
    throw new SecretsFileError(
      `The secrets file ${file} cannot be decrypted: ${keyName} is not the one it was written with, or the file was modified or damaged. ${untouched}`,
    );
  }

  let secrets: unknown;
  try {
    secrets = (JSON.parse(plaintext.toString('utf8')) as { secrets?: unknown }).secrets;
  } catch {
    // JSON.parse's message quotes the text around the fault, which here is secret: say nothing of it.
    throw new SecretsFileError(`The secrets file ${file} decrypts, but not to a list of secrets. ${untouched}`);
  }
  const map = new Map<string, string>();
  if (secrets !== null && typeof secrets === 'object') {
    for (const [name, value] of Object.entries(secrets)) if (typeof value === 'string') map.set(name, value);
  }
  return map;
}

/** The parsed envelope, or what is wrong with it. */
function parseSecretsFile(text: string): SecretsFile | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'it is not JSON (damaged or truncated?)';
  }
  const file = value as Partial<SecretsFile> | null;
  if (file === null || typeof file !== 'object' || file.format !== FORMAT) return `it is not an ${FORMAT} file`;
  if (file.version !== VERSION) return `it has format version ${String(file.version)}, and this gateway reads version ${VERSION} (written by a newer gateway?)`;
  if (file.cipher !== CIPHER || typeof file.iv !== 'string' || typeof file.tag !== 'string' || typeof file.ciphertext !== 'string') {
    return 'its cipher, iv, tag or ciphertext field is missing or wrong';
  }
  if (Buffer.from(file.tag, 'base64').length !== TAG_BYTES || Buffer.from(file.iv, 'base64').length !== IV_BYTES) {
    return 'its iv or tag has the wrong length';
  }
  return file as SecretsFile;
}

/** True when the data folder already holds a secrets file (the choice of backend must then not strand it). */
export function secretsFileExists(dir: string): boolean {
  return existsSync(join(dir, SECRETS_FILE));
}
