/**
 * streamGenerateContent?alt=sse events → OpenAI `chat.completion.chunk` objects. Every event is a whole
 * GenerateContentResponse holding the next slice of each candidate; a function call arrives whole in one part.
 * usageMetadata is cumulative (each event repeats the running totals), so the last one is the call's usage — it is
 * kept, never summed, and sent as the one usage chunk when the stream ends. `label` names the provider.
 */
import { GatewayError } from '../../../core/errors.ts';
import type { CallContext, OpenAIChunk, SseFrame, StreamTranslator } from '../../types.ts';
import { streamErrorToGatewayError } from './errors.ts';
import { blockedPromptError, readParts } from './response.ts';
import { toOpenAIUsage } from './usage.ts';
import type { GeminiResponse, GeminiUsageMetadata } from './wire.ts';
import { isRecord, toFinishReason } from './wire.ts';

export function createGeminiStreamTranslator(ctx: CallContext, label = 'Gemini'): StreamTranslator<SseFrame> {
  return new GeminiStreamTranslator(ctx, label);
}

interface CandidateState {
  started: boolean;
  toolCalls: number;
  finished: boolean;
}

class GeminiStreamTranslator implements StreamTranslator<SseFrame> {
  private id: string | undefined;
  private model: string;
  /** Every chunk of one completion carries the same timestamp, as OpenAI's do. */
  private readonly created = Math.floor(Date.now() / 1000);
  private usage: GeminiUsageMetadata | undefined;
  private readonly candidates = new Map<number, CandidateState>();

  constructor(
    private readonly ctx: CallContext,
    private readonly label: string,
  ) {
    this.model = ctx.deployment.upstreamModel;
  }

  push(frame: SseFrame): OpenAIChunk[] {
    if (frame.data.trim() === '') return [];
    const event = this.parse(frame.data);
    if (isRecord(event.error)) throw streamErrorToGatewayError(this.label, event.error);
    const answer = event as GeminiResponse;
    this.id ??= `chatcmpl-${answer.responseId ?? this.ctx.requestId}`;
    if (typeof answer.modelVersion === 'string') this.model = answer.modelVersion;
    if (isRecord(answer.usageMetadata)) this.usage = answer.usageMetadata;
    const candidates = Array.isArray(answer.candidates) ? answer.candidates : [];
    if (candidates.length === 0 && answer.promptFeedback?.blockReason) throw blockedPromptError(answer, this.label);
    return candidates.flatMap((candidate, position) => {
      const index = typeof candidate.index === 'number' ? candidate.index : position;
      return this.onCandidate(index, candidate.content?.parts ?? [], candidate.finishReason);
    });
  }

  end(): OpenAIChunk[] {
    if (this.candidates.size === 0 || [...this.candidates.values()].some((c) => !c.finished)) {
      throw new GatewayError(502, `${this.label}: upstream stream ended early (no finishReason).`, { type: 'upstream_error' });
    }
    // A stream without any usageMetadata gets no usage chunk: the call is estimated, not free.
    return this.usage ? [{ ...this.header(), choices: [], usage: toOpenAIUsage(this.usage) }] : [];
  }

  private onCandidate(index: number, parts: Parameters<typeof readParts>[0], finishReason: string | undefined): OpenAIChunk[] {
    let state = this.candidates.get(index);
    const chunks: OpenAIChunk[] = [];
    if (!state) {
      state = { started: true, toolCalls: 0, finished: false };
      this.candidates.set(index, state);
      chunks.push(this.chunk(index, { role: 'assistant', content: '' }));
    }
    const { content, reasoning, toolCalls } = readParts(parts, `${this.ctx.requestId}:${index}`, state.toolCalls);
    if (reasoning !== undefined) chunks.push(this.chunk(index, { reasoning_content: reasoning }));
    if (content !== null && content !== '') chunks.push(this.chunk(index, { content }));
    if (toolCalls.length > 0) {
      const calls = toolCalls.map((call, k) => ({ index: state.toolCalls + k, ...call }));
      state.toolCalls += toolCalls.length;
      chunks.push(this.chunk(index, { tool_calls: calls }));
    }
    const finish = toFinishReason(finishReason, state.toolCalls > 0);
    if (finish && !state.finished) {
      state.finished = true;
      chunks.push(this.chunk(index, {}, finish));
    }
    return chunks;
  }

  private chunk(index: number, delta: Record<string, unknown>, finishReason: string | null = null): OpenAIChunk {
    return { ...this.header(), choices: [{ index, delta, logprobs: null, finish_reason: finishReason }] };
  }

  private header(): Record<string, unknown> {
    return { id: this.id ?? `chatcmpl-${this.ctx.requestId}`, object: 'chat.completion.chunk', created: this.created, model: this.model };
  }

  private parse(data: string): Record<string, unknown> {
    try {
      const parsed: unknown = JSON.parse(data);
      // Vertex wraps an in-band error in an array, as its HTTP error bodies.
      const event = Array.isArray(parsed) ? parsed[0] : parsed;
      if (isRecord(event)) return event;
    } catch {
      // Reported below with the same error as a non-object payload.
    }
    throw new GatewayError(502, `${this.label}: upstream sent a stream event that is not a JSON object.`, { type: 'upstream_error' });
  }
}
