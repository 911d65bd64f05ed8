/**
 * The vocabulary of one upstream call, shared by every layer: which endpoint, which deployment, the HTTP request
 * sent, the usage reported. Providers build them, the router picks them, metering prices them, observe logs them.
 */
import type { LitellmParams } from './config-types.ts';

export type Endpoint = 'chat' | 'completions' | 'embeddings';

/** One configured upstream (a model_list entry), resolved and ready to call. */
export interface Deployment {
  /** Stable id derived from the entry (sent back as `x-litellm-model-id`). */
  id: string;
  /** The model group this deployment serves (`model_name`). */
  modelName: string;
  /** Registry key of the wire protocol family: 'openai', 'azure', 'anthropic', 'groq', 'mock', … */
  provider: string;
  /** The model name the upstream expects (prefix removed; for Azure the deployment name). */
  upstreamModel: string;
  /** Base URL without a trailing slash (e.g. https://api.openai.com/v1, https://api.anthropic.com). */
  apiBase: string;
  apiKey?: string;
  apiVersion?: string;
  /** litellm_params with secret references already resolved. */
  params: LitellmParams;
  /** Whole-call timeout. */
  timeoutMs: number;
  /** Time to the first byte of a streamed answer. */
  streamTimeoutMs: number;
  /** Drop parameters the provider does not accept instead of answering 400. */
  dropParams: boolean;
  /**
   * LiteLLM's add_function_to_prompt: when the provider refuses tools, they are written into the system prompt as
   * text (and tools / tool_choice left out) instead of the 400.
   */
  addFunctionToPrompt?: boolean;
  /** Request-body defaults from litellm_params (temperature, max_tokens, extra provider params). */
  defaults: Record<string, unknown>;
  /** Extra headers from litellm_params.headers. */
  headers: Record<string, string>;
  modelInfo: Record<string, unknown>;
}

export interface UpstreamRequest {
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
}

/** OpenAI usage object, as returned in responses and the final stream chunk. */
export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details?: { cached_tokens?: number; [k: string]: unknown };
  completion_tokens_details?: Record<string, unknown>;
  /** Anthropic prompt-cache writes, kept for pricing (LiteLLM's name). */
  cache_creation_input_tokens?: number;
  /** Anthropic prompt-cache reads, kept for pricing (LiteLLM's name). */
  cache_read_input_tokens?: number;
}
