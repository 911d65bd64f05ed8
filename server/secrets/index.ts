/** Public API of the secrets module: one SecretStore over the OS keychain, an encrypted file, or memory. */
export {
  assertSecretName,
  isValidSecretName,
  SECRET_BACKENDS,
  SECRET_NAME_PATTERN,
  SecretNameError,
  type SecretBackend,
  type SecretStore,
} from './secret-store.ts';
export { checkKeychain, KEYCHAIN_SERVICE, KeychainError, KeychainSecretStore, probeKeychain, type KeychainCheck } from './keychain-store.ts';
export { EncryptedFileSecretStore, SECRETS_FILE, SecretsFileError } from './encrypted-file-store.ts';
export { SECRETS_KEY_ENV, SECRETS_KEY_FILE, SecretsKeyError } from './secrets-key.ts';
export { MemorySecretStore } from './memory-store.ts';
export { HOW_TO_GET_A_KEYCHAIN, openSecretStore, SECRET_BACKEND_ENV, type OpenSecretStoreOptions, type SecretStoreLogger } from './open-secret-store.ts';
export { KEYCHAIN_PREFIX, secretResolvers } from './secret-resolvers.ts';
