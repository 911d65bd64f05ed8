/** Secrets in process memory: for tests, and for a gateway run without a data folder (nothing outlives the process). */
import { assertSecretName, assertSecretValue, type SecretStore } from './secret-store.ts';

export class MemorySecretStore implements SecretStore {
  readonly backend = 'memory' as const;
  // Nothing is at rest anywhere, so nothing is exposed more than by the keychain; `backend` tells the
  // dashboard that the values do not survive a restart.
  readonly weakerProtection = false;
  readonly #values = new Map<string, string>();

  constructor(initial: Readonly<Record<string, string>> = {}) {
    for (const [name, value] of Object.entries(initial)) this.set(name, value);
  }

  get(name: string): string | undefined {
    assertSecretName(name);
    return this.#values.get(name);
  }

  set(name: string, value: string): void {
    assertSecretName(name);
    assertSecretValue(name, value);
    this.#values.set(name, value);
  }

  delete(name: string): boolean {
    assertSecretName(name);
    return this.#values.delete(name);
  }

  list(): string[] {
    return [...this.#values.keys()].sort();
  }
}
