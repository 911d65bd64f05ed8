/**
 * Converse answer → OpenAI `chat.completion`: text blocks joined, `toolUse` blocks as tool calls (ids kept),
 * response_format's answer tool as the content, `reasoningContent` as LiteLLM's `reasoning_content` and `thinking_blocks` (signatures kept, so a client can send
 * them back).
 */
import { GatewayError } from '../../core/errors.ts';
import type { CallContext } from '../types.ts';
import { type ThinkingBlock, thinkingBlockOf } from './reasoning.ts';
import { RESPONSE_TOOL_NAME, answersThroughTool } from './structured-output.ts';
import { type ConverseUsage, finishReason, toOpenAIUsage } from './wire.ts';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function translateConverseResponse(upstream: unknown, ctx: CallContext): Record<string, unknown> {
  const message = isRecord(upstream) && isRecord(upstream.output) ? upstream.output.message : undefined;
  if (!isRecord(upstream) || !isRecord(message) || !Array.isArray(message.content)) {
    throw new GatewayError(502, 'AWS Bedrock returned an answer that is not a Converse response.', { code: 'upstream_invalid_response' });
  }
  const texts: string[] = [];
  const thoughts: string[] = [];
  const thinkingBlocks: ThinkingBlock[] = [];
  const toolCalls: Record<string, unknown>[] = [];
  const viaAnswerTool = answersThroughTool(ctx);
  for (const block of message.content as unknown[]) {
    if (!isRecord(block)) continue;
    if (typeof block.text === 'string') texts.push(block.text);
    else if (isRecord(block.toolUse)) {
      const use = block.toolUse;
      // response_format's answer tool: its input is the answer itself.
      if (viaAnswerTool && use.name === RESPONSE_TOOL_NAME) {
        texts.push(JSON.stringify(use.input ?? {}));
        continue;
      }
      toolCalls.push({
        id: String(use.toolUseId ?? ''),
        type: 'function',
        function: { name: String(use.name ?? ''), arguments: JSON.stringify(use.input ?? {}) },
      });
    } else if (block.reasoningContent !== undefined) {
      const thinking = thinkingBlockOf(block.reasoningContent);
      if (thinking) thinkingBlocks.push(thinking);
      if (thinking?.type === 'thinking') thoughts.push(thinking.thinking);
    }
  }
  const out: Record<string, unknown> = { role: 'assistant', content: texts.length > 0 ? texts.join('') : null, refusal: null };
  if (toolCalls.length > 0) out.tool_calls = toolCalls;
  if (thoughts.length > 0) out.reasoning_content = thoughts.join('');
  if (thinkingBlocks.length > 0) out.thinking_blocks = thinkingBlocks;
  return {
    id: `chatcmpl-${ctx.requestId}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: ctx.deployment.upstreamModel,
    choices: [{ index: 0, message: out, logprobs: null, finish_reason: finishReason(upstream.stopReason, toolCalls.length > 0) }],
    usage: toOpenAIUsage(upstream.usage as ConverseUsage | undefined),
  };
}
