/**
 * Token usage between the Responses API's shape and the gateway's chat-shaped `Usage` (what metering and
 * pricing read). Both count every prompt token in input_tokens / prompt_tokens, cached ones included.
 */
import type { Usage } from '../../types.ts';
import { isRecord } from './wire.ts';

const count = (n: unknown): number => (typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : 0);

/** A Responses `usage` (a native OpenAI/Azure answer) → the gateway's Usage. Cache writes keep LiteLLM's name for pricing. */
export function usageFromResponses(u: unknown): Usage {
  const usage = isRecord(u) ? u : {};
  const input = count(usage.input_tokens);
  const output = count(usage.output_tokens);
  const inputDetails = isRecord(usage.input_tokens_details) ? usage.input_tokens_details : {};
  const outputDetails = isRecord(usage.output_tokens_details) ? usage.output_tokens_details : {};
  const cacheWrite = count(inputDetails.cache_write_tokens);
  return {
    prompt_tokens: input,
    completion_tokens: output,
    total_tokens: count(usage.total_tokens) || input + output,
    prompt_tokens_details: { cached_tokens: count(inputDetails.cached_tokens) },
    completion_tokens_details: { reasoning_tokens: count(outputDetails.reasoning_tokens) },
    ...(cacheWrite > 0 ? { cache_creation_input_tokens: cacheWrite } : {}),
  };
}

/** The gateway's Usage (a chat answer's, or the pipeline's estimate) → a Responses `usage` (ResponseUsage). */
export function responsesUsageFrom(u: Usage | Record<string, unknown>): Record<string, unknown> {
  const usage = u as Record<string, unknown>;
  const input = count(usage.prompt_tokens);
  const output = count(usage.completion_tokens);
  const promptDetails = isRecord(usage.prompt_tokens_details) ? usage.prompt_tokens_details : {};
  const completionDetails = isRecord(usage.completion_tokens_details) ? usage.completion_tokens_details : {};
  return {
    input_tokens: input,
    input_tokens_details: {
      cached_tokens: count(promptDetails.cached_tokens) || count(usage.cache_read_input_tokens),
      cache_write_tokens: count(usage.cache_creation_input_tokens),
    },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: count(completionDetails.reasoning_tokens) },
    total_tokens: count(usage.total_tokens) || input + output,
  };
}
