/**
 * Cohere v2 Chat stream (typed SSE events, https://docs.cohere.com/reference/chat-stream) → OpenAI chunks:
 * message-start, content-delta, tool-plan-delta, tool-call-start / -delta / -end, message-end (finish reason and
 * usage). Content-start, content-end, citation events and types added later carry nothing a client needs.
 */
import { GatewayError } from '../../core/errors.ts';
import type { CallContext, OpenAIChunk, SseFrame, StreamTranslator, Usage } from '../types.ts';
import { PROVIDER_NAME, isRecord, toFinishReason, toOpenAIUsage } from './wire.ts';

export function createCohereStreamTranslator(ctx: CallContext): StreamTranslator<SseFrame> {
  return new CohereStreamTranslator(ctx);
}

/** The `delta.message` of an event, where Cohere puts every streamed piece. */
function deltaMessage(event: Record<string, unknown>): Record<string, unknown> {
  const delta = isRecord(event.delta) ? event.delta : {};
  return isRecord(delta.message) ? delta.message : {};
}

class CohereStreamTranslator implements StreamTranslator<SseFrame> {
  private id: string;
  private readonly model: string;
  private readonly created = Math.floor(Date.now() / 1000);
  /** Cohere's tool-call index → OpenAI's (both count tool calls, but a stream may skip). */
  private readonly toolIndex = new Map<number, number>();
  private usage: Usage | undefined;
  private ended = false;

  constructor(ctx: CallContext) {
    this.id = `chatcmpl-${ctx.requestId}`;
    this.model = ctx.deployment.upstreamModel;
  }

  push(frame: SseFrame): OpenAIChunk[] {
    if (frame.data.trim() === '' || frame.data.trim() === '[DONE]') return [];
    const event = parseEvent(frame.data);
    const type = typeof event.type === 'string' ? event.type : frame.event;
    switch (type) {
      case 'message-start':
        if (typeof event.id === 'string') this.id = event.id;
        return [this.chunk({ role: 'assistant', content: '' })];
      case 'content-delta': {
        const content = deltaMessage(event).content;
        // A reasoning model's thoughts stream as `thinking` content: LiteLLM's reasoning_content.
        if (isRecord(content) && typeof content.thinking === 'string' && content.thinking !== '') return [this.chunk({ reasoning_content: content.thinking })];
        const text = isRecord(content) && typeof content.text === 'string' ? content.text : '';
        return text === '' ? [] : [this.chunk({ content: text })];
      }
      case 'tool-call-start':
        return this.onToolCallStart(Number(event.index ?? 0), deltaMessage(event).tool_calls);
      case 'tool-call-delta': {
        const call = deltaMessage(event).tool_calls;
        const fn = isRecord(call) && isRecord(call.function) ? call.function : {};
        const index = this.toolIndex.get(Number(event.index ?? 0));
        if (index === undefined || typeof fn.arguments !== 'string' || fn.arguments === '') return [];
        return [this.chunk({ tool_calls: [{ index, function: { arguments: fn.arguments } }] })];
      }
      case 'message-end':
        return this.onMessageEnd(event);
      default:
        return [];
    }
  }

  end(): OpenAIChunk[] {
    if (!this.ended) throw new GatewayError(502, `${PROVIDER_NAME}: upstream stream ended early (no message-end event).`, { type: 'upstream_error' });
    return [];
  }

  private onToolCallStart(cohereIndex: number, call: unknown): OpenAIChunk[] {
    if (!isRecord(call)) return [];
    const index = this.toolIndex.size;
    this.toolIndex.set(cohereIndex, index);
    const fn = isRecord(call.function) ? call.function : {};
    const args = typeof fn.arguments === 'string' ? fn.arguments : '';
    return [this.chunk({ tool_calls: [{ index, id: String(call.id ?? ''), type: 'function', function: { name: String(fn.name ?? ''), arguments: args } }] })];
  }

  private onMessageEnd(event: Record<string, unknown>): OpenAIChunk[] {
    if (this.ended) return [];
    this.ended = true;
    const delta = isRecord(event.delta) ? event.delta : {};
    if (delta.error !== undefined && delta.error !== null && delta.finish_reason === 'ERROR') {
      throw new GatewayError(502, `${PROVIDER_NAME}: ${String(delta.error)}`, { type: 'upstream_error' });
    }
    if (isRecord(delta.usage)) this.usage = toOpenAIUsage(delta.usage);
    const finish = toFinishReason(delta.finish_reason, this.toolIndex.size > 0) ?? 'stop';
    const chunks = [this.chunk({}, finish)];
    // A stream without usage gets no usage chunk: the call is estimated, not free.
    if (this.usage) chunks.push({ ...this.header(), choices: [], usage: this.usage });
    return chunks;
  }

  private chunk(delta: Record<string, unknown>, finishReason: string | null = null): OpenAIChunk {
    return { ...this.header(), choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }] };
  }

  private header(): Record<string, unknown> {
    return { id: this.id, object: 'chat.completion.chunk', created: this.created, model: this.model };
  }
}

function parseEvent(data: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(data);
    if (isRecord(parsed)) return parsed;
  } catch {
    // Reported below.
  }
  throw new GatewayError(502, `${PROVIDER_NAME}: upstream sent a stream event that is not a JSON object.`, { type: 'upstream_error' });
}
