/**
 * GET /admin/settings (master key): how this gateway is set up, for the dashboard's Settings page — where
 * it listens, its data folder and config.yaml, where the master key comes from (masked, never the value),
 * where provider secrets are kept and which price table prices the calls.
 */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { GatewaySettings, MasterKeySource } from '../../core/admin-api.ts';
import { maskSecret } from '../../observe/mask.ts';
import { EncryptedFileSecretStore, KEYCHAIN_PREFIX, KeychainSecretStore, SECRETS_KEY_ENV, type SecretStore } from '../../secrets/index.ts';
import { ENV_PREFIX } from '../../config/resolve.ts';
import type { Runtime } from '../runtime.ts';
import { clientBaseUrl } from './admin-overview.ts';

export const PRICE_TABLE_SOURCE = 'LiteLLM model_prices_and_context_window.json (MIT)';

/**
 * Where the running master key comes from: config.yaml's `general_settings.master_key` as written
 * (`keychain/NAME`, `os.environ/NAME`, or a literal), else LITELLM_MASTER_KEY (the gateway's fallback).
 */
export function masterKeySource(runtime: Runtime): MasterKeySource {
  const { state, about } = runtime;
  if (!state.masterKey) return 'none';
  // The running config's own value is empty when its reference did not resolve: then the env fallback serves.
  if (!state.config.general_settings.master_key) return 'env';
  const written = (about.configFile?.current?.raw ?? state.config).general_settings.master_key;
  if (typeof written !== 'string') return 'config';
  if (written.startsWith(KEYCHAIN_PREFIX)) return 'keychain';
  if (written.startsWith(ENV_PREFIX)) return 'env';
  return 'config';
}

export function secretStoreInfo(store: SecretStore): GatewaySettings['secret_store'] {
  if (store.backend === 'keychain') {
    const service = store instanceof KeychainSecretStore ? store.service : 'LLM Gateway';
    return { kind: 'keychain', weaker_protection: store.weakerProtection, description: `The OS keychain (service "${service}").` };
  }
  if (store.backend === 'encrypted-file') {
    const file = store instanceof EncryptedFileSecretStore ? store.file : 'secrets.enc';
    const key =
      store instanceof EncryptedFileSecretStore && store.keySource === 'env'
        ? `its key comes from ${SECRETS_KEY_ENV}`
        : 'its key sits beside it (secrets.key), so anyone who can read the data folder can read the secrets';
    return {
      kind: 'file',
      weaker_protection: store.weakerProtection,
      description: `An AES-256-GCM encrypted file, ${file}; ${key}. No OS keychain was available.`,
    };
  }
  return {
    kind: 'memory',
    weaker_protection: store.weakerProtection,
    description: 'In memory only: secrets set through the admin API are lost when the gateway stops.',
  };
}

async function modifiedAt(path: string): Promise<string | null> {
  try {
    return (await stat(path)).mtime.toISOString();
  } catch {
    return null;
  }
}

export async function settingsOf(runtime: Runtime): Promise<GatewaySettings> {
  const { about, state } = runtime;
  return {
    host: about.host,
    port: about.port,
    base_url: clientBaseUrl(about),
    version: runtime.version,
    data_dir: about.dataDir === null ? null : resolve(about.dataDir),
    config_path: about.configFile ? resolve(about.configFile.path) : null,
    master_key: {
      set: state.masterKey !== undefined,
      source: masterKeySource(runtime),
      masked: state.masterKey === undefined ? null : maskSecret(state.masterKey),
      rotatable: about.configFile !== null && about.secretStoreGiven,
    },
    secret_store: secretStoreInfo(runtime.services.secrets),
    price_table: {
      path: about.priceTable.path,
      models: about.priceTable.models,
      modified_at: await modifiedAt(about.priceTable.path),
      source: PRICE_TABLE_SOURCE,
    },
  };
}

export function registerSettingsRoute(app: FastifyInstance, runtime: Runtime): void {
  app.get('/admin/settings', async (): Promise<GatewaySettings> => {
    return settingsOf(runtime);
  });
}
