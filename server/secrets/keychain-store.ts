/**
 * Secrets in the OS keychain (macOS Keychain, Windows Credential Manager, the Secret Service on Linux:
 * gnome-keyring, KWallet, KeePassXC), through keytar's model — one password per (service, account) — as
 * provided by @napi-rs/keyring. keytar itself is archived (2022); this binding is maintained, N-API (one binary
 * for Node and Electron, no rebuild) and has a synchronous `Entry`, which the synchronous SecretStore needs
 * (keytar's promise API, `@napi-rs/keyring/keytar.js`, cannot serve a synchronous config load).
 *
 * On Linux every entry is pinned to the Secret Service: left to itself the binding silently falls back to the
 * kernel keyring, which forgets everything at reboot — secrets that vanish are worse than a loud fallback.
 */
import { randomBytes } from 'node:crypto';
import { Entry, findCredentials, type EntryOptions } from '@napi-rs/keyring';
import { assertSecretName, assertSecretValue, isValidSecretName, type SecretStore } from './secret-store.ts';

/** The keychain "service" every gateway secret is filed under; the account is the secret's name. */
export const KEYCHAIN_SERVICE = 'LLM Gateway';

/** No silent fallback to the kernel keyring on Linux (ignored on other platforms). */
const ENTRY_OPTIONS: EntryOptions = { linux: { store: 'secret-service' } };

/** The probe's account: not a valid secret name, so it can never collide with one or show up in list(). */
const PROBE_ACCOUNT = '(llm-gateway keychain probe)';

export class KeychainError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'KeychainError';
  }
}

export class KeychainSecretStore implements SecretStore {
  readonly backend = 'keychain' as const;
  readonly weakerProtection = false;

  /** `service` is only changed by tests, so they never touch the real gateway's entries. */
  constructor(readonly service: string = KEYCHAIN_SERVICE) {}

  get(name: string): string | undefined {
    assertSecretName(name);
    return this.#call(`read secret \`${name}\``, () => {
      const entry = this.#entry(name);
      const password = entry.getPassword();
      if (password !== null) return password;
      // getPassword() answers null both for "absent" and for "store unreadable" (locked keyring); getSecret()
      // throws on the latter, so a locked keychain is an error instead of a provider key silently missing.
      entry.getSecret();
      return undefined;
    });
  }

  set(name: string, value: string): void {
    assertSecretName(name);
    assertSecretValue(name, value);
    this.#call(`store secret \`${name}\``, () => this.#entry(name).setPassword(value));
  }

  delete(name: string): boolean {
    assertSecretName(name);
    return this.#call(`delete secret \`${name}\``, () => this.#entry(name).deleteCredential());
  }

  list(): string[] {
    const credentials = this.#call('list secrets', () => findCredentials(this.service));
    // findCredentials also returns the passwords; only the names leave this function.
    return [...new Set(credentials.map((credential) => credential.account).filter(isValidSecretName))].sort();
  }

  #entry(name: string): Entry {
    return new Entry(this.service, name, ENTRY_OPTIONS);
  }

  /** Errors name the operation and the keychain's own reason; the binding's messages never carry the value. */
  #call<T>(what: string, operation: () => T): T {
    try {
      return operation();
    } catch (error) {
      throw new KeychainError(`OS keychain: could not ${what}: ${reasonOf(error)}`, { cause: error });
    }
  }
}

export type KeychainCheck = { ok: true } | { ok: false; reason: string };

/**
 * Whether the OS keychain can be used right now, by a harmless round-trip (write, read back, delete a probe
 * entry): on Linux a locked or absent Secret Service can still answer reads with "nothing there", so only a
 * write proves it usable. Never throws. On a desktop with a locked keyring this may show the unlock prompt.
 */
export function checkKeychain(service: string = KEYCHAIN_SERVICE): KeychainCheck {
  try {
    const entry = new Entry(service, PROBE_ACCOUNT, ENTRY_OPTIONS);
    const token = randomBytes(12).toString('hex');
    entry.setPassword(token);
    const readBack = entry.getPassword();
    entry.deleteCredential();
    return readBack === token ? { ok: true } : { ok: false, reason: 'the keychain did not return what was just stored in it' };
  } catch (error) {
    return { ok: false, reason: reasonOf(error) };
  }
}

export function probeKeychain(service: string = KEYCHAIN_SERVICE): boolean {
  return checkKeychain(service).ok;
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
