/**
 * Turns validated model_list entries into callable Deployments: which protocol, which URL, which key,
 * which timeouts. Everything that can be wrong with an entry is reported here, at load, with its path.
 */
import { createHash } from 'node:crypto';
import type { GatewayConfig, LitellmParams, ModelEntry } from '../core/config-types.ts';
import { AZURE_DEFAULT_API_VERSION, normaliseAzureBase } from '../providers/azure/index.ts';
import { OPENAI_FAMILY } from '../providers/openai/family.ts';
import { getProvider, supportedProviders } from '../providers/registry.ts';
import type { Deployment } from '../providers/types.ts';
import { providerOfBareModel, type PriceTable } from '../prices/price-table.ts';

export const DEFAULT_REQUEST_TIMEOUT_S = 600;

/** litellm_params that steer the gateway itself; every other key is a provider parameter sent upstream. */
const GATEWAY_PARAM_KEYS = new Set([
  'model', 'api_base', 'base_url', 'api_key', 'api_version', 'azure_ad_token', 'organization', 'headers', 'extra_headers',
  'timeout', 'stream_timeout', 'rpm', 'tpm', 'weight', 'order', 'drop_params', 'input_cost_per_token',
  'output_cost_per_token', 'input_cost_per_second', 'output_cost_per_second', 'mock_response', 'mock_latency',
  'max_retries', 'num_retries', 'custom_llm_provider', 'tags', 'max_parallel_requests', 'cooldown_time',
  'health_check_model', 'max_queue_size', 'max_queue_wait', 'extra_body', 'use_in_pass_through', 'region_name',
  'max_budget', 'budget_duration', 'cache_read_input_token_cost', 'cache_creation_input_token_cost', 'additional_drop_params',
]);

export class DeploymentError extends Error {
  constructor(readonly path: string, message: string) {
    super(`${path}: ${message}`);
    this.name = 'DeploymentError';
  }
}

type Env = Record<string, string | undefined>;

const firstEnv = (env: Env, names: string[] = []) => names.map((n) => env[n]).find((v) => v !== undefined && v !== '');
const trimSlash = (url: string) => url.replace(/\/+$/, '');

function splitModel(entry: ModelEntry, path: string, prices: PriceTable): { provider: string; upstreamModel: string } {
  const { model, custom_llm_provider: custom } = entry.litellm_params;
  if (typeof custom === 'string' && custom) {
    // LiteLLM strips a prefix that repeats the provider: custom_llm_provider openai + openai/gpt-4o → gpt-4o.
    return { provider: custom, upstreamModel: model.startsWith(`${custom}/`) ? model.slice(custom.length + 1) : model };
  }
  const slash = model.indexOf('/');
  if (slash > 0) {
    const prefix = model.slice(0, slash);
    if (getProvider(prefix)) return { provider: prefix, upstreamModel: model.slice(slash + 1) };
  }
  const fromTable = providerOfBareModel(prices, model);
  if (fromTable) return { provider: fromTable, upstreamModel: model };
  if (slash > 0) {
    throw new DeploymentError(`${path}.model`, `provider \`${model.slice(0, slash)}\` is not supported. Supported prefixes: ${supportedProviders().join(', ')}.`);
  }
  throw new DeploymentError(`${path}.model`, `cannot tell which provider serves \`${model}\`: write it with a provider prefix, e.g. \`openai/${model}\` or \`hosted_vllm/${model}\`.`);
}

function locate(provider: string, p: LitellmParams, env: Env, path: string): { apiBase: string; apiKey?: string; apiVersion?: string } {
  const given = typeof p.api_base === 'string' && p.api_base ? p.api_base : typeof p.base_url === 'string' ? p.base_url : undefined;
  if (provider === 'mock') return { apiBase: 'mock://local' };
  if (provider === 'azure') {
    const base = given ?? firstEnv(env, ['AZURE_API_BASE', 'AZURE_OPENAI_ENDPOINT']);
    if (!base) throw new DeploymentError(`${path}.api_base`, 'Azure needs api_base (https://<resource>.openai.azure.com) or AZURE_API_BASE.');
    return {
      apiBase: normaliseAzureBase(base),
      apiKey: p.api_key ?? (p.azure_ad_token ? undefined : firstEnv(env, ['AZURE_API_KEY', 'AZURE_OPENAI_API_KEY'])),
      apiVersion: p.api_version ?? firstEnv(env, ['AZURE_API_VERSION', 'OPENAI_API_VERSION']) ?? AZURE_DEFAULT_API_VERSION,
    };
  }
  if (provider === 'anthropic') {
    const base = given ?? firstEnv(env, ['ANTHROPIC_API_BASE', 'ANTHROPIC_BASE_URL']) ?? 'https://api.anthropic.com';
    return { apiBase: trimSlash(base), apiKey: p.api_key ?? firstEnv(env, ['ANTHROPIC_API_KEY']) };
  }
  const member = OPENAI_FAMILY[provider];
  if (!member) throw new DeploymentError(`${path}.model`, `provider \`${provider}\` is not supported.`);
  let base = given ?? firstEnv(env, member.apiBaseEnv) ?? member.apiBase;
  if (!base) throw new DeploymentError(`${path}.api_base`, `${provider} is self-hosted: set api_base to its URL, e.g. http://localhost:8000/v1.`);
  base = trimSlash(base);
  if (member.appendV1 && !/\/v\d+$/.test(base)) base += '/v1';
  return { apiBase: base, apiKey: p.api_key ?? firstEnv(env, member.apiKeyEnv), apiVersion: p.api_version };
}

function requestDefaults(p: LitellmParams): Record<string, unknown> {
  const defaults: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(p)) if (!GATEWAY_PARAM_KEYS.has(key) && value !== undefined) defaults[key] = value;
  if (p.extra_body && typeof p.extra_body === 'object') Object.assign(defaults, p.extra_body);
  return defaults;
}

function deploymentId(entry: ModelEntry): string {
  const given = entry.model_info?.id;
  if (typeof given === 'string' && given) return given;
  return createHash('sha256').update(`${entry.model_name}\0${JSON.stringify(entry.litellm_params)}`).digest('hex');
}

export function buildDeployment(entry: ModelEntry, index: number, config: GatewayConfig, env: Env, prices: PriceTable): Deployment {
  const path = `model_list[${index}].litellm_params`;
  const p = entry.litellm_params;
  const { provider, upstreamModel } = splitModel(entry, path, prices);
  const settings = config.litellm_settings;
  const timeoutS = p.timeout ?? settings.request_timeout ?? DEFAULT_REQUEST_TIMEOUT_S;
  const streamTimeoutS = p.stream_timeout ?? (typeof settings.stream_timeout === 'number' ? settings.stream_timeout : timeoutS);
  const headers = { ...(p.headers ?? {}), ...((p.extra_headers as Record<string, string> | undefined) ?? {}) };
  return {
    id: deploymentId(entry),
    modelName: entry.model_name,
    provider,
    upstreamModel,
    ...locate(provider, p, env, path),
    params: p,
    timeoutMs: timeoutS * 1000,
    streamTimeoutMs: streamTimeoutS * 1000,
    dropParams: p.drop_params ?? settings.drop_params ?? false,
    defaults: requestDefaults(p),
    headers,
    modelInfo: entry.model_info ?? {},
  };
}

/** Every deployment of the config, or one error listing every broken entry. */
export function buildDeployments(config: GatewayConfig, env: Env, prices: PriceTable): Deployment[] {
  const errors: string[] = [];
  const deployments: Deployment[] = [];
  config.model_list.forEach((entry, i) => {
    try {
      deployments.push(buildDeployment(entry, i, config, env, prices));
    } catch (err) {
      if (!(err instanceof DeploymentError)) throw err;
      errors.push(err.message);
    }
  });
  if (errors.length) throw new DeploymentError('model_list', `\n  - ${errors.join('\n  - ')}`);
  return deployments;
}
