/**
 * The two mappings the answer and stream translators share: OpenAI usage → Anthropic usage, and
 * finish_reason → stop_reason. Both are the reverse of wire.ts's outbound mappings.
 */
import type { AnthropicUsage } from '../wire.ts';
import { isRecord } from '../wire.ts';

const count = (n: unknown): number => (typeof n === 'number' && Number.isFinite(n) ? n : 0);

/**
 * OpenAI's prompt_tokens counts every prompt token, cached ones included; Anthropic's input_tokens
 * leaves cache reads and writes out and reports them apart, so they are subtracted here.
 */
export function toAnthropicUsage(usage: unknown): Required<AnthropicUsage> {
  const u = isRecord(usage) ? usage : {};
  const details = isRecord(u.prompt_tokens_details) ? u.prompt_tokens_details : {};
  const cacheRead = count(u.cache_read_input_tokens) || count(details.cached_tokens);
  const cacheWrite = count(u.cache_creation_input_tokens);
  return {
    input_tokens: Math.max(0, count(u.prompt_tokens) - cacheRead - cacheWrite),
    output_tokens: count(u.completion_tokens),
    cache_creation_input_tokens: cacheWrite,
    cache_read_input_tokens: cacheRead,
  };
}

export interface StopInfo {
  stop_reason: 'end_turn' | 'max_tokens' | 'tool_use' | 'stop_sequence' | 'refusal';
  stop_sequence: string | null;
}

/**
 * finish_reason → stop_reason. OpenAI does not say whether `stop` came from a stop sequence; vLLM and
 * some others put the matched string in the choice's `stop_reason`, which is used when it is one of
 * the client's stop_sequences.
 */
export function toStopInfo(finishReason: unknown, matchedStop: unknown, stopSequences: readonly string[]): StopInfo {
  switch (finishReason) {
    case 'length':
      return { stop_reason: 'max_tokens', stop_sequence: null };
    case 'tool_calls':
    case 'function_call':
      return { stop_reason: 'tool_use', stop_sequence: null };
    case 'content_filter':
      return { stop_reason: 'refusal', stop_sequence: null };
  }
  if (typeof matchedStop === 'string' && stopSequences.includes(matchedStop)) {
    return { stop_reason: 'stop_sequence', stop_sequence: matchedStop };
  }
  return { stop_reason: 'end_turn', stop_sequence: null };
}

/** Tool arguments are a JSON string in OpenAI, an object in Anthropic. */
export function parseToolInput(args: unknown): Record<string, unknown> {
  if (isRecord(args)) return args;
  if (typeof args !== 'string' || args.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(args);
    return isRecord(parsed) ? parsed : { value: parsed };
  } catch {
    // A model sometimes emits broken JSON; Anthropic's schema has no place for it but an object.
    return { raw_arguments: args };
  }
}

/** Anthropic message ids look like `msg_…`; derived from the gateway's request id so logs match. */
export function messageId(requestId: string): string {
  return `msg_${requestId.replaceAll('-', '')}`;
}
