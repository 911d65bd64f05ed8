/**
 * Where a secret typed into the dashboard goes, in words: the gateway's active secret store (GET /admin/settings
 * `secret_store.kind`) — the OS keychain, or the encrypted file where no keychain exists, or memory. Forms say
 * this instead of assuming a keychain.
 */
import type { GatewaySettings } from '../api/types.ts';

export type SecretStoreKind = GatewaySettings['secret_store']['kind'];

const KEPT_IN: Record<SecretStoreKind, string> = {
  keychain: 'Kept in the OS keychain',
  file: 'Kept in the encrypted secrets file in the data directory (no OS keychain here)',
  memory: 'Kept in memory only, lost when the gateway stops',
};

/** "Kept in the OS keychain; config.yaml gets a keychain/ reference." — for the store in use (unknown while loading). */
export function secretStoreNote(kind: SecretStoreKind | undefined): string {
  const where = (kind && KEPT_IN[kind]) ?? "Kept in the gateway's secret store";
  return `${where}; config.yaml gets a keychain/ reference.`;
}

/** "the OS keychain", "the encrypted secrets file" — for a sentence naming the store. */
export function secretStoreName(kind: SecretStoreKind | undefined): string {
  if (kind === 'keychain') return 'the OS keychain';
  if (kind === 'file') return 'the encrypted secrets file';
  if (kind === 'memory') return 'memory';
  return "the gateway's secret store";
}
