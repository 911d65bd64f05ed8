/**
 * The admin API's wire types for models and deployments: LiteLLM's /model/info, /model/new, /model/update,
 * /model/delete, and the gateway's GET /admin/deployments/health and POST /admin/deployments/:id/test.
 */

// ---------- GET /model/info (and /v1/model/info) ----------
/** One deployment as /model/info shows it; secrets as references (`keychain/NAME`, `os.environ/NAME`) or masked (`sk-…abcd`). */
export interface ModelInfoEntry {
  model_name: string;
  litellm_params: Record<string, unknown> & { model: string };
  /** `id` is the deployment's id (model_info.id in config.yaml); `db_model` is always false (config.yaml, never a database). */
  model_info: Record<string, unknown> & { id: string; db_model: boolean };
}

export interface ModelInfoAnswer {
  data: ModelInfoEntry[];
}

// ---------- POST /model/new, /model/update, PATCH /model/:id/update, POST /model/delete ----------
export interface NewModelRequest {
  model_name: string;
  litellm_params: Record<string, unknown> & { model: string };
  model_info?: Record<string, unknown>;
}

/** Only what changes (litellm_params merged key by key); `null` means "not given", as in LiteLLM. */
export interface ModelPatch {
  model_name?: string | null;
  litellm_params?: Record<string, unknown> | null;
  model_info?: Record<string, unknown> | null;
}

export interface ModelUpdateRequest extends ModelPatch {
  model_info: Record<string, unknown> & { id: string };
}

export interface ModelDeleteRequest {
  id: string;
}

/** LiteLLM answers /model/new and /model/update with the stored entry and its id. */
export interface StoredModel extends ModelInfoEntry {
  model_id: string;
}

export interface ModelDeleteAnswer {
  message: string;
}

// ---------- GET /admin/deployments/health ----------
/**
 * cooling: left out by the router right now; failing: the newest signal (a call in the window or the last active
 * check) was a failure; healthy: it was a success; unknown: no call in the window, never checked.
 */
export type HealthState = 'healthy' | 'cooling' | 'failing' | 'unknown';

/** One deployment's health. Never a secret: api_base without credentials, error messages masked. */
export interface DeploymentSnapshot {
  id: string;
  model_name: string;
  /** `provider/upstream-model`. */
  model: string;
  /** null for the built-in mock provider. */
  api_base: string | null;
  state: HealthState;
  /** Successful share of the calls in the window (0..1); null without calls. */
  success_rate: number | null;
  /** Calls in the window (the last 5 minutes, at most the last 200). */
  requests: number;
  errors: number;
  /** Latency of the successful calls in the window (time until the upstream answered; for streams, until it started). */
  latency_p50_ms: number | null;
  latency_p95_ms: number | null;
  last_error: { message: string; status: number; at: string } | null;
  cooldown_remaining_s: number;
  in_flight: number;
  last_check: { at: string; status: 'healthy' | 'unhealthy' | 'skipped'; error?: string; latency_ms?: number } | null;
  /** Since the gateway started. */
  total_requests: number;
  total_errors: number;
}

export interface DeploymentHealthAnswer {
  window: { seconds: number; max_calls: number };
  background_health_checks: { enabled: boolean; interval_s: number; last_run_at: string | null };
  deployments: DeploymentSnapshot[];
}

// ---------- POST /admin/deployments/:id/test ----------
/** One real call to one deployment, past the router: its reply, or the upstream's status and (masked) error. */
export type DeploymentTestResult =
  | { ok: true; latency_ms: number; model: string; reply: string }
  | { ok: false; latency_ms: number; status: number; error: { message: string; type?: string; code?: string | number | null } };
