/**
 * POST /admin/master-key/rotate (master key only): a new master key in the SecretStore, config.yaml referring
 * to it; the old one stops working at once. The change goes through ConfigFile and the gateway's reload
 * (config-file-route.ts); without a config file (`--model`) it answers 409.
 */
import type { FastifyInstance } from 'fastify';
import type { RotatedMasterKey } from '../../core/admin-api.ts';
import { generateMasterKey, MASTER_KEY_REFERENCE, MASTER_KEY_SECRET } from '../../config/master-key.ts';
import { editYaml } from '../../config/yaml-edit.ts';
import { maskSecret, redactSecrets } from '../../observe/mask.ts';
import { GatewayError } from '../../core/errors.ts';
import type { Runtime } from '../runtime.ts';
import { guarded, reloadWith, requireConfigFile } from './config-file-route.ts';
import type { ModelAdminOptions } from './model-admin.ts';

export function registerAdminMasterKeyRoutes(app: FastifyInstance, runtime: Runtime, options: ModelAdminOptions = {}): void {
  const reload = reloadWith(options);

  app.post('/admin/master-key/rotate', async (_request, reply) => {
    const file = requireConfigFile(options);
    const store = runtime.services.secrets;
    const key = generateMasterKey();
    let previous: string | undefined;
    try {
      previous = store.get(MASTER_KEY_SECRET);
      store.set(MASTER_KEY_SECRET, key);
    } catch (error) {
      throw new GatewayError(503, `The secret store is unavailable, so the master key was not changed: ${redactSecrets((error as Error).message, [key])}`, {
        code: 'secret_store_unavailable',
      });
    }
    const undo = () => {
      try {
        if (previous === undefined) store.delete(MASTER_KEY_SECRET);
        else store.set(MASTER_KEY_SECRET, previous);
      } catch (error) {
        runtime.logger.error(`Could not put the previous master key back into the secret store: ${(error as Error).message}`);
      }
    };
    try {
      guarded(() =>
        file.rewrite(
          (text) => {
            const next = editYaml(text, [{ path: ['general_settings', 'master_key'], value: MASTER_KEY_REFERENCE }]);
            if (file.check(next).resolved.general_settings.master_key !== key) throw noSecretStore();
            return { text: next, undo };
          },
          reload,
          { describe: `master key rotated (general_settings.master_key: ${MASTER_KEY_REFERENCE}); the old key no longer works` },
        ),
      );
    } catch (error) {
      undo();
      throw error;
    }
    if (store.backend === 'memory') {
      runtime.logger.warn(
        `The new master key is kept in memory only (${MASTER_KEY_SECRET}): after a restart config.yaml's ${MASTER_KEY_REFERENCE} finds nothing and the gateway runs without a master key. Use the OS keychain or the encrypted secrets file.`,
      );
    }
    const rotated: RotatedMasterKey = { master_key: key, masked: maskSecret(key) };
    return reply.header('cache-control', 'no-store').send(rotated);
  });
}

/** The gateway's config references do not read runtime.services.secrets (it was started without a SecretStore). */
function noSecretStore(): GatewayError {
  return new GatewayError(
    409,
    `This gateway has no secret store its config.yaml can refer to, so the master key cannot be kept out of the file. Set general_settings.master_key yourself (e.g. os.environ/LITELLM_MASTER_KEY).`,
    { code: 'no_secret_store' },
  );
}
