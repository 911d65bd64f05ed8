/**
 * Picks where provider secrets live: the OS keychain when one is usable, else the encrypted file in the data
 * folder — announced with a loud warning, because it protects less — else (no data folder) memory.
 * LLM_GATEWAY_SECRET_BACKEND=keychain|encrypted-file|memory forces one, strictly: a forced keychain that is not
 * usable is an error, never a quiet fallback.
 */
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
  if (forced === 'encrypted-file') {
    if (!dataDir) throw new Error(`${SECRET_BACKEND_ENV}=encrypted-file needs a data folder (--data-dir or LLM_GATEWAY_DATA_DIR).`);
    return fileStore(dataDir, env, logger, `${SECRET_BACKEND_ENV}=encrypted-file`);
  }
  if (forced === 'memory' || options.prefer === 'memory') return memoryStore(logger);

  if (options.prefer === 'encrypted-file') return dataDir ? fileStore(dataDir, env, logger, 'The encrypted-file secret store was chosen') : memoryStore(logger);

  // A folder that already holds encrypted secrets keeps using them: switching to a keychain that does not
  // have them would leave every `keychain/NAME` reference empty.
  if (dataDir && secretsFileExists(dataDir)) {
    return fileStore(
      dataDir,
      env,
      logger,
      'This data folder already keeps its secrets in an encrypted file',
      `To move them to the OS keychain, start with ${SECRET_BACKEND_ENV}=keychain, set each secret again, then delete the file.`,
    );
  }
  const result = check();
  if (result.ok) return keychainStore(service, logger);
  if (dataDir) return fileStore(dataDir, env, logger, 'No OS keychain available', `(The keychain check said: ${result.reason}.)`);
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

/** Opens the encrypted file and says loudly that it protects less than a keychain, and how to get one. */
function fileStore(dataDir: string, env: Readonly<Record<string, string | undefined>>, logger: SecretStoreLogger, lead: string, detail?: string): SecretStore {
  const store = new EncryptedFileSecretStore({ dir: dataDir, env });
  const key =
    store.keySource === 'env'
      ? `encrypted with the key from ${SECRETS_KEY_ENV}`
      : 'encrypted with a key stored beside it (secrets.key), so anyone who can read that folder can read them';
  logger.warn(`${lead}: provider secrets are kept in ${store.file}, ${key}. ${detail ? `${detail} ` : ''}${HOW_TO_GET_A_KEYCHAIN}`);
  return store;
}

function memoryStore(logger: SecretStoreLogger): SecretStore {
  logger.warn('Provider secrets are kept in memory only: secrets set through the admin API are lost when the gateway stops.');
  return new MemorySecretStore();
}
