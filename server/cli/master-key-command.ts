/**
 * `--print-master-key`: the master key of the config the gateway would start with (config.yaml in the data
 * folder, or --config), its `keychain/…` or `os.environ/…` reference resolved through the same SecretStore the
 * gateway opens — for someone who lost the key printed on first start. `--test` and `--health` send it too when
 * LITELLM_MASTER_KEY is not set.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig } from '../config/load.ts';
import { openSecretStore, secretResolvers } from '../secrets/index.ts';
import { CliError, type CliFlags } from './args.ts';
import { defaultDataDir } from './data-dir.ts';

type Env = Readonly<Record<string, string | undefined>>;

/** The master key the gateway started from these flags would have. Throws CliError (or ConfigError) saying why there is none. */
export function configuredMasterKey(flags: Pick<CliFlags, 'config' | 'dataDir'>, env: Env = process.env): string {
  const dataDir = flags.dataDir || env.LLM_GATEWAY_DATA_DIR || defaultDataDir();
  const path = flags.config ?? join(dataDir, 'config.yaml');
  if (!existsSync(path)) {
    throw new CliError(
      flags.config
        ? `${path} does not exist.`
        : `There is no config.yaml in ${dataDir} yet: start the gateway once (npm start) and it writes one, with a master key.`,
    );
  }
  const secrets = openSecretStore({ dataDir, env });
  const loaded = parseConfig(readFileSync(path, 'utf8'), path, { env, resolvers: secretResolvers(secrets) });
  const key = loaded.resolved.general_settings.master_key || loaded.env.LITELLM_MASTER_KEY;
  if (key) return key;
  const written = loaded.raw.general_settings.master_key;
  throw new CliError(
    written
      ? `${path}: general_settings.master_key refers to \`${written}\`, which is not set here, and LITELLM_MASTER_KEY is not set either.`
      : `${path} has no master key (general_settings.master_key) and LITELLM_MASTER_KEY is not set: the gateway runs without one.`,
  );
}

/** For `--test` / `--health`: LITELLM_MASTER_KEY, else the configured key; undefined when there is none. */
export function clientMasterKey(flags: Pick<CliFlags, 'config' | 'dataDir'>, env: Env = process.env): string | undefined {
  if (env.LITELLM_MASTER_KEY) return env.LITELLM_MASTER_KEY;
  try {
    return configuredMasterKey(flags, env);
  } catch {
    return undefined;
  }
}
