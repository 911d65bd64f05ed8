/**
 * Anthropic message (non-streamed answer) → OpenAI `chat.completion` object.
 */
import { GatewayError } from '../../core/errors.ts';
import type { CallContext } from '../types.ts';
import { PROVIDER_NAME, isRecord, toFinishReason, toOpenAIUsage } from './wire.ts';
import type { AnthropicContentBlock, AnthropicMessage } from './wire.ts';

export interface OpenAIToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export function translateMessageResponse(upstream: unknown, ctx: CallContext): Record<string, unknown> {
  if (!isRecord(upstream) || !Array.isArray(upstream.content)) {
    throw new GatewayError(502, `${PROVIDER_NAME} returned a response that is not a Messages API message.`);
  }
  const answer = upstream as unknown as AnthropicMessage;
  const texts: string[] = [];
  const thoughts: string[] = [];
  /** LiteLLM's `thinking_blocks`: the blocks as Anthropic sent them, signatures kept, so a client can send them back. */
  const thinkingBlocks: AnthropicContentBlock[] = [];
  const toolCalls: OpenAIToolCall[] = [];
  for (const block of answer.content as AnthropicContentBlock[]) {
    if (block.type === 'text' && typeof block.text === 'string') texts.push(block.text);
    else if (block.type === 'thinking' && typeof block.thinking === 'string') {
      thoughts.push(block.thinking);
      thinkingBlocks.push({ type: 'thinking', thinking: block.thinking, signature: block.signature ?? '' });
    } else if (block.type === 'redacted_thinking') thinkingBlocks.push({ type: 'redacted_thinking', data: block.data ?? '' });
    else if (block.type === 'tool_use') {
      toolCalls.push({
        id: String(block.id ?? ''),
        type: 'function',
        function: { name: String(block.name ?? ''), arguments: JSON.stringify(block.input ?? {}) },
      });
    }
    // Server-side tool blocks have no OpenAI counterpart and are left out.
  }

  const message: Record<string, unknown> = {
    role: 'assistant',
    content: texts.length > 0 ? texts.join('') : null,
    refusal: null,
  };
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  if (thoughts.length > 0) message.reasoning_content = thoughts.join('');
  if (thinkingBlocks.length > 0) message.thinking_blocks = thinkingBlocks;

  return {
    id: typeof answer.id === 'string' ? answer.id : `chatcmpl-${ctx.requestId}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: typeof answer.model === 'string' ? answer.model : ctx.deployment.upstreamModel,
    choices: [
      {
        index: 0,
        message,
        logprobs: null,
        // A finished answer always has a reason; `stop` covers an absent one.
        finish_reason: toFinishReason(answer.stop_reason) ?? 'stop',
      },
    ],
    // No usage at all (a proxy stripped it) is reported as none, not as zero tokens, so the call is estimated rather than free.
    ...(isRecord(answer.usage) ? { usage: toOpenAIUsage(answer.usage) } : {}),
  };
}
