import { FieldChecker, describe, type FieldSpec, type ValidationIssue } from './field-checks.ts';
import { isPlainObject } from './resolve.ts';
import { emptyConfig } from '../core/config-types.ts';
import type { PathSegment } from './path.ts';
import type { GatewayConfig, GeneralSettings, LitellmParams, LitellmSettings, ModelEntry } from '../core/config-types.ts';

export { ConfigError, type ConfigIssue } from './errors.ts';
export type { ValidationIssue } from './field-checks.ts';

/**
 * What config.yaml may contain. Validation is hand-written rather than zod because every message must carry a
 * LiteLLM-style path and a fix, unknown keys must warn instead of fail, and values need YAML-friendly coercion.
 */

export const TOP_LEVEL_KEYS = ['model_list', 'litellm_settings', 'llm_settings', 'router_settings', 'general_settings', 'environment_variables'] as const;
const MODEL_ENTRY_KEYS = new Set(['model_name', 'litellm_params', 'llm_params', 'model_info']);

const MODEL_FIX = 'add `model: provider/model-name`, for example `openai/gpt-4o`';

/** Typed litellm_params; `model` is checked separately (required) and other keys pass through to the provider. */
const LITELLM_PARAM_SPECS: Readonly<Record<string, FieldSpec>> = {
  api_base: { kind: 'string', example: 'https://api.openai.com/v1' },
  api_key: { kind: 'string', example: 'os.environ/OPENAI_API_KEY' },
  api_version: { kind: 'string', example: '"2024-06-01"' },
  azure_ad_token: { kind: 'string', example: 'os.environ/AZURE_AD_TOKEN' },
  organization: { kind: 'string' },
  mock_response: { kind: 'string' },
  headers: { kind: 'string_map', example: '{ X-Team: research }' },
  timeout: { kind: 'number', example: '600' },
  stream_timeout: { kind: 'number', example: '60' },
  rpm: { kind: 'number', example: '600', integer: true },
  tpm: { kind: 'number', example: '100000', integer: true },
  weight: { kind: 'number', example: '1' },
  max_tokens: { kind: 'number', example: '4096', integer: true },
  temperature: { kind: 'number', example: '0.7' },
  input_cost_per_token: { kind: 'number', example: '0.0000025' },
  output_cost_per_token: { kind: 'number', example: '0.00001' },
  mock_latency: { kind: 'number', example: '250' },
  drop_params: { kind: 'boolean' },
};

const FALLBACKS: FieldSpec = { kind: 'fallbacks' };
const ANY: FieldSpec = { kind: 'any' };
const BOOLEAN: FieldSpec = { kind: 'boolean' };

/** litellm_settings keys LLM Gateway knows (or accepts from LiteLLM configs without comment). */
const LITELLM_SETTINGS_SPECS: Readonly<Record<string, FieldSpec>> = {
  drop_params: BOOLEAN,
  add_function_to_prompt: BOOLEAN,
  set_verbose: BOOLEAN,
  request_timeout: { kind: 'number', example: '600' },
  stream_timeout: { kind: 'number', example: '60' },
  num_retries: { kind: 'number', example: '2', integer: true },
  num_retries_per_request: { kind: 'number', example: '2', integer: true },
  fallbacks: FALLBACKS,
  context_window_fallbacks: FALLBACKS,
  content_policy_fallbacks: FALLBACKS,
  default_fallbacks: { kind: 'string_list', example: 'gpt-4o-mini' },
  allowed_fails: { kind: 'number', example: '3', integer: true },
  cooldown_time: { kind: 'number', example: '30' },
  // LiteLLM's `cache: true` (+ cache_params), or the short `cache: {type, ttl}`.
  cache: { kind: 'any' },
  cache_params: { kind: 'mapping', example: '{ type: local }' },
  success_callback: ANY,
  failure_callback: ANY,
  callbacks: ANY,
  max_budget: { kind: 'number', example: '100' },
  budget_duration: { kind: 'string', example: '30d' },
  telemetry: BOOLEAN,
  json_logs: BOOLEAN,
  turn_off_message_logging: BOOLEAN,
  redact_user_api_key_info: BOOLEAN,
};

const GENERAL_SETTINGS_SPECS: Readonly<Record<string, FieldSpec>> = {
  master_key: { kind: 'string', example: 'os.environ/LLM_GATEWAY_MASTER_KEY' },
  database_url: { kind: 'string' },
  max_request_size_mb: { kind: 'number', example: '32' },
  allowed_hosts: { kind: 'string_list', example: 'gateway.example.lan' },
  allowed_origins: { kind: 'string_list', example: 'http://localhost:3000' },
  alerting: { kind: 'string_list', example: 'slack' },
  proxy_batch_write_at: { kind: 'number', example: '10' },
  disable_spend_logs: BOOLEAN,
  allow_unpriced_models: BOOLEAN,
  store_model_in_db: BOOLEAN,
  background_health_checks: BOOLEAN,
  health_check_interval: { kind: 'number', example: '300' },
  health_check_details: BOOLEAN,
  maximum_spend_logs_retention_period: { kind: 'string', example: '30d' },
  maximum_spend_logs_retention_interval: { kind: 'string', example: '1d' },
  stored_responses_retention_period: { kind: 'string', example: '30d' },
  client_headers_timeout: { kind: 'number', example: '10' },
  client_request_timeout: { kind: 'number', example: '300' },
  client_keep_alive_timeout: { kind: 'number', example: '65' },
  max_client_connections: { kind: 'number', example: '1024', integer: true },
  // Checked whole by llproxy-endpoints.ts (load.ts); LLProxy's config.json brings both.
  pass_through_endpoints: ANY,
  port: { kind: 'number', example: '4000', integer: true },
};

export interface ValidationResult {
  config: GatewayConfig;
  issues: ValidationIssue[];
  /** Keys LLM Gateway ignores, for warnings. Unknown settings are still kept in `config` so exports keep them. */
  unknownKeys: PathSegment[][];
}

export interface ValidateOptions {
  /** Strings accepted verbatim in any field (references not resolved yet). Default: none. */
  isReference?: (value: string) => boolean;
}

/** Checks and normalises a parsed config.yaml tree. Never throws: the caller decides what issues mean. */
export function validateConfig(input: unknown, options: ValidateOptions = {}): ValidationResult {
  const check = new FieldChecker(options.isReference ?? (() => false));
  const config = emptyConfig();
  const result = (): ValidationResult => ({ config, issues: check.issues, unknownKeys: check.unknownKeys });
  if (input === null || input === undefined) return result(); // an empty file is an empty config
  if (!isPlainObject(input)) {
    check.fail([], `the file must be a YAML mapping with top-level keys such as \`model_list:\` and \`general_settings:\`, got ${describe(input)}`);
    return result();
  }
  for (const key of Object.keys(input)) {
    if (!(TOP_LEVEL_KEYS as readonly string[]).includes(key)) check.unknownKeys.push([key]);
  }
  config.model_list = modelList(check, input.model_list);
  // llm_settings is another name for litellm_settings (seed 000 writes it, as it writes llm_params); paths name
  // the key the user wrote. Both at once is refused rather than merged: which one wins would be a guess.
  const settingsKey = Object.hasOwn(input, 'llm_settings') ? 'llm_settings' : 'litellm_settings';
  if (settingsKey === 'llm_settings' && Object.hasOwn(input, 'litellm_settings')) {
    check.fail(
      ['llm_settings'],
      'the file has both `litellm_settings` and `llm_settings` — keep only one (`llm_settings` is another name for `litellm_settings`)',
    );
  }
  config.litellm_settings = section(check, input[settingsKey], settingsKey, LITELLM_SETTINGS_SPECS, '{ drop_params: true }') as LitellmSettings;
  config.general_settings = section(
    check,
    input.general_settings,
    'general_settings',
    GENERAL_SETTINGS_SPECS,
    '{ master_key: os.environ/LLM_GATEWAY_MASTER_KEY }',
  ) as GeneralSettings;
  config.router_settings = section(check, input.router_settings, 'router_settings', null, '{ routing_strategy: simple-shuffle }');
  const envSpec: FieldSpec = { kind: 'string_map', example: '{ OPENAI_API_KEY: os.environ/MY_OPENAI_KEY }' };
  config.environment_variables = (check.field(envSpec, input.environment_variables, ['environment_variables']) as Record<string, string> | undefined) ?? {};
  return result();
}

/** A settings mapping; `specs` null means free-form (router_settings is passed to the router as is). */
function section(
  check: FieldChecker,
  value: unknown,
  key: string,
  specs: Readonly<Record<string, FieldSpec>> | null,
  example: string,
): Record<string, unknown> {
  if (value === null || value === undefined) return {};
  if (!isPlainObject(value)) return check.fail([key], `must be a mapping of settings, got ${describe(value)} — for example \`${key}: ${example}\``) ?? {};
  return specs === null ? { ...value } : check.fields(specs, value, [key], true);
}

function modelList(check: FieldChecker, value: unknown): ModelEntry[] {
  if (value === null || value === undefined) return [];
  if (!Array.isArray(value)) {
    return (
      check.fail(
        ['model_list'],
        `must be a list of deployments, got ${describe(value)} — write \`model_list:\` followed by entries like \`- model_name: gpt-4o\` with \`litellm_params: { model: openai/gpt-4o }\``,
      ) ?? []
    );
  }
  return value.flatMap((entry, index) => modelEntry(check, entry, ['model_list', index]) ?? []);
}

function modelEntry(check: FieldChecker, entry: unknown, path: PathSegment[]): ModelEntry | undefined {
  if (!isPlainObject(entry)) {
    return check.fail(
      path,
      `must be a mapping with \`model_name\` and \`litellm_params\`, got ${describe(entry)} — for example \`- model_name: gpt-4o\` then \`litellm_params: { model: openai/gpt-4o }\``,
    );
  }
  for (const key of Object.keys(entry)) if (!MODEL_ENTRY_KEYS.has(key)) check.unknownKeys.push([...path, key]);
  if (Object.hasOwn(entry, 'litellm_params') && Object.hasOwn(entry, 'llm_params')) {
    return check.fail(path, 'has both `litellm_params` and `llm_params` — keep only one (`llm_params` is another name for `litellm_params`)');
  }
  const modelName = modelNameOf(check, entry.model_name, [...path, 'model_name']);
  // llm_params is LiteLLM's alias; errors name the key the user actually wrote.
  const paramsKey = Object.hasOwn(entry, 'llm_params') ? 'llm_params' : 'litellm_params';
  const params = litellmParams(check, entry[paramsKey], [...path, paramsKey]);
  const modelInfo = check.field({ kind: 'mapping', example: '{ id: my-deployment }' }, entry.model_info, [...path, 'model_info']) as
    | Record<string, unknown>
    | undefined;
  if (modelName === undefined || params === undefined) return undefined;
  return modelInfo === undefined ? { model_name: modelName, litellm_params: params } : { model_name: modelName, litellm_params: params, model_info: modelInfo };
}

function modelNameOf(check: FieldChecker, value: unknown, path: PathSegment[]): string | undefined {
  if (value === null || value === undefined)
    return check.fail(path, 'missing — add `model_name:` with the name clients will ask for, for example `model_name: gpt-4o`');
  if (typeof value !== 'string' || value.trim() === '') {
    return check.fail(path, `must be a non-empty name, got ${describe(value)} — for example \`model_name: gpt-4o\` (quote names that look like numbers)`);
  }
  return value;
}

function litellmParams(check: FieldChecker, value: unknown, path: PathSegment[]): LitellmParams | undefined {
  if (value === null || value === undefined)
    return check.fail(path, `missing — add \`${String(path[path.length - 1])}:\` with at least \`model: provider/model-name\`, for example \`openai/gpt-4o\``);
  if (!isPlainObject(value))
    return check.fail(path, `must be a mapping, got ${describe(value)} — it needs at least \`model: provider/model-name\`, for example \`openai/gpt-4o\``);
  const model = value.model;
  const modelPath = [...path, 'model'];
  let checkedModel: string | undefined;
  if (model === null || model === undefined) check.fail(modelPath, `missing — ${MODEL_FIX}`);
  else if (typeof model !== 'string' || model.trim() === '')
    check.fail(modelPath, `must be a non-empty string, got ${describe(model)} — ${MODEL_FIX.replace('add', 'write')}`);
  else checkedModel = model;
  const { model: _model, ...rest } = value;
  const others = check.fields(LITELLM_PARAM_SPECS, rest, path, false);
  return checkedModel === undefined ? undefined : { model: checkedModel, ...others };
}
