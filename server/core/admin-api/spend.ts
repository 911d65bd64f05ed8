/**
 * The admin API's wire types for spend: LiteLLM's GET /spend/logs (rows in its SpendLogs shape; paging in the
 * x-total-count, x-page, x-page-size, x-total-pages and Link headers) and the gateway's GET /admin/usage/daily
 * and GET /admin/usage/summary. Money in dollars (and exact nano-dollars where named so), times as ISO strings.
 */
import type { Endpoint } from '../call.ts';

/** The inbound surface a request came through. */
export type SpendEndpoint = Endpoint | 'messages' | 'responses' | 'rerank';

/** LiteLLM's call_type names, one per SpendEndpoint. */
export type SpendCallType = 'acompletion' | 'atext_completion' | 'aembedding' | 'anthropic_messages' | 'aresponses' | 'arerank';

/**
 * Where a request's cost came from: the price table (bundled or updated), the deployment's own prices
 * (litellm_params / model_info), or nowhere: `unpriced` rows cost $0 because no price is known for the model.
 */
export type CostSource = 'price_table' | 'deployment' | 'unpriced';

/** Where a request's token counts came from: the provider, the gateway's tokenizer, or nowhere (a failure). */
export type UsageSource = 'provider' | 'estimated' | 'none';

// ---------- GET /spend/logs ----------
/** One request, in LiteLLM's SpendLogs shape; gateway-only facts in `metadata`. */
export interface SpendLogRow {
  request_id: string;
  call_type: SpendCallType;
  /** The key's sha256 hash ('' without a key). */
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
  /** The upstream model. */
  model: string;
  /** The deployment's id. */
  model_id: string;
  /** The model group that served: after a fallback, the fallback's group ('' when none was reached). */
  model_group: string;
  /**
   * The model name the client sent, before key aliases and fallbacks; differs from model_group when the
   * request was served by another group. null in rows recorded before the gateway kept it.
   */
  requested_model: string | null;
  custom_llm_provider: string;
  api_base: string;
  /** The request's `user` field ('' without one); `end_user` the same, null without one. */
  user: string;
  end_user: string | null;
  cache_hit: 'True' | 'False';
  cache_key: string;
  request_tags: string[];
  team_id: null;
  status: 'success' | 'failure';
  metadata: {
    user_api_key: string | null;
    user_api_key_alias: string | null;
    key_id: string | null;
    endpoint: SpendEndpoint;
    stream: boolean;
    http_status: number;
    error_type: string | null;
    /** LiteLLM's StandardLoggingPayloadErrorInformation; null on success. */
    error_information: { error_code: string; error_class: string | null; llm_provider: string | null; error_message: string | null } | null;
    /**
     * A failed request's error message as its client was told it (an upstream's own message included), every
     * secret masked (`sk-…abcd`); null on success and in older rows. Same as error_information.error_message.
     */
    error_message: string | null;
    /** requested_model is known and differs from model_group: a fallback (or a key alias) served the request. */
    fallback: boolean;
    usage_source: UsageSource;
    cached_tokens: number;
    cache_creation_tokens: number;
    ttft_ms: number | null;
    /** Exact integer nano-dollars. */
    spend_nanos: number;
    /** `unpriced`: the model has no price, so `spend` is 0 whatever the call cost upstream. */
    cost_source: CostSource;
  };
}

// ---------- GET /admin/usage/daily?group_by=key|model ----------
export interface UsageDay {
  /** YYYY-MM-DD, UTC. */
  date: string;
  /** keys.id or the model group; null for requests without a key. */
  group: string | null;
  /** For display: the key's alias (by key) or the model group (by model). */
  label: string | null;
  requests: number;
  failed_requests: number;
  prompt_tokens: number;
  completion_tokens: number;
  /** USD */
  spend: number;
}

export interface UsageDaily {
  group_by: 'key' | 'model';
  start_date: string;
  end_date: string;
  /** Every UTC day of the range, so charts draw days without requests as zero. */
  dates: string[];
  days: UsageDay[];
}

// ---------- GET /admin/usage/summary ----------
export interface UsageTotals {
  requests: number;
  successful_requests: number;
  failed_requests: number;
  /** failed / requests; 0 without requests. */
  error_rate: number;
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  cached_tokens: number;
  /** USD */
  spend: number;
  /** Exact integer nano-dollars. */
  spend_nanos: number;
  /** Requests whose usage was counted by the gateway's tokenizer. */
  estimated_requests: number;
  /** Requests to models with no price: counted as $0 in `spend` (cost_source `unpriced`). */
  unpriced_requests: number;
  avg_duration_ms: number | null;
  avg_ttft_ms: number | null;
}

export interface UsageSummary extends UsageTotals {
  start_date: string;
  end_date: string;
}
