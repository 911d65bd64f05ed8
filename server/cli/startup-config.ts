/** Which config the gateway starts with: --config, --model, or the starter config in the data dir. */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ensureStarterConfig, parseConfig, STARTER_CONFIG_YAML, writeFileAtomic, type LoadedConfig, type ReferenceResolvers } from '../config/index.ts';
import { ConfigFile } from '../config/config-file.ts';
import { generateMasterKey, MASTER_KEY_SECRET } from '../config/master-key.ts';
import type { Logger } from '../observe/logger.ts';
import { LivePriceTable } from '../prices/price-table.ts';
import { loadStoredPriceTableAtStart } from '../prices/price-updates.ts';
import { buildDeployment, DeploymentError } from '../router/deployments.ts';
import type { SecretStore } from '../secrets/secret-store.ts';
import { emptyConfig, type GatewayConfig } from '../core/config-types.ts';
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
  /** First run only: the master key the starter config refers to, to show the user once (never logged). */
  firstRunMasterKey?: FirstRunMasterKey;
}

export interface FirstRunMasterKey {
  key: string;
  /** Where it is kept, in words: `your OS keychain`, `the encrypted secrets file`. */
  keptIn: string;
  /** The store already had one (another gateway on this machine, an earlier install): it is used, not replaced. */
  reused: boolean;
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

/**
 * Builds --model's deployment once before the gateway does, so that what is wrong with it is said about the flag
 * (`--model claude-x: …`) instead of about a `model_list[0]` the user never wrote. Prices as the gateway will
 * have them (a bare name is looked up there).
 */
function checkModelFlag(model: string, loaded: LoadedConfig, dataDir: string): void {
  const entry = loaded.resolved.model_list[0];
  if (!entry) return;
  const prices = new LivePriceTable();
  loadStoredPriceTableAtStart(prices, dataDir, { warn: () => undefined, info: () => undefined });
  try {
    buildDeployment(entry, 0, loaded.resolved, loaded.env, prices);
  } catch (error) {
    if (!(error instanceof DeploymentError)) throw error;
    const detail = error.message.startsWith(`${error.path}: `) ? error.message.slice(error.path.length + 2) : error.message;
    const key = error.path.replace(/^model_list\[0\]\.litellm_params\.?/, '');
    const about = key === 'model' || key === '' ? '' : ` (${key === 'api_base' || key === 'api_version' ? `--${key}` : key})`;
    throw new CliError(`--model ${model}${about}: ${detail}`);
  }
}

/** CLI defaults apply to every deployment that does not set its own. */
function applyFlagOverrides(config: GatewayConfig, flags: CliFlags): void {
  if (flags.dropParams) config.litellm_settings.drop_params = true;
  if (flags.addFunctionToPrompt) config.litellm_settings.add_function_to_prompt = true;
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
    result = {
      loaded: modelFlagConfig({ ...flags, model: flags.model }, resolvers),
      source: `--model ${flags.model}`,
      catchAllModel: flags.alias ?? flags.model,
      notes,
    };
  } else if (flags.config) {
    if (flags.apiBase || flags.apiVersion || flags.alias)
      notes.push('--api_base, --api_version and --alias apply to --model only; they are ignored with --config.');
    const configFile = openConfigFile(flags.config, flags, resolvers, services);
    result = { loaded: configFile.load(), source: flags.config, notes, configFile };
  } else {
    const key = existsSync(join(dataDir, 'config.yaml')) ? undefined : firstRunKey(services.secrets, notes);
    const starter = ensureStarterConfig(dataDir, key ? { masterKeyIn: key.keptIn.replace(/^your /, 'the ') } : {});
    let firstRunMasterKey: FirstRunMasterKey | undefined;
    if (starter.created) {
      notes.push(
        `Wrote a starter config to ${starter.path} (its first model is the offline mock provider${key ? `; its master key is kept in ${key.keptIn}` : ''}).`,
      );
      if (key) firstRunMasterKey = storeFirstRunKey(services.secrets!, key, starter.path, notes);
    }
    const configFile = openConfigFile(starter.path, flags, resolvers, services);
    result = { loaded: configFile.load(), source: starter.path, notes, configFile, ...(firstRunMasterKey ? { firstRunMasterKey } : {}) };
  }
  if (!result.configFile) applyFlagOverrides(result.loaded.resolved, flags);
  if (flags.model) checkModelFlag(flags.model, result.loaded, dataDir);
  if ((flags.numWorkers ?? 1) > 1)
    result = { ...result, loaded: { ...result.loaded, warnings: [...result.loaded.warnings, numWorkersWarning(flags.numWorkers!)] } };
  return result;
}

/**
 * LiteLLM's `--num_workers N` starts N uvicorn processes. One Node process serves requests concurrently, and N
 * separate ones would each keep their own rate limits, budget reservations and cache: that is team mode's job
 * (shared state), so one worker runs rather than N that quietly disagree.
 */
function numWorkersWarning(n: number): string {
  return (
    `--num_workers ${n}: LLM Gateway runs one worker — it serves concurrent requests on one process; ` +
    'several workers need team mode (keys, budgets and rate limits shared between processes), which this gateway does not have yet.'
  );
}

/**
 * The master key a first run puts in the starter config, so a fresh `npm start` has a working dashboard: the one
 * the SecretStore already has under LLM_GATEWAY_MASTER_KEY (the keychain is shared by every gateway of this OS
 * user, and overwriting it would lock another one out), else a new one. None without a store that outlives the
 * process (memory), where config.yaml would refer to a key gone at the next start.
 */
function firstRunKey(store: SecretStore | undefined, notes: string[]): FirstRunMasterKey | undefined {
  if (!store || store.backend === 'memory') return undefined;
  const keptIn = store.backend === 'keychain' ? 'your OS keychain' : 'the encrypted secrets file (secrets.enc in the data folder)';
  try {
    const existing = store.get(MASTER_KEY_SECRET);
    return existing ? { key: existing, keptIn, reused: true } : { key: generateMasterKey(), keptIn, reused: false };
  } catch (error) {
    notes.push(
      `No master key was generated: the secret store cannot be read (${(error as Error).message}). Set general_settings.master_key in config.yaml before serving other machines.`,
    );
    return undefined;
  }
}

/** Keeps a generated key; when the store refuses it, the starter goes back to having no master key. */
function storeFirstRunKey(store: SecretStore, key: FirstRunMasterKey, path: string, notes: string[]): FirstRunMasterKey | undefined {
  if (key.reused) return key;
  try {
    store.set(MASTER_KEY_SECRET, key.key);
    return key;
  } catch (error) {
    writeFileAtomic(path, STARTER_CONFIG_YAML, { mode: 0o600 });
    notes.push(
      `No master key was generated: the secret store refused it (${(error as Error).message}). Set general_settings.master_key in config.yaml before serving other machines.`,
    );
    return undefined;
  }
}

/** The line a first start prints (on stdout, never into the log): where the dashboard is, and its key. */
export function firstRunNotice(url: string, key: FirstRunMasterKey): string {
  const dashboard = `${dashboardBase(url)}/ui/`;
  const shown = key.reused ? `the one already in ${key.keptIn} as ${MASTER_KEY_SECRET}` : `shown once, also in ${key.keptIn} as ${MASTER_KEY_SECRET}`;
  return `Dashboard: ${dashboard} — master key (${shown}): ${key.key}\n(\`npm start -- --print-master-key\` prints it again; rotate it in the dashboard's Settings.)`;
}

/** http://127.0.0.1:4000 → http://localhost:4000: what people type; other hosts as bound. */
function dashboardBase(url: string): string {
  return url.replace(/^http:\/\/(127\.\d+\.\d+\.\d+|\[::1\])(?=:\d+$)/, 'http://localhost');
}
