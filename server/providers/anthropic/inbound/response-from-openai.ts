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
  const content: AnthropicContentBlock[] = [];
  const text = typeof message.content === 'string' ? message.content : typeof message.refusal === 'string' ? message.refusal : '';
  if (text !== '') content.push({ type: 'text', text });
  if (Array.isArray(message.tool_calls)) {
    message.tool_calls.forEach((call: unknown, i) => {
      if (!isRecord(call) || !isRecord(call.function)) return;
      const id = typeof call.id === 'string' && call.id !== '' ? call.id : `toolu_${ctx.requestId.replaceAll('-', '')}_${i}`;
      content.push({ type: 'tool_use', id, name: String(call.function.name ?? ''), input: parseToolInput(call.function.arguments) });
    });
  }
  // Clients read content[0]; an empty answer is still one (empty) text block.
  if (content.length === 0) content.push({ type: 'text', text: '' });
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
