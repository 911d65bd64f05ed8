/**
 * Cohere v2 Chat answer → OpenAI `chat.completion` (https://docs.cohere.com/reference/chat, "Response").
 */
import { GatewayError } from '../../core/errors.ts';
import type { CallContext } from '../types.ts';
import { PROVIDER_NAME, isRecord, toFinishReason, toOpenAIUsage } from './wire.ts';

export interface OpenAIToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

/** Cohere's tool call is OpenAI's shape; arguments may come as an object from older deployments. */
export function toToolCall(call: Record<string, unknown>): OpenAIToolCall {
  const fn = isRecord(call.function) ? call.function : {};
  const args = fn.arguments;
  return {
    id: String(call.id ?? ''),
    type: 'function',
    function: { name: String(fn.name ?? ''), arguments: typeof args === 'string' ? args : JSON.stringify(args ?? {}) },
  };
}

export function translateCohereChat(upstream: unknown, ctx: CallContext): Record<string, unknown> {
  if (!isRecord(upstream) || !isRecord(upstream.message)) {
    throw new GatewayError(502, `${PROVIDER_NAME} returned an answer that is not a v2 Chat response.`, { type: 'upstream_error' });
  }
  const { message } = upstream;
  const texts = Array.isArray(message.content)
    ? message.content
        .filter((part: unknown) => isRecord(part) && part.type === 'text' && typeof part.text === 'string')
        .map((part) => (part as { text: string }).text)
    : [];
  const toolCalls = Array.isArray(message.tool_calls) ? message.tool_calls.filter(isRecord).map(toToolCall) : [];
  const thoughts = Array.isArray(message.content)
    ? message.content
        .filter((part: unknown) => isRecord(part) && part.type === 'thinking' && typeof part.thinking === 'string')
        .map((part) => (part as { thinking: string }).thinking)
    : [];
  const out: Record<string, unknown> = { role: 'assistant', content: texts.length > 0 ? texts.join('') : null, refusal: null };
  if (thoughts.length > 0) out.reasoning_content = thoughts.join('');
  if (toolCalls.length > 0) out.tool_calls = toolCalls;
  return {
    id: typeof upstream.id === 'string' ? upstream.id : `chatcmpl-${ctx.requestId}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: ctx.deployment.upstreamModel,
    choices: [{ index: 0, message: out, logprobs: null, finish_reason: toFinishReason(upstream.finish_reason, toolCalls.length > 0) ?? 'stop' }],
    // No usage at all is reported as none (estimated), never as zero tokens.
    ...(isRecord(upstream.usage) ? { usage: toOpenAIUsage(upstream.usage) } : {}),
  };
}
