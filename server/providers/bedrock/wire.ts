/**
 * What Converse answers and ConverseStream events carry, and how their stop reasons and usage read in OpenAI's
 * terms. https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_TokenUsage.html
 */
import type { Usage } from '../types.ts';

export interface ConverseUsage {
  inputTokens?: number;
  outputTokens?: number;
  totalTokens?: number;
  cacheReadInputTokens?: number;
  cacheWriteInputTokens?: number;
}

/** Converse's `stopReason` → OpenAI's `finish_reason`. */
export function toFinishReason(stopReason: unknown, sawToolUse: boolean): string {
  switch (stopReason) {
    case 'tool_use':
      return 'tool_calls';
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'guardrail_intervened':
    case 'content_filtered':
      return 'content_filter';
    default:
      return sawToolUse ? 'tool_calls' : 'stop';
  }
}

/** The finish reason of an answer: a `tool_use` stop without a client's tool call was the answer tool's, a `stop`. */
export function finishReason(stopReason: unknown, sawClientToolCall: boolean): string {
  return stopReason === 'tool_use' && !sawClientToolCall ? 'stop' : toFinishReason(stopReason, sawClientToolCall);
}

/**
 * Converse counts cached prompt tokens apart from `inputTokens` (as Anthropic does); OpenAI's prompt_tokens include
 * them, with the cache reads in prompt_tokens_details and both kept under LiteLLM's names for pricing.
 */
export function toOpenAIUsage(usage: ConverseUsage | undefined): Usage {
  const read = usage?.cacheReadInputTokens ?? 0;
  const write = usage?.cacheWriteInputTokens ?? 0;
  const prompt = (usage?.inputTokens ?? 0) + read + write;
  const completion = usage?.outputTokens ?? 0;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    ...(read || write ? { prompt_tokens_details: { cached_tokens: read }, cache_read_input_tokens: read, cache_creation_input_tokens: write } : {}),
  };
}
