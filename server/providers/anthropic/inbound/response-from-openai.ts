/**
 * OpenAI `chat.completion` → Anthropic `message` object, for answers from non-Anthropic deployments.
 */
import { GatewayError } from '../../../core/errors.ts';
import type { AnthropicContentBlock } from '../wire.ts';
import { isRecord } from '../wire.ts';
import { messageId, parseToolInput, toAnthropicUsage, toStopInfo } from './usage.ts';

export interface AnswerContext {
  /** The model name the client asked for; Anthropic echoes it back. */
  model: string;
  requestId: string;
  stopSequences: readonly string[];
}

export function toAnthropicMessage(completion: Record<string, unknown>, ctx: AnswerContext): Record<string, unknown> {
  const choice: unknown = Array.isArray(completion.choices) ? completion.choices[0] : undefined;
  if (!isRecord(choice) || !isRecord(choice.message)) {
    throw new GatewayError(502, 'The upstream answered without a choice to translate into an Anthropic message.', { code: 'upstream_invalid_response' });
  }
  const message = choice.message;
  const content: AnthropicContentBlock[] = thinkingBlocks(message);
  const text = typeof message.content === 'string' ? message.content : typeof message.refusal === 'string' ? message.refusal : '';
  if (text !== '') content.push({ type: 'text', text });
  if (Array.isArray(message.tool_calls)) {
    message.tool_calls.forEach((call: unknown, i) => {
      if (!isRecord(call) || !isRecord(call.function)) return;
      const id = typeof call.id === 'string' && call.id !== '' ? call.id : `toolu_${ctx.requestId.replaceAll('-', '')}_${i}`;
      content.push({ type: 'tool_use', id, name: String(call.function.name ?? ''), input: parseToolInput(call.function.arguments) });
    });
  }
  // Clients expect an answer besides its thinking; an empty answer is still one (empty) text block.
  if (!content.some((block) => block.type !== 'thinking' && block.type !== 'redacted_thinking')) content.push({ type: 'text', text: '' });
  return {
    id: messageId(ctx.requestId),
    type: 'message',
    role: 'assistant',
    model: ctx.model,
    content,
    ...toStopInfo(choice.finish_reason, choice.stop_reason, ctx.stopSequences),
    usage: toAnthropicUsage(completion.usage),
  };
}

/**
 * The answer's reasoning as Anthropic thinking blocks, first in the message as Anthropic puts them: LiteLLM's
 * `thinking_blocks` as they are (signatures kept) when present, else `reasoning_content` (LiteLLM, DeepSeek,
 * vLLM) or `reasoning` (OpenRouter, newer vLLM) as one block whose signature is empty — no upstream signed it.
 */
export function thinkingBlocks(message: Record<string, unknown>): AnthropicContentBlock[] {
  if (Array.isArray(message.thinking_blocks)) {
    const blocks = message.thinking_blocks.filter(
      (block): block is AnthropicContentBlock => isRecord(block) && (block.type === 'thinking' || block.type === 'redacted_thinking'),
    );
    if (blocks.length > 0) return blocks.map((block) => (block.type === 'thinking' ? { ...block, signature: block.signature ?? '' } : block));
  }
  const reasoning = reasoningText(message);
  return reasoning ? [{ type: 'thinking', thinking: reasoning, signature: '' }] : [];
}

/** The reasoning text of a chat message or stream delta, under either name it comes by. */
export function reasoningText(message: Record<string, unknown>): string | undefined {
  const text = typeof message.reasoning_content === 'string' ? message.reasoning_content : message.reasoning;
  return typeof text === 'string' && text !== '' ? text : undefined;
}
