/**
 * Picks where provider secrets live: the OS keychain when one is usable, else the encrypted file in the data
 * folder — announced with a warning, because it protects less: once per data folder (a marker file there
 * remembers it was said; later starts get one info line), short, pointing to the README section that explains
 * it — else (no data folder) memory.
 * LLM_GATEWAY_SECRET_BACKEND=keychain|encrypted-file|memory forces one, strictly: a forced keychain that is not
 * usable is an error, never a quiet fallback.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EncryptedFileSecretStore, secretsFileExists } from './encrypted-file-store.ts';
import { checkKeychain, KEYCHAIN_SERVICE, KeychainSecretStore, type KeychainCheck } from './keychain-store.ts';
import { MemorySecretStore } from './memory-store.ts';
import { SECRET_BACKENDS, type SecretBackend, type SecretStore } from './secret-store.ts';
import { SECRETS_KEY_ENV } from './secrets-key.ts';

export const SECRET_BACKEND_ENV = 'LLM_GATEWAY_SECRET_BACKEND';

/** What openSecretStore logs through; a pino Logger fits. */
export interface SecretStoreLogger {
  info(message: string): void;
  warn(message: string): void;
}

export interface OpenSecretStoreOptions {
  /** The data folder (secrets.enc lives there); without one, secrets live in memory only. */
  dataDir?: string | undefined;
  /** A preference, default 'keychain'; LLM_GATEWAY_SECRET_BACKEND overrides it and is strict. */
  prefer?: SecretBackend;
  logger?: SecretStoreLogger;
  /** Where LLM_GATEWAY_SECRET_BACKEND and LLM_GATEWAY_SECRETS_KEY are read; default process.env. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Tests: the keychain service name (default 'LLM Gateway') and a stand-in for the keychain check. */
  keychainService?: string;
  checkKeychain?: () => KeychainCheck;
}

export const HOW_TO_GET_A_KEYCHAIN =
  'To keep them in an OS keychain on Linux, run the gateway in a desktop session, or give it a Secret Service: ' +
  'install gnome-keyring and dbus, then start it as `dbus-run-session -- sh -c \'printf %s "$KEYRING_PASSWORD" | ' +
  "gnome-keyring-daemon --unlock --components=secrets; npm start'`. " +
  `Or set ${SECRETS_KEY_ENV} (64 hex digits or 44 base64 characters, e.g. \`openssl rand -base64 32\`) to keep the key out of the data folder.`;

const silent: SecretStoreLogger = { info: () => undefined, warn: () => undefined };

/** Where the encrypted-file warning sends people: the README section on it (its heading's anchor). */
export const SECRETS_README_SECTION = 'README.md#where-provider-secrets-are-kept';

/** In the data folder: the encrypted-file warning was given here, and for which key (said again if that changes). */
export const SECRETS_WARNING_MARKER = 'secrets-warning-shown';

export function openSecretStore(options: OpenSecretStoreOptions = {}): SecretStore {
  const env = options.env ?? process.env;
  const logger = options.logger ?? silent;
  const service = options.keychainService ?? KEYCHAIN_SERVICE;
  const check = options.checkKeychain ?? (() => checkKeychain(service));
  const forced = forcedBackend(env);
  const { dataDir } = options;

  if (forced === 'keychain') {
    const result = check();
    if (!result.ok) {
      throw new Error(`${SECRET_BACKEND_ENV}=keychain, but no OS keychain is usable (${result.reason}). ${HOW_TO_GET_A_KEYCHAIN}`);
    }
    return keychainStore(service, logger);
  }
  // Only a logger that shows the warning may mark it as said.
  const told = options.logger !== undefined;
  if (forced === 'encrypted-file') {
    if (!dataDir) throw new Error(`${SECRET_BACKEND_ENV}=encrypted-file needs a data folder (--data-dir or LLM_GATEWAY_DATA_DIR).`);
    return fileStore(dataDir, env, logger, told, `${SECRET_BACKEND_ENV}=encrypted-file`);
  }
  if (forced === 'memory' || options.prefer === 'memory') return memoryStore(logger);

  if (options.prefer === 'encrypted-file')
    return dataDir ? fileStore(dataDir, env, logger, told, 'The encrypted-file secret store was chosen') : memoryStore(logger);

  // A folder that already holds encrypted secrets keeps using them: switching to a keychain that does not
  // have them would leave every `keychain/NAME` reference empty.
  if (dataDir && secretsFileExists(dataDir)) {
    return fileStore(dataDir, env, logger, told, 'This data folder already keeps its secrets in an encrypted file');
  }
  const result = check();
  if (result.ok) return keychainStore(service, logger);
  if (dataDir) return fileStore(dataDir, env, logger, told, `No OS keychain available (${result.reason})`);
  logger.warn(
    `No OS keychain available (${result.reason}) and no data folder: secrets set through the admin API are kept in memory and lost when the gateway stops.`,
  );
  return new MemorySecretStore();
}

function forcedBackend(env: Readonly<Record<string, string | undefined>>): SecretBackend | undefined {
  const value = env[SECRET_BACKEND_ENV]?.trim();
  if (!value) return undefined;
  if (!(SECRET_BACKENDS as readonly string[]).includes(value)) {
    throw new Error(`${SECRET_BACKEND_ENV}=${value} is not a secret backend; use one of: ${SECRET_BACKENDS.join(', ')}.`);
  }
  return value as SecretBackend;
}

function keychainStore(service: string, logger: SecretStoreLogger): SecretStore {
  logger.info(`Provider secrets are kept in the OS keychain (service "${service}").`);
  return new KeychainSecretStore(service);
}

/**
 * Opens the encrypted file and warns that it protects less than a keychain — the first time for this data folder
 * and key source; after that one info line. The how-to (a keychain on Linux, LLM_GATEWAY_SECRETS_KEY, moving
 * secrets to a keychain) is in the README section the warning names, not repeated at every start.
 */
function fileStore(dataDir: string, env: Readonly<Record<string, string | undefined>>, logger: SecretStoreLogger, told: boolean, lead: string): SecretStore {
  const store = new EncryptedFileSecretStore({ dir: dataDir, env });
  const key = store.keySource === 'env' ? `with the key from ${SECRETS_KEY_ENV}` : 'with its key beside it (secrets.key)';
  const marker = join(dataDir, SECRETS_WARNING_MARKER);
  const said = `${store.keySource}\n`;
  if (alreadySaid(marker, said)) {
    logger.info(`Provider secrets are kept in ${store.file} (encrypted ${key}; weaker than an OS keychain: ${SECRETS_README_SECTION}).`);
    return store;
  }
  logger.warn(
    `${lead}: provider secrets are kept in ${store.file}, encrypted ${key}, which protects them less than an OS keychain. See ${SECRETS_README_SECTION} (said once for this data folder).`,
  );
  if (told) {
    try {
      writeFileSync(marker, said, { mode: 0o600 });
    } catch {
      // A folder the gateway cannot write to: the warning is said again next time, which is the safe side.
    }
  }
  return store;
}

function alreadySaid(marker: string, said: string): boolean {
  try {
    return existsSync(marker) && readFileSync(marker, 'utf8') === said;
  } catch {
    return false;
  }
}

function memoryStore(logger: SecretStoreLogger): SecretStore {
  logger.warn('Provider secrets are kept in memory only: secrets set through the admin API are lost when the gateway stops.');
  return new MemorySecretStore();
}
