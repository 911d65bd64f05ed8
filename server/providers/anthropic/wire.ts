/**
 * The slice of Anthropic's Messages API wire format this adapter reads, plus the two mappings the
 * response and stream translators share (stop reason → finish_reason, usage → OpenAI usage).
 */
import type { Usage } from '../types.ts';

export const PROVIDER_NAME = 'Anthropic';

/** Anthropic's usage object; the cache fields are absent or null when prompt caching was not used. */
export interface AnthropicUsage {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
}

/** One content block of an answer. Kept loose: new block types appear and must not break parsing. */
export interface AnthropicContentBlock {
  type: string;
  text?: string;
  id?: string;
  name?: string;
  input?: unknown;
  thinking?: string;
  /** Of a thinking block: Anthropic's proof that it wrote it, sent back with the block in later turns. */
  signature?: string;
  /** Of a redacted_thinking block: the encrypted reasoning. */
  data?: string;
}

/** A non-streamed Messages API answer. */
export interface AnthropicMessage {
  id: string;
  type: 'message';
  role: 'assistant';
  model: string;
  content: AnthropicContentBlock[];
  stop_reason: string | null;
  stop_sequence?: string | null;
  usage?: AnthropicUsage;
}

/** Anthropic error body: {"type":"error","error":{"type","message"}}. */
export interface AnthropicErrorDetail {
  type?: string;
  message?: string;
}

export type OpenAIFinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter';

/** Anthropic stop_reason → OpenAI finish_reason; null while the answer is still running. */
export function toFinishReason(stopReason: string | null | undefined): OpenAIFinishReason | null {
  switch (stopReason) {
    case null:
    case undefined:
      return null;
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool_calls';
    case 'refusal':
      return 'content_filter';
    // end_turn, stop_sequence, pause_turn and any reason added later: the model stopped normally.
    default:
      return 'stop';
  }
}

const count = (n: number | null | undefined): number => (typeof n === 'number' && Number.isFinite(n) ? n : 0);

/**
 * Anthropic reports cache reads and writes apart from input_tokens; OpenAI's prompt_tokens counts every
 * prompt token, so they are summed here. The two cache counts are also kept under LiteLLM's names so the
 * cost step can price them at their own rates.
 */
export function toOpenAIUsage(usage: AnthropicUsage | undefined): Usage {
  const input = count(usage?.input_tokens);
  const cacheRead = count(usage?.cache_read_input_tokens);
  const cacheWrite = count(usage?.cache_creation_input_tokens);
  const output = count(usage?.output_tokens);
  const promptTokens = input + cacheRead + cacheWrite;
  return {
    prompt_tokens: promptTokens,
    completion_tokens: output,
    total_tokens: promptTokens + output,
    prompt_tokens_details: { cached_tokens: cacheRead },
    cache_creation_input_tokens: cacheWrite,
    cache_read_input_tokens: cacheRead,
  };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
