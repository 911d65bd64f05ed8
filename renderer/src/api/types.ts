/**
 * The admin API as the dashboard reads it: LiteLLM's endpoints (/key/*, /model/*, /spend/logs) and the
 * gateway's own under /admin/ (README "Admin API"). Field names are the wire's (snake_case). The server
 * has no shared type module with the renderer (the layers share HTTP only), so these mirror it.
 */

/** OpenAI's error envelope: every non-2xx answer. */
export interface ErrorBody {
  error: { message: string; type?: string; param?: string | null; code?: string | number | null };
}

// ---------- GET /admin/overview ----------
export interface Overview {
  status: 'running';
  version: string;
  /** What clients put in their base URL, e.g. http://localhost:4000 (no /v1). */
  base_url: string;
  started_at: string;
  uptime_s: number;
  /** Requests finished in the last 60 seconds. */
  requests_per_minute: number;
  /** Since 00:00 UTC. */
  today: { requests: number; spend: number; errors: number; error_rate: number | null };
  deployments: { total: number; healthy: number; unhealthy: number; cooling: number; unknown: number };
  /** Model groups a client may ask for (model_name values), for "Connect a client". */
  models: string[];
}

// ---------- GET /admin/settings ----------
export interface GatewaySettings {
  host: string;
  port: number;
  base_url: string;
  version: string;
  data_dir: string | null;
  /** null when the gateway runs from --model with no config file (editing is off). */
  config_path: string | null;
  master_key: { set: boolean; source: 'keychain' | 'config' | 'env' | 'none'; masked: string | null; rotatable: boolean };
  secret_store: { kind: 'keychain' | 'file' | 'memory'; weaker_protection: boolean; description: string };
  price_table: { path: string; models: number; modified_at: string | null; source: string };
}

// ---------- POST /admin/master-key/rotate ----------
/** The new master key, shown this once; the old one stops working at once. */
export interface RotatedMasterKey { master_key: string; masked: string }

// ---------- GET /admin/config/export ----------
// text/yaml attachment (Content-Disposition: attachment; filename="config.yaml"); secrets are references.

// ---------- POST /admin/config/import  { yaml: string, apply?: boolean } ----------
export interface ConfigImportResult {
  valid: boolean;
  applied: boolean;
  /** Unified diff from the running config.yaml to the imported one (secret values never appear). */
  diff: string;
  changes: { models_added: string[]; models_removed: string[]; models_changed: string[]; settings_changed: string[] };
  /** Present when valid is false (the answer is then 400 with this list in error.issues too). */
  issues?: { path: string; message: string; line?: number }[];
}

// ---------- GET /admin/routing, PUT /admin/routing ----------
/** A chain `{ "gpt-4o": ["claude-sonnet", "mock-gpt"] }` in LiteLLM's list-of-single-key-maps form. */
export type FallbackRule = Record<string, string[]>;
export type RoutingStrategy = 'simple-shuffle' | 'least-busy' | 'latency-based-routing' | 'usage-based-routing';
export interface RoutingSettings {
  routing_strategy: RoutingStrategy;
  num_retries: number;
  retry_after: number;
  allowed_fails: number;
  cooldown_time: number;
  /** Seconds for a whole request (retries included). */
  request_timeout: number;
  /** Seconds until a stream's first chunk; null: no separate limit. */
  stream_timeout: number | null;
  fallbacks: FallbackRule[];
  context_window_fallbacks: FallbackRule[];
  content_policy_fallbacks: FallbackRule[];
  default_fallbacks: string[];
  cache: { enabled: boolean; type: 'local' | 'redis'; ttl: number | null; host?: string | null; port?: number | null };
}
/** GET answers this (what is in force, plus the groups chains may name); PUT takes a Partial<RoutingSettings> and answers the same. */
export interface RoutingAnswer extends RoutingSettings { model_groups: string[] }

// ---------- POST /admin/deployments/:id/test ----------
export type DeploymentTestResult =
  | { ok: true; latency_ms: number; model: string; reply: string }
  | { ok: false; latency_ms: number; status: number; error: { message: string; type?: string; code?: string | number | null } };

// ---------- GET /admin/deployments/health (exists) ----------
export type HealthState = 'healthy' | 'cooling' | 'failing' | 'unknown';
export interface DeploymentHealth {
  id: string;
  model_name: string;
  model: string;
  api_base: string | null;
  state: HealthState;
  success_rate: number | null;
  requests: number;
  errors: number;
  latency_p50_ms: number | null;
  latency_p95_ms: number | null;
  last_error: { message: string; status: number; at: string } | null;
  cooldown_remaining_s: number;
  in_flight: number;
  last_check: { at: string; status: 'healthy' | 'unhealthy' | 'skipped'; error?: string; latency_ms?: number } | null;
  total_requests: number;
  total_errors: number;
}
export interface DeploymentHealthAnswer {
  window: { seconds: number; max_calls: number };
  background_health_checks: { enabled: boolean; interval_s: number; last_run_at: string | null };
  deployments: DeploymentHealth[];
}

// ---------- GET /admin/logs (tail), GET /admin/logs/stream (SSE) ----------
/** One pino line, parsed. `level` is pino's number (10 trace … 60 fatal); secrets already masked. */
export interface LogLine { level: number; time: number; msg?: string; [field: string]: unknown }
// /admin/logs?limit=N → { lines: LogLine[] }
// /admin/logs/stream → `event: log`, `data: <LogLine JSON>` per line (the tail first), `: ping` comments.

// ---------- /model/info, /model/new, /model/update, /model/delete (LiteLLM, exist) ----------
export interface ModelEntry {
  model_name: string;
  /** Secrets as references (`keychain/NAME`, `os.environ/NAME`) or masked (`sk-…abcd`). */
  litellm_params: Record<string, unknown> & { model: string };
  model_info: Record<string, unknown> & { id: string };
}
export interface ModelInfoAnswer { data: ModelEntry[] }

// ---------- /key/* (LiteLLM, exist) ----------
export interface KeyObject {
  token: string;
  key_id: string;
  key_name: string | null;
  key_alias: string | null;
  spend: number;
  total_spend: number;
  max_budget: number | null;
  budget_duration: string | null;
  budget_reset_at: string | null;
  expires: string | null;
  models: string[];
  aliases: Record<string, string>;
  metadata: Record<string, unknown>;
  user_id: string | null;
  team_id: string | null;
  rpm_limit: number | null;
  tpm_limit: number | null;
  max_parallel_requests: number | null;
  blocked: boolean;
  created_at: string | null;
  updated_at: string | null;
  last_active: string | null;
}
export interface KeyListAnswer { keys: KeyObject[]; total_count: number; current_page: number; total_pages: number }
/** /key/generate and /key/regenerate: `key` is the raw key, shown once. */
export interface IssuedKey extends Omit<KeyObject, 'token'> { key: string; token_id: string; duration: string | null }
export interface KeyRequest {
  key_alias?: string | null;
  models?: string[];
  max_budget?: number | null;
  budget_duration?: string | null;
  duration?: string | null;
  rpm_limit?: number | null;
  tpm_limit?: number | null;
  max_parallel_requests?: number | null;
  metadata?: Record<string, unknown>;
}

// ---------- GET /spend/logs (LiteLLM; paging headers x-total-count, x-total-pages) ----------
export interface SpendLogRow {
  request_id: string;
  call_type: string;
  api_key: string;
  key_alias: string | null;
  spend: number;
  total_tokens: number;
  prompt_tokens: number;
  completion_tokens: number;
  startTime: string;
  endTime: string;
  request_duration_ms: number;
  completionStartTime: string | null;
  model: string;
  model_id: string;
  model_group: string;
  custom_llm_provider: string;
  api_base: string;
  user: string;
  cache_hit: 'True' | 'False';
  status: 'success' | 'failure';
  metadata: {
    key_id: string | null;
    endpoint: string;
    stream: boolean;
    http_status: number;
    error_type: string | null;
    usage_source: string;
    cached_tokens: number;
    ttft_ms: number | null;
    spend_nanos: number;
    [field: string]: unknown;
  };
}

// ---------- GET /admin/usage/daily?group_by=key|model, GET /admin/usage/summary (exist) ----------
export interface UsageDay {
  /** YYYY-MM-DD, UTC. */
  date: string;
  /** keys.id or the model group; null for requests without a key. */
  group: string | null;
  /** The key's alias (by key) or the model group (by model). */
  label: string | null;
  requests: number;
  failed_requests: number;
  prompt_tokens: number;
  completion_tokens: number;
  spend: number;
}
export interface UsageDaily { group_by: 'key' | 'model'; start_date: string; end_date: string; dates: string[]; days: UsageDay[] }
export interface UsageSummary {
  start_date: string;
  end_date: string;
  requests: number;
  successful_requests: number;
  failed_requests: number;
  error_rate: number;
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  cached_tokens: number;
  spend: number;
  spend_nanos: number;
  estimated_requests: number;
  avg_duration_ms: number | null;
  avg_ttft_ms: number | null;
}
