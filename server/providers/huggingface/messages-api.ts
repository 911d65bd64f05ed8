/**
 * The OpenAI-compatible Messages API of TGI (`/v1/chat/completions`) and of the Hugging Face router: the body
 * goes as OpenAI's, with the Hub model id, and streams always ask for usage. Answers are OpenAI's already; the
 * stream is parsed only because the chat adapter also serves the legacy API, whose frames need translating.
 */
import { GatewayError } from '../../core/errors.ts';
import type { CallContext, OpenAIChunk, SseFrame, StreamTranslator, UpstreamRequest } from '../types.ts';
import { PROVIDER_LABEL, streamError } from './errors.ts';
import { hfHeaders } from './generate-request.ts';
import { chatCompletionsUrl, hubModel } from './mode.ts';

export function buildMessagesRequest(ctx: CallContext): UpstreamRequest {
  const body: Record<string, unknown> = { ...ctx.body, model: hubModel(ctx.deployment) };
  if (ctx.stream) {
    const asked = body.stream_options;
    body.stream_options = { ...(typeof asked === 'object' && asked !== null ? asked : {}), include_usage: true };
  }
  return { method: 'POST', url: chatCompletionsUrl(ctx.deployment), headers: hfHeaders(ctx), body: JSON.stringify(body) };
}

export function createMessagesStreamTranslator(): StreamTranslator<SseFrame> {
  return {
    push(frame) {
      const data = frame.data.trim();
      if (data === '' || data === '[DONE]') return [];
      let chunk: unknown;
      try {
        chunk = JSON.parse(data);
      } catch {
        throw new GatewayError(502, `${PROVIDER_LABEL} sent a stream event that is not JSON: ${data.slice(0, 200)}`, { type: 'upstream_error' });
      }
      if (typeof chunk !== 'object' || chunk === null) return [];
      const record = chunk as Record<string, unknown>;
      if (record.error !== undefined) {
        const inner = record.error;
        throw streamError(typeof inner === 'object' && inner !== null ? { error: (inner as { message?: unknown }).message ?? inner } : record);
      }
      return [record as OpenAIChunk];
    },
    end: () => [],
  };
}
