/**
 * `sagemaker_chat/<endpoint>` (LiteLLM's name): an endpoint whose container speaks the OpenAI Messages API (TGI
 * 2.x, vLLM, LMI): the OpenAI chat body goes to InvokeEndpoint as it is, the answer comes back in OpenAI's shape,
 * and a stream is OpenAI's server-sent events inside PayloadPart bytes.
 * https://huggingface.co/docs/text-generation-inference/messages_api
 */
import { createParser } from 'eventsource-parser';
import { GatewayError } from '../../core/errors.ts';
import type { AwsEventStreamFrame, CallContext, OpenAIChunk, StreamTranslator, UpstreamRequest } from '../types.ts';
import { endpointUrl } from './request.ts';

export function buildMessagesApiInvocation(ctx: CallContext): UpstreamRequest {
  const { stream_options: _client, ...body } = ctx.body;
  return {
    url: endpointUrl(ctx.deployment, ctx.stream),
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...ctx.deployment.headers },
    body: JSON.stringify({
      ...body,
      model: ctx.deployment.upstreamModel,
      // The gateway meters every call: the container is asked for its usage chunk.
      ...(ctx.stream ? { stream: true, stream_options: { include_usage: true } } : { stream: false }),
    }),
  };
}

/** The container's OpenAI answer, as it is (its usage is the container's count). */
export function translateMessagesApiAnswer(upstream: unknown, _ctx: CallContext): Record<string, unknown> {
  if (typeof upstream !== 'object' || upstream === null || !Array.isArray((upstream as { choices?: unknown }).choices)) {
    throw new GatewayError(502, 'The SageMaker endpoint answered without OpenAI `choices`.', { code: 'upstream_invalid_response' });
  }
  return upstream as Record<string, unknown>;
}

export function createMessagesApiStreamTranslator(_ctx: CallContext): StreamTranslator<AwsEventStreamFrame> {
  const decoder = new TextDecoder();
  let pending: string[] = [];
  let finished = false;
  const parser = createParser({ onEvent: (event) => pending.push(event.data) });
  const drain = (): OpenAIChunk[] => {
    const ready = pending;
    pending = [];
    const out: OpenAIChunk[] = [];
    for (const data of ready) {
      if (data.trim() === '[DONE]' || data.trim() === '') continue;
      let chunk: Record<string, unknown>;
      try {
        chunk = JSON.parse(data) as Record<string, unknown>;
      } catch {
        throw new GatewayError(502, `The SageMaker endpoint sent a stream event that is not JSON: ${data.slice(0, 200)}`, {
          code: 'upstream_invalid_response',
        });
      }
      if (chunk.error !== undefined) throw new GatewayError(502, `The SageMaker endpoint's stream failed: ${JSON.stringify(chunk.error).slice(0, 500)}`);
      const choices = Array.isArray(chunk.choices) ? (chunk.choices as { finish_reason?: unknown }[]) : [];
      if (choices.some((choice) => choice.finish_reason)) finished = true;
      out.push(chunk);
    }
    return out;
  };
  return {
    push({ headers, payload }) {
      if (headers[':event-type'] !== 'PayloadPart') return [];
      parser.feed(decoder.decode(payload, { stream: true }));
      return drain();
    },
    end() {
      parser.feed(decoder.decode());
      parser.reset({ consume: true });
      const last = drain();
      if (!finished) throw new GatewayError(502, 'The SageMaker endpoint stream ended before its last chunk.', { code: 'upstream_invalid_response' });
      return last;
    },
  };
}
