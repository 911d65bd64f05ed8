/**
 * The gateway's configuration, in LiteLLM's config.yaml shape (keys keep LiteLLM's snake_case names so
 * configs move both ways). These are the *validated* types: see schema.ts for what is accepted.
 */

/** Per-deployment parameters. Unknown keys are kept: they are provider parameters passed upstream. */
export interface LitellmParams {
  /** `provider/upstream-model`, or a bare name resolved through the price table. */
  model: string;
  api_base?: string;
  api_key?: string;
  api_version?: string;
  azure_ad_token?: string;
  organization?: string;
  /** Extra headers sent upstream with every request to this deployment. */
  headers?: Record<string, string>;
  /** Seconds for the whole upstream call. */
  timeout?: number;
  /** Seconds to the first byte of a streamed answer. */
  stream_timeout?: number;
  rpm?: number;
  tpm?: number;
  weight?: number;
  max_tokens?: number;
  temperature?: number;
  drop_params?: boolean;
  input_cost_per_token?: number;
  output_cost_per_token?: number;
  /** Built-in mock provider: fixed answer instead of the echo. */
  mock_response?: string;
  /** Built-in mock provider: milliseconds to wait before answering. */
  mock_latency?: number;
  [extra: string]: unknown;
}

export interface ModelEntry {
  model_name: string;
  litellm_params: LitellmParams;
  model_info?: Record<string, unknown>;
}

export interface LitellmSettings {
  drop_params?: boolean;
  set_verbose?: boolean;
  /** Seconds; default 600 as in LiteLLM. */
  request_timeout?: number;
  num_retries?: number;
  /** Seconds to the first byte of a streamed answer, for every deployment without its own. */
  stream_timeout?: number;
  /** Per model name, the model names to try next when a call fails. */
  fallbacks?: FallbackRule[];
  /** Same, when the prompt is too long for the model's context window. */
  context_window_fallbacks?: FallbackRule[];
  /** Same, when the provider refuses the content. */
  content_policy_fallbacks?: FallbackRule[];
  /** Model names tried for any model that has no fallbacks of its own. */
  default_fallbacks?: string[];
  /** Failures in a minute before a deployment is cooled down. */
  allowed_fails?: number;
  /** Seconds a failing deployment is left out. */
  cooldown_time?: number;
  max_budget?: number;
  budget_duration?: string;
  cache?: boolean | Record<string, unknown>;
  cache_params?: Record<string, unknown>;
  json_logs?: boolean;
  turn_off_message_logging?: boolean;
  [key: string]: unknown;
}

/** One LiteLLM fallback rule: `{ gpt-4o: [gpt-4o-mini, claude-sonnet] }`. */
export type FallbackRule = Record<string, string[]>;

export interface GeneralSettings {
  master_key?: string;
  database_url?: string;
  /** Megabytes accepted in one request body (413 above). */
  max_request_size_mb?: number;
  /** Extra Host header names accepted besides the bound name and loopback names. */
  allowed_hosts?: string[];
  /** Web page origins (`https://chat.example.com`) that may call the gateway from a browser besides its own dashboard. */
  allowed_origins?: string[];
  alerting?: string[];
  disable_spend_logs?: boolean;
  /** Keys with a budget may call deployments that have no price (their calls count $0); default false: refused, 400 model_unpriced. */
  allow_unpriced_models?: boolean;
  background_health_checks?: boolean;
  /** Seconds between background health checks. */
  health_check_interval?: number;
  health_check_details?: boolean;
  /** Seconds a client has to send its request headers (default 10). */
  client_headers_timeout?: number;
  /** Seconds a client has to send its whole request, body included; never limits the response (default 300). */
  client_request_timeout?: number;
  /** Seconds an idle keep-alive connection stays open (default 65). */
  client_keep_alive_timeout?: number;
  /** Connections open at once; more are closed as they arrive (default 1024). */
  max_client_connections?: number;
  [key: string]: unknown;
}

export interface GatewayConfig {
  model_list: ModelEntry[];
  litellm_settings: LitellmSettings;
  router_settings: Record<string, unknown>;
  general_settings: GeneralSettings;
  environment_variables: Record<string, string>;
}

export function emptyConfig(): GatewayConfig {
  return { model_list: [], litellm_settings: {}, router_settings: {}, general_settings: {}, environment_variables: {} };
}
