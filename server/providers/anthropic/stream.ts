/**
 * Anthropic Messages SSE events (parsed by the SSE framing) → OpenAI `chat.completion.chunk` objects.
 *
 * Anthropic numbers content blocks across text, thinking and tool_use; OpenAI numbers tool calls alone,
 * so each tool_use block gets the next tool-call index when it starts.
 */
import { GatewayError } from '../../core/errors.ts';
import type { CallContext, OpenAIChunk, SseFrame, StreamTranslator } from '../types.ts';
import { streamErrorToGatewayError } from './errors.ts';
import { PROVIDER_NAME, isRecord, toFinishReason, toOpenAIUsage } from './wire.ts';
import type { AnthropicUsage, OpenAIFinishReason } from './wire.ts';

type Delta = Record<string, unknown>;

export function createAnthropicStreamTranslator(ctx: CallContext): StreamTranslator<SseFrame> {
  return new AnthropicStreamTranslator(ctx);
}

class AnthropicStreamTranslator implements StreamTranslator<SseFrame> {
  private id: string;
  private model: string;
  /** Every chunk of one completion carries the same timestamp, as OpenAI's do. */
  private readonly created = Math.floor(Date.now() / 1000);
  private usage: AnthropicUsage = {};
  /** Whether any event carried usage: a stream without any gets no usage chunk (estimated, not free). */
  private usageSeen = false;
  /** Anthropic content-block index → OpenAI tool-call index. */
  private readonly toolCallIndex = new Map<number, number>();
  private stopped = false;

  constructor(ctx: CallContext) {
    this.id = `chatcmpl-${ctx.requestId}`;
    this.model = ctx.deployment.upstreamModel;
  }

  push(event: SseFrame): OpenAIChunk[] {
    // Keep-alive events may come without a payload; nothing to translate.
    if (event.data.trim() === '') return [];
    const payload = parseEventData(event.data);
    const type = typeof payload.type === 'string' ? payload.type : event.event;
    switch (type) {
      case 'message_start':
        return this.onMessageStart(payload.message);
      case 'content_block_start':
        return this.onBlockStart(Number(payload.index), payload.content_block);
      case 'content_block_delta':
        return this.onBlockDelta(Number(payload.index), payload.delta);
      case 'message_delta':
        return this.onMessageDelta(payload.delta, payload.usage);
      case 'message_stop':
        // Exactly one usage chunk per completion, even if a proxy repeats the event.
        if (this.stopped) return [];
        this.stopped = true;
        return this.usageSeen ? [this.usageChunk()] : [];
      case 'error':
        throw streamErrorToGatewayError(payload.error);
      default:
        // ping, content_block_stop, and event types added later carry nothing a client needs.
        return [];
    }
  }

  end(): OpenAIChunk[] {
    if (!this.stopped) {
      throw new GatewayError(502, `${PROVIDER_NAME}: upstream stream ended early (no message_stop event).`, {
        type: 'upstream_error',
      });
    }
    return [];
  }

  private onMessageStart(message: unknown): OpenAIChunk[] {
    if (isRecord(message)) {
      if (typeof message.id === 'string') this.id = message.id;
      if (typeof message.model === 'string') this.model = message.model;
      if (isRecord(message.usage)) this.mergeUsage(message.usage);
    }
    return [this.chunk({ role: 'assistant', content: '' })];
  }

  private onBlockStart(index: number, block: unknown): OpenAIChunk[] {
    if (!isRecord(block)) return [];
    if (block.type === 'tool_use') {
      const toolIndex = this.toolCallIndex.size;
      this.toolCallIndex.set(index, toolIndex);
      const call = {
        index: toolIndex,
        id: String(block.id ?? ''),
        type: 'function',
        function: { name: String(block.name ?? ''), arguments: '' },
      };
      return [this.chunk({ tool_calls: [call] })];
    }
    // Blocks usually start empty, but any text already present must not be lost.
    if (block.type === 'text' && typeof block.text === 'string' && block.text !== '') {
      return [this.chunk({ content: block.text })];
    }
    if (block.type === 'thinking' && typeof block.thinking === 'string' && block.thinking !== '') {
      return [this.chunk({ reasoning_content: block.thinking })];
    }
    // Encrypted reasoning arrives whole in its start event; it goes back to Anthropic as it is.
    if (block.type === 'redacted_thinking' && typeof block.data === 'string') {
      return [this.chunk({ thinking_blocks: [{ type: 'redacted_thinking', data: block.data }] })];
    }
    return [];
  }

  private onBlockDelta(index: number, delta: unknown): OpenAIChunk[] {
    if (!isRecord(delta)) return [];
    if (delta.type === 'text_delta' && typeof delta.text === 'string') {
      return [this.chunk({ content: delta.text })];
    }
    if (delta.type === 'input_json_delta' && typeof delta.partial_json === 'string') {
      const toolIndex = this.toolCallIndex.get(index);
      // Server-side tool blocks stream JSON too; they are not the client's tool calls.
      if (toolIndex === undefined || delta.partial_json === '') return [];
      return [this.chunk({ tool_calls: [{ index: toolIndex, function: { arguments: delta.partial_json } }] })];
    }
    if (delta.type === 'thinking_delta' && typeof delta.thinking === 'string') {
      return [this.chunk({ reasoning_content: delta.thinking, thinking_blocks: [{ type: 'thinking', thinking: delta.thinking }] })];
    }
    // LiteLLM's way to stream the signature that closes a thinking block, so a client can send the block back.
    if (delta.type === 'signature_delta' && typeof delta.signature === 'string') {
      return [this.chunk({ thinking_blocks: [{ type: 'thinking', thinking: '', signature: delta.signature }] })];
    }
    // citations_delta: nothing OpenAI-shaped to say.
    return [];
  }

  private onMessageDelta(delta: unknown, usage: unknown): OpenAIChunk[] {
    if (isRecord(usage)) this.mergeUsage(usage);
    const stopReason = isRecord(delta) && typeof delta.stop_reason === 'string' ? delta.stop_reason : null;
    const finishReason = toFinishReason(stopReason);
    return finishReason ? [this.chunk({}, finishReason)] : [];
  }

  /** message_delta counts are cumulative, so a later value replaces an earlier one. */
  private mergeUsage(usage: Record<string, unknown>): void {
    this.usageSeen = true;
    for (const [key, value] of Object.entries(usage)) {
      if (typeof value === 'number') (this.usage as Record<string, unknown>)[key] = value;
    }
  }

  private chunk(delta: Delta, finishReason: OpenAIFinishReason | null = null): OpenAIChunk {
    return {
      ...this.header(),
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    };
  }

  private usageChunk(): OpenAIChunk {
    return { ...this.header(), choices: [], usage: toOpenAIUsage(this.usage) };
  }

  private header(): Record<string, unknown> {
    return { id: this.id, object: 'chat.completion.chunk', created: this.created, model: this.model };
  }
}

function parseEventData(data: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(data);
    if (isRecord(parsed)) return parsed;
  } catch {
    // Reported below with the same error as a non-object payload.
  }
  throw new GatewayError(502, `${PROVIDER_NAME}: upstream sent a stream event that is not a JSON object.`, {
    type: 'upstream_error',
  });
}
