/** Which config the gateway starts with: --config, --model, or the starter config in the data dir. */
import { mkdirSync } from 'node:fs';
import { ensureStarterConfig, parseConfig, type LoadedConfig, type ReferenceResolvers } from '../config/index.ts';
import { ConfigFile } from '../config/config-file.ts';
import type { Logger } from '../observe/logger.ts';
import type { SecretStore } from '../secrets/secret-store.ts';
import { emptyConfig, type GatewayConfig } from '../config/types.ts';
import { CliError, type CliFlags } from './args.ts';

export interface StartupConfig {
  loaded: LoadedConfig;
  /** Where the config came from, for the start banner. */
  source: string;
  /** `--model`: every requested name is served by this model group. */
  catchAllModel?: string;
  notes: string[];
  /** The file behind `loaded` (absent with --model): watched for hot reload, edited by /model/new etc. */
  configFile?: ConfigFile;
}

function modelFlagConfig(flags: CliFlags & { model: string }, resolvers: ReferenceResolvers): LoadedConfig {
  const config = emptyConfig();
  config.model_list.push({
    model_name: flags.alias ?? flags.model,
    litellm_params: {
      model: flags.model,
      ...(flags.apiBase ? { api_base: flags.apiBase } : {}),
      ...(flags.apiVersion ? { api_version: flags.apiVersion } : {}),
    },
  });
  // Validate exactly as a file would be, so --model gets the same errors and env handling.
  return parseConfig(JSON.stringify(config), '--model', { resolvers });
}

/** CLI defaults apply to every deployment that does not set its own. */
function applyFlagOverrides(config: GatewayConfig, flags: CliFlags): void {
  if (flags.dropParams) config.litellm_settings.drop_params = true;
  if (flags.requestTimeout !== undefined) config.litellm_settings.request_timeout = flags.requestTimeout;
  for (const entry of config.model_list) {
    if (flags.temperature !== undefined) entry.litellm_params.temperature ??= flags.temperature;
    if (flags.maxTokens !== undefined) entry.litellm_params.max_tokens ??= flags.maxTokens;
  }
}

/** The config file, loaded with the CLI's defaults applied on every (re)load. */
function openConfigFile(path: string, flags: CliFlags, resolvers: ReferenceResolvers, services: { secrets?: SecretStore; logger?: Logger }): ConfigFile {
  const prepare = (loaded: LoadedConfig) => applyFlagOverrides(loaded.resolved, flags);
  return new ConfigFile(path, { resolvers, prepare, ...(services.secrets ? { secrets: services.secrets } : {}) }, services.logger);
}

/**
 * `resolvers`: reference schemes beside os.environ/ (keychain/NAME). `services.secrets`: where literal keys sent
 * to /model/new go.
 */
export function startupConfig(
  flags: CliFlags,
  dataDir: string,
  resolvers: ReferenceResolvers = {},
  services: { secrets?: SecretStore; logger?: Logger } = {},
): StartupConfig {
  mkdirSync(dataDir, { recursive: true });
  const notes: string[] = [];
  let result: StartupConfig;
  if (flags.config && flags.model) throw new CliError('Use either --config or --model, not both: --model serves one model without a config file.');
  if (flags.model) {
    result = { loaded: modelFlagConfig({ ...flags, model: flags.model }, resolvers), source: `--model ${flags.model}`, catchAllModel: flags.alias ?? flags.model, notes };
  } else if (flags.config) {
    if (flags.apiBase || flags.apiVersion || flags.alias) notes.push('--api_base, --api_version and --alias apply to --model only; they are ignored with --config.');
    const configFile = openConfigFile(flags.config, flags, resolvers, services);
    result = { loaded: configFile.load(), source: flags.config, notes, configFile };
  } else {
    const starter = ensureStarterConfig(dataDir);
    if (starter.created) notes.push(`Wrote a starter config to ${starter.path} (its first model is the offline mock provider).`);
    const configFile = openConfigFile(starter.path, flags, resolvers, services);
    result = { loaded: configFile.load(), source: starter.path, notes, configFile };
  }
  if (!result.configFile) applyFlagOverrides(result.loaded.resolved, flags);
  return result;
}
