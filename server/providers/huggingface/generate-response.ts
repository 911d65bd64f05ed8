/**
 * TGI's legacy answers → OpenAI. `/generate` answers `{"generated_text", "details": {"finish_reason":
 * "length"|"eos_token"|"stop_sequence", "generated_tokens", "seed", "prefill": [...]}}` (the hf-inference
 * pipeline wraps it in an array); `/generate_stream` sends one SSE event per token,
 * `{"token": {"id","text","logprob","special"}, "generated_text": null, "details": null}`, the last with the whole
 * text and `details`. Usage is the server's count: generated_tokens, and the prompt's tokens from `prefill` (or
 * `input_length`). When the server does not give the prompt's count the answer carries no usage, so the gateway
 * estimates the call and marks it estimated instead of reporting it as exact.
 */
import { GatewayError } from '../../core/errors.ts';
import type { CallContext, OpenAIChunk, SseFrame, StreamTranslator, Usage } from '../types.ts';
import { PROVIDER_LABEL, streamError } from './errors.ts';

interface TgiDetails {
  finish_reason?: unknown;
  generated_tokens?: unknown;
  prefill?: unknown;
  input_length?: unknown;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function finishReasonOf(reason: unknown): 'stop' | 'length' {
  return reason === 'length' ? 'length' : 'stop';
}

export function usageOf(details: TgiDetails | undefined): Usage | undefined {
  if (!details || typeof details.generated_tokens !== 'number') return undefined;
  const prompt = Array.isArray(details.prefill) && details.prefill.length > 0 ? details.prefill.length : details.input_length;
  if (typeof prompt !== 'number') return undefined;
  return { prompt_tokens: prompt, completion_tokens: details.generated_tokens, total_tokens: prompt + details.generated_tokens };
}

export function translateGenerate(upstream: unknown, ctx: CallContext): Record<string, unknown> {
  const answer = Array.isArray(upstream) ? upstream[0] : upstream;
  if (!isRecord(answer) || typeof answer.generated_text !== 'string') {
    throw new GatewayError(502, `${PROVIDER_LABEL} returned an answer without generated_text.`, { code: 'upstream_invalid_response' });
  }
  const details = isRecord(answer.details) ? (answer.details as TgiDetails) : undefined;
  const usage = usageOf(details);
  return {
    id: `chatcmpl-${ctx.requestId}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: ctx.deployment.upstreamModel,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: answer.generated_text, refusal: null },
        logprobs: null,
        finish_reason: finishReasonOf(details?.finish_reason),
      },
    ],
    ...(usage ? { usage } : {}),
  };
}

export function createGenerateStreamTranslator(ctx: CallContext): StreamTranslator<SseFrame> {
  const id = `chatcmpl-${ctx.requestId}`;
  const created = Math.floor(Date.now() / 1000);
  const model = ctx.deployment.upstreamModel;
  const chunk = (choices: unknown[], extra: Record<string, unknown> = {}): OpenAIChunk => ({
    id,
    object: 'chat.completion.chunk',
    created,
    model,
    choices,
    ...extra,
  });
  let started = false;
  let finished = false;
  return {
    push(frame) {
      if (frame.data.trim() === '') return [];
      let payload: unknown;
      try {
        payload = JSON.parse(frame.data);
      } catch {
        throw new GatewayError(502, `${PROVIDER_LABEL} sent a stream event that is not JSON: ${frame.data.slice(0, 200)}`, { type: 'upstream_error' });
      }
      if (!isRecord(payload)) return [];
      if (payload.error !== undefined) throw streamError(payload);
      const out: OpenAIChunk[] = [];
      if (!started) {
        started = true;
        out.push(chunk([{ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }]));
      }
      const token = isRecord(payload.token) ? payload.token : undefined;
      // Special tokens (</s>, <|eot_id|>) end the answer; they are not part of its text.
      if (token && token.special !== true && typeof token.text === 'string' && token.text !== '') {
        out.push(chunk([{ index: 0, delta: { content: token.text }, logprobs: null, finish_reason: null }]));
      }
      if (isRecord(payload.details)) {
        finished = true;
        const details = payload.details as TgiDetails;
        out.push(chunk([{ index: 0, delta: {}, logprobs: null, finish_reason: finishReasonOf(details.finish_reason) }]));
        const usage = usageOf(details);
        if (usage) out.push(chunk([], { usage }));
      }
      return out;
    },
    end() {
      if (!finished) {
        throw new GatewayError(502, `${PROVIDER_LABEL}: upstream stream ended early (no event with details).`, { type: 'upstream_error' });
      }
      return [];
    },
  };
}
