/**
 * ConverseStream events (AWS event-stream messages, `:event-type` header + JSON payload) → OpenAI chunks:
 * messageStart, contentBlockStart (a tool call's id and name; response_format's answer tool streams as content), contentBlockDelta (text, tool input JSON,
 * reasoning with its signature or redacted), messageStop (stop reason), metadata (usage, last). Exceptions in the stream are raised by the framing.
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ConverseStream.html
 */
import { GatewayError } from '../../core/errors.ts';
import type { AwsEventStreamFrame, CallContext, OpenAIChunk, StreamTranslator } from '../types.ts';
import { reasoningDelta } from './reasoning.ts';
import { RESPONSE_TOOL_NAME, answersThroughTool } from './structured-output.ts';
import { type ConverseUsage, finishReason, toOpenAIUsage } from './wire.ts';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function createConverseStreamTranslator(ctx: CallContext): StreamTranslator<AwsEventStreamFrame> {
  const header = {
    id: `chatcmpl-${ctx.requestId}`,
    object: 'chat.completion.chunk',
    created: Math.floor(Date.now() / 1000),
    model: ctx.deployment.upstreamModel,
  };
  const delta = (d: Record<string, unknown>, finish: string | null = null): OpenAIChunk => ({
    ...header,
    choices: [{ index: 0, delta: d, logprobs: null, finish_reason: finish }],
  });
  /** contentBlockIndex of each tool call → its index among the answer's tool calls. */
  const toolIndex = new Map<number, number>();
  /** contentBlockIndex of response_format's answer tool: its input JSON streams as content. */
  const answerBlocks = new Set<number>();
  const viaAnswerTool = answersThroughTool(ctx);
  let stopReason: unknown;
  let stopped = false;
  let usageSent = false;
  return {
    push({ headers, payload }) {
      let event: Record<string, unknown>;
      try {
        event = JSON.parse(Buffer.from(payload).toString('utf8')) as Record<string, unknown>;
      } catch {
        throw new GatewayError(502, 'AWS Bedrock sent a stream event that is not JSON.', { code: 'upstream_invalid_response' });
      }
      const block = typeof event.contentBlockIndex === 'number' ? event.contentBlockIndex : 0;
      switch (headers[':event-type']) {
        case 'messageStart':
          return [delta({ role: 'assistant', content: '' })];
        case 'contentBlockStart': {
          const start = isRecord(event.start) && isRecord(event.start.toolUse) ? event.start.toolUse : undefined;
          if (!start) return [];
          if (viaAnswerTool && start.name === RESPONSE_TOOL_NAME) {
            answerBlocks.add(block);
            return [];
          }
          const index = toolIndex.size;
          toolIndex.set(block, index);
          return [
            delta({
              tool_calls: [{ index, id: String(start.toolUseId ?? ''), type: 'function', function: { name: String(start.name ?? ''), arguments: '' } }],
            }),
          ];
        }
        case 'contentBlockDelta': {
          const d = isRecord(event.delta) ? event.delta : {};
          if (typeof d.text === 'string') return d.text === '' ? [] : [delta({ content: d.text })];
          if (isRecord(d.toolUse) && typeof d.toolUse.input === 'string') {
            if (answerBlocks.has(block)) return d.toolUse.input === '' ? [] : [delta({ content: d.toolUse.input })];
            return [delta({ tool_calls: [{ index: toolIndex.get(block) ?? 0, function: { arguments: d.toolUse.input } }] })];
          }
          if (isRecord(d.reasoningContent)) {
            const reasoning = reasoningDelta(d.reasoningContent);
            return reasoning ? [delta(reasoning)] : [];
          }
          return [];
        }
        case 'messageStop':
          stopped = true;
          stopReason = event.stopReason;
          return [delta({}, finishReason(stopReason, toolIndex.size > 0))];
        case 'metadata':
          usageSent = true;
          return [{ ...header, choices: [], usage: toOpenAIUsage(event.usage as ConverseUsage | undefined) }];
        default:
          return [];
      }
    },
    end() {
      if (!stopped) throw new GatewayError(502, 'The AWS Bedrock stream ended before its messageStop event.', { code: 'upstream_invalid_response' });
      return usageSent ? [] : [{ ...header, choices: [], usage: toOpenAIUsage(undefined) }];
    },
  };
}
