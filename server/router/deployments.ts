/**
 * Turns validated model_list entries into callable Deployments: which provider, which URL, which key, which
 * timeouts, which request defaults. What a provider needs comes from its descriptor (server/providers/); this file
 * knows only the gateway's own litellm_params. Everything that can be wrong with an entry is reported here, at
 * load, with its path; everything merely ignored is a warning naming its path.
 */
import { createHash } from 'node:crypto';
import type { GatewayConfig, LitellmParams, ModelEntry } from '../core/config-types.ts';
import { DeploymentError } from '../providers/deployment-error.ts';
import type { ProviderDescriptor } from '../providers/descriptor.ts';
import { getProvider, prefixOfBareName, providerOfPriceName, supportedProviders } from '../providers/registry.ts';
import type { Deployment } from '../providers/types.ts';
import type { PriceTable } from '../prices/price-table.ts';

export { DeploymentError } from '../providers/deployment-error.ts';

export const DEFAULT_REQUEST_TIMEOUT_S = 600;

/**
 * litellm_params that steer the gateway itself, whatever the provider: routing, limits, timeouts, retries, prices,
 * mocking, extra headers and body. Never sent upstream. A provider's credentials and settings are its descriptor's.
 */
export const GATEWAY_PARAM_KEYS: ReadonlySet<string> = new Set([
  'model',
  'custom_llm_provider',
  'headers',
  'extra_headers',
  'extra_body',
  'timeout',
  'stream_timeout',
  'rpm',
  'tpm',
  'weight',
  'order',
  'drop_params',
  'additional_drop_params',
  'add_function_to_prompt',
  'input_cost_per_token',
  'output_cost_per_token',
  'input_cost_per_second',
  'output_cost_per_second',
  'cache_read_input_token_cost',
  'cache_creation_input_token_cost',
  'mock_response',
  'max_retries',
  'num_retries',
  'tags',
  'max_parallel_requests',
  'cooldown_time',
  'health_check_model',
  'max_queue_size',
  'max_queue_wait',
  'use_in_pass_through',
  'region_name',
  'max_budget',
  'budget_duration',
]);

type Env = Record<string, string | undefined>;

/** Receives one human-readable line per ignored setting (the caller logs it, as config warnings are). */
export type DeploymentWarn = (message: string) => void;

/**
 * The entry names a provider the gateway does not have, or none it can tell. A config file's entry like that is
 * skipped with a warning (buildDeployments' skipUnknownProviders), as LiteLLM does; a model added through the
 * admin API is refused.
 */
export class UnknownProviderError extends DeploymentError {
  constructor(
    path: string,
    /** The provider as written (`nosuch`), or undefined when the model name has none. */
    readonly provider: string | undefined,
    message: string,
  ) {
    super(path, message);
    this.name = 'UnknownProviderError';
  }
}

function unsupported(provider: string, path: string): DeploymentError {
  return new UnknownProviderError(`${path}.model`, provider, `provider \`${provider}\` is not supported.`);
}

/** Which provider serves an entry, the model name it sends upstream, and the provider prefix written or implied. */
interface ModelSplit {
  provider: ProviderDescriptor;
  upstreamModel: string;
  /** `palm` for `palm/chat-bison` and for bare `chat-bison`: what the descriptor's retiredPrefixes are keyed by. */
  prefix: string;
}

/**
 * The one place a model name finds its provider: custom_llm_provider, then a `provider/` prefix, then for a bare
 * name the price table's litellm_provider, then the name's shape (registry's prefixOfBareName: `claude-*`,
 * `command*`, `j2-*`, `*-bison`). A bare name is sent upstream as written, so a model retired upstream reaches the
 * upstream and its answer (a 404) reaches the client.
 */
function splitModel(entry: ModelEntry, path: string, prices: PriceTable): ModelSplit {
  const { model, custom_llm_provider: custom } = entry.litellm_params;
  if (typeof custom === 'string' && custom) {
    const provider = getProvider(custom);
    if (!provider) throw unsupported(custom, path);
    // LiteLLM strips a prefix that repeats the provider: custom_llm_provider openai + openai/gpt-4o → gpt-4o.
    return { provider, upstreamModel: model.startsWith(`${custom}/`) ? model.slice(custom.length + 1) : model, prefix: custom };
  }
  const slash = model.indexOf('/');
  if (slash > 0) {
    const provider = getProvider(model.slice(0, slash));
    if (provider) return { provider, upstreamModel: model.slice(slash + 1), prefix: model.slice(0, slash) };
  }
  const tableProvider = prices.get(model)?.litellm_provider;
  if (tableProvider) {
    const provider = providerOfPriceName(tableProvider);
    if (!provider) throw unsupported(tableProvider, path);
    return { provider, upstreamModel: model, prefix: tableProvider };
  }
  if (slash > 0) {
    throw new UnknownProviderError(
      `${path}.model`,
      model.slice(0, slash),
      `provider \`${model.slice(0, slash)}\` is not supported. Supported prefixes: ${supportedProviders().join(', ')}.`,
    );
  }
  const implied = prefixOfBareName(model);
  const impliedProvider = implied === undefined ? undefined : getProvider(implied);
  if (implied && impliedProvider) return { provider: impliedProvider, upstreamModel: model, prefix: implied };
  throw new UnknownProviderError(
    `${path}.model`,
    undefined,
    `cannot tell which provider serves \`${model}\`: write it with a provider prefix, e.g. \`openai/${model}\` or \`hosted_vllm/${model}\`.`,
  );
}

/**
 * Why no provider serves this entry, or undefined when one does: the check buildDeployment starts with, for a
 * model the admin API is about to add (`path` names its litellm_params in the answer).
 */
export function unknownProviderOf(entry: ModelEntry, prices: PriceTable, path = 'litellm_params'): UnknownProviderError | undefined {
  try {
    splitModel(entry, path, prices);
    return undefined;
  } catch (err) {
    if (err instanceof UnknownProviderError) return err;
    throw err;
  }
}

/**
 * The request-body defaults: litellm_params keys the provider accepts as request parameters, then extra_body as it
 * is (the explicit escape hatch). Any other key that is not the gateway's or the provider's own setting is left out
 * with a warning: it may be a credential meant for another provider (aws_secret_access_key, vertex_credentials).
 */
function requestDefaults(p: LitellmParams, provider: ProviderDescriptor, path: string, warn: DeploymentWarn): Record<string, unknown> {
  const accepted = new Set(provider.requestParams.accepted);
  const settings = new Set(provider.settings);
  const defaults: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(p)) {
    if (value === undefined || GATEWAY_PARAM_KEYS.has(key) || settings.has(key)) continue;
    if (accepted.has(key)) defaults[key] = value;
    else {
      warn(
        `${path}.${key}: \`${key}\` is neither a request parameter ${provider.label} takes nor one of its settings, so it is not sent upstream; ` +
          `${snakeCaseHint(key, settings)}to send it in the request body as it is, put it under extra_body`,
      );
    }
  }
  if (p.extra_body && typeof p.extra_body === 'object') Object.assign(defaults, p.extra_body);
  return defaults;
}

/** `maxQueueSize` (LLProxy's spelling) → "did you mean max_queue_size?" when the snake_case name is a known setting. */
function snakeCaseHint(key: string, settings: ReadonlySet<string>): string {
  const snake = key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  return snake !== key && (GATEWAY_PARAM_KEYS.has(snake) || settings.has(snake)) ? `did you mean \`${snake}\`? ` : '';
}

function deploymentId(entry: ModelEntry): string {
  const given = entry.model_info?.id;
  if (typeof given === 'string' && given) return given;
  return createHash('sha256')
    .update(`${entry.model_name}\0${JSON.stringify(entry.litellm_params)}`)
    .digest('hex');
}

const ignoreWarnings: DeploymentWarn = () => undefined;

export function buildDeployment(
  entry: ModelEntry,
  index: number,
  config: GatewayConfig,
  env: Env,
  prices: PriceTable,
  warn: DeploymentWarn = ignoreWarnings,
): Deployment {
  const path = `model_list[${index}].litellm_params`;
  const p = entry.litellm_params;
  const { provider, upstreamModel, prefix } = splitModel(entry, path, prices);
  const retired = provider.retiredPrefixes?.[prefix];
  if (retired) warn(`${path}.model: ${prefix === p.model.split('/')[0] ? '' : `\`${p.model}\` is a ${prefix}/ name. `}${retired}`);
  const settings = config.litellm_settings;
  const timeoutS = p.timeout ?? settings.request_timeout ?? DEFAULT_REQUEST_TIMEOUT_S;
  const streamTimeoutS = p.stream_timeout ?? (typeof settings.stream_timeout === 'number' ? settings.stream_timeout : timeoutS);
  const headers = { ...(p.headers ?? {}), ...((p.extra_headers as Record<string, string> | undefined) ?? {}) };
  return {
    id: deploymentId(entry),
    modelName: entry.model_name,
    provider: provider.id,
    upstreamModel,
    ...provider.resolveConnection(p, env, path),
    params: p,
    timeoutMs: timeoutS * 1000,
    streamTimeoutMs: streamTimeoutS * 1000,
    dropParams: p.drop_params ?? settings.drop_params ?? false,
    addFunctionToPrompt: (p.add_function_to_prompt ?? settings.add_function_to_prompt) === true,
    defaults: requestDefaults(p, provider, path, warn),
    headers,
    modelInfo: entry.model_info ?? {},
  };
}

export interface BuildDeploymentsOptions {
  /**
   * An entry whose provider is unknown is left out with a loud warning naming it (model_name, index, provider)
   * instead of failing the whole config — LiteLLM serves the rest of a config file. Every other problem still fails.
   */
  skipUnknownProviders?: boolean;
}

/** Every deployment of the config, or one error listing every broken entry. `warn` hears of every ignored setting (and skipped entry). */
export function buildDeployments(
  config: GatewayConfig,
  env: Env,
  prices: PriceTable,
  warn: DeploymentWarn = ignoreWarnings,
  options: BuildDeploymentsOptions = {},
): Deployment[] {
  const errors: string[] = [];
  const deployments: Deployment[] = [];
  config.model_list.forEach((entry, i) => {
    try {
      deployments.push(buildDeployment(entry, i, config, env, prices, warn));
    } catch (err) {
      if (!(err instanceof DeploymentError)) throw err;
      if (options.skipUnknownProviders && err instanceof UnknownProviderError) warn(skippedEntryWarning(entry, i, err));
      else errors.push(err.message);
    }
  });
  if (errors.length) throw new DeploymentError('model_list', `\n  - ${errors.join('\n  - ')}`);
  return deployments;
}

function skippedEntryWarning(entry: ModelEntry, index: number, err: UnknownProviderError): string {
  const provider = err.provider === undefined ? 'no provider it can tell' : `provider \`${err.provider}\``;
  const detail = err.message.startsWith(`${err.path}: `) ? err.message.slice(err.path.length + 2) : err.message;
  return (
    `!!! model_list[${index}] (model_name \`${entry.model_name}\`, ${provider}) is SKIPPED and not served: ${detail} ` +
    'The other models are served; fix or remove this entry.'
  );
}
