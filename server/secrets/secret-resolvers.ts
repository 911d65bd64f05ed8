/**
 * `keychain/NAME` references in config.yaml, beside `os.environ/VAR`: resolved through whichever SecretStore is
 * active (the OS keychain, or the encrypted-file fallback where there is none), so one config works everywhere.
 * Pass the result as config/load.ts's `resolvers` option.
 */
import type { ReferenceResolvers } from '../core/references.ts';
import { isValidSecretName, type SecretStore } from './secret-store.ts';

export const KEYCHAIN_PREFIX = 'keychain/';

export function secretResolvers(store: SecretStore): ReferenceResolvers {
  return {
    // A name no secret can have is simply not found (the loader then warns "which was not found"); a store
    // that cannot be read throws, so a locked keychain stops the load instead of leaving provider keys empty.
    [KEYCHAIN_PREFIX]: (name) => (isValidSecretName(name) ? store.get(name) : undefined),
  };
}
