/**
 * What the dashboard's config.yaml routes (admin-config.ts, admin-routing.ts, admin-master-key.ts) share:
 * the config file they change — 409 without one (`--model`), as /model/new does — the gateway's reload, and
 * ConfigFile's errors turned into answers.
 */
import { ModelEditError, type ConfigFile } from '../../config/config-file.ts';
import { ConfigError } from '../../config/errors.ts';
import type { LoadedConfig } from '../../config/load.ts';
import { YamlEditError } from '../../config/yaml-edit.ts';
import { GatewayError } from '../../core/errors.ts';
import type { ModelAdminOptions } from './model-admin.ts';

export function requireConfigFile(options: ModelAdminOptions): ConfigFile {
  if (options.configFile) return options.configFile;
  throw new GatewayError(
    409,
    'This gateway runs without a config file (it was started with --model), so there is no config.yaml to change. ' +
      'Start it with --config FILE (or without --model, to use config.yaml in the data folder) to change it at runtime.',
    { code: 'no_config_file' },
  );
}

/** Puts a loaded config into service: the gateway's reload. */
export function reloadWith(options: ModelAdminOptions): (loaded: LoadedConfig) => void {
  return (loaded) => options.reload?.(loaded.resolved, loaded.env);
}

/** Runs a ConfigFile change, turning its errors into answers: 400 invalid, 404, 409 conflict, 503 unavailable. */
export function guarded<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof YamlEditError)
      throw new GatewayError(409, `config.yaml cannot be edited automatically: ${error.message}. Edit the file by hand.`, { code: 'config_conflict' });
    if (error instanceof ConfigError) throw new GatewayError(409, error.message, { code: 'config_conflict' });
    if (!(error instanceof ModelEditError)) throw error;
    switch (error.reason) {
      case 'invalid':
        throw new GatewayError(400, error.message, { code: 'invalid_config' });
      case 'not_found':
        throw new GatewayError(404, error.message, { code: 'not_found' });
      case 'conflict':
        throw new GatewayError(409, error.message, { code: 'config_conflict' });
      case 'unavailable':
        throw new GatewayError(503, error.message, { code: 'config_unavailable' });
    }
  }
}
