/**
 * One interface for every place provider secrets can live: the OS keychain, an encrypted file where there
 * is no keychain, or memory (tests, and a gateway without a data folder). Synchronous on purpose: config.yaml's
 * `keychain/NAME` references are resolved while the config loads, which is synchronous, and the keychain
 * binding (@napi-rs/keyring's Entry) is synchronous too.
 *
 * Rule for every implementation: a secret's value never appears in an error message or a log line. Names may
 * (they are what config.yaml refers to and what the dashboard lists).
 */
export type SecretBackend = 'keychain' | 'encrypted-file' | 'memory';

export const SECRET_BACKENDS: readonly SecretBackend[] = ['keychain', 'encrypted-file', 'memory'];

export interface SecretStore {
  /** Where the values live: the dashboard shows it, and warns when it is not the keychain. */
  readonly backend: SecretBackend;
  /** True when secrets are protected less well than by the OS keychain (the encrypted-file fallback). */
  readonly weakerProtection: boolean;
  /** The value, or undefined when no secret has this name. Throws when the store itself cannot be read. */
  get(name: string): string | undefined;
  /** Creates or replaces the secret. */
  set(name: string, value: string): void;
  /** Whether a secret was there to delete. */
  delete(name: string): boolean;
  /** Names only, sorted. */
  list(): string[];
}

/** Letters, digits, `.`, `_`, `-`: safe as a keychain account, a JSON key, a URL segment and in `keychain/NAME`. */
export const SECRET_NAME_PATTERN = /^[A-Za-z0-9._-]{1,128}$/;
export const SECRET_NAME_MAX_LENGTH = 128;

export class SecretNameError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretNameError';
  }
}

export function isValidSecretName(name: string): boolean {
  return SECRET_NAME_PATTERN.test(name);
}

/** Throws SecretNameError saying what a valid name looks like. */
export function assertSecretName(name: string): void {
  if (typeof name !== 'string' || name === '') throw new SecretNameError('A secret name must not be empty.');
  if (name.length > SECRET_NAME_MAX_LENGTH) {
    throw new SecretNameError(`The secret name \`${name.slice(0, 32)}…\` is ${name.length} characters long; at most ${SECRET_NAME_MAX_LENGTH} are allowed.`);
  }
  if (!isValidSecretName(name)) {
    throw new SecretNameError(`The secret name \`${name}\` is not valid: use only letters, digits, \`.\`, \`_\` and \`-\` (e.g. OPENAI_API_KEY).`);
  }
}

/** Values must be non-empty strings: an empty secret is always a mistake (a blank form field), never a key. */
export function assertSecretValue(name: string, value: unknown): asserts value is string {
  if (typeof value !== 'string' || value === '') throw new Error(`The value for secret \`${name}\` must be a non-empty string.`);
}
