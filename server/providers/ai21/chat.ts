/**
 * AI21 Studio's Jamba chat (POST {api_base}/chat/completions, https://docs.ai21.com/reference/jamba-1-6-api-ref):
 * OpenAI's shape with AI21's own parameters (`documents`, `n` up to 16, response_format json_object) and without
 * some of OpenAI's. Its answers and stream chunks leave out `object` / `created` (and sometimes `model`) and put
 * usage on the last content chunk, so both are completed here into OpenAI's shape.
 */
import { GatewayError } from '../../core/errors.ts';
import type { RequestParams } from '../descriptor.ts';
import { ANSWER_NEUTRAL_FIELDS, leaveOutUnsupported, unsupportedParams } from '../request-params.ts';
import { openaiHeaders } from '../openai/request.ts';
import type { CallContext, OpenAIChunk, SseFrame, StreamTranslator, Usage, UpstreamRequest } from '../types.ts';

export const PROVIDER_NAME = 'AI21';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** OpenAI parameters Jamba does not take, each with the test of its neutral value. */
const UNSUPPORTED = unsupportedParams(
  'presence_penalty',
  'frequency_penalty',
  'logit_bias',
  'logprobs',
  'top_logprobs',
  'functions',
  'function_call',
  'audio',
  'modalities',
  'prediction',
  'web_search_options',
  'reasoning_effort',
  'verbosity',
);

export const AI21_REQUEST_PARAMS: RequestParams = {
  accepted: ['temperature', 'top_p', 'n', 'stop', 'max_tokens', 'max_completion_tokens', 'seed', 'response_format', 'tools', 'tool_choice', 'documents'],
  unsupported: UNSUPPORTED,
};

export function buildAi21ChatRequest(ctx: CallContext): UpstreamRequest {
  const { deployment } = ctx;
  const body: Record<string, unknown> = { model: deployment.upstreamModel };
  for (const [key, value] of Object.entries(ctx.body)) {
    if (key === 'model' || ANSWER_NEUTRAL_FIELDS.has(key) || value === undefined) continue;
    if (leaveOutUnsupported(AI21_REQUEST_PARAMS, PROVIDER_NAME, key, value, deployment)) continue;
    body[key] = value;
  }
  // AI21's name for the answer's length.
  if (body.max_completion_tokens !== undefined) {
    body.max_tokens ??= body.max_completion_tokens;
    delete body.max_completion_tokens;
  }
  if (ctx.stream) body.stream = true;
  return { method: 'POST', url: `${deployment.apiBase}/chat/completions`, headers: openaiHeaders(deployment), body: JSON.stringify(body) };
}

const count = (n: unknown): number => (typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : 0);

function toUsage(usage: Record<string, unknown>): Usage {
  const prompt = count(usage.prompt_tokens);
  const completion = count(usage.completion_tokens);
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: count(usage.total_tokens) || prompt + completion };
}

/** A tool call AI21 may send with its arguments as an object; OpenAI's are a JSON string. */
function toolCalls(calls: unknown): Record<string, unknown>[] | undefined {
  if (!Array.isArray(calls) || calls.length === 0) return undefined;
  return calls.filter(isRecord).map((call, index) => {
    const fn = isRecord(call.function) ? call.function : {};
    const args = fn.arguments;
    return {
      ...(call.index === undefined ? {} : { index: call.index ?? index }),
      id: String(call.id ?? ''),
      type: 'function',
      function: { name: String(fn.name ?? ''), arguments: typeof args === 'string' ? args : JSON.stringify(args ?? {}) },
    };
  });
}

export function translateAi21Chat(upstream: unknown, ctx: CallContext): Record<string, unknown> {
  if (!isRecord(upstream) || !Array.isArray(upstream.choices)) {
    throw new GatewayError(502, `${PROVIDER_NAME} returned an answer that is not a chat completion.`, { type: 'upstream_error' });
  }
  const choices = upstream.choices.filter(isRecord).map((choice, i) => {
    const message = isRecord(choice.message) ? choice.message : {};
    const calls = toolCalls(message.tool_calls);
    return {
      index: typeof choice.index === 'number' ? choice.index : i,
      message: {
        role: 'assistant',
        content: typeof message.content === 'string' ? message.content : null,
        refusal: null,
        ...(calls ? { tool_calls: calls } : {}),
      },
      logprobs: null,
      finish_reason: calls ? 'tool_calls' : (choice.finish_reason ?? 'stop'),
    };
  });
  return {
    id: typeof upstream.id === 'string' ? upstream.id : `chatcmpl-${ctx.requestId}`,
    object: 'chat.completion',
    created: typeof upstream.created === 'number' ? upstream.created : Math.floor(Date.now() / 1000),
    model: typeof upstream.model === 'string' ? upstream.model : ctx.deployment.upstreamModel,
    choices,
    ...(isRecord(upstream.usage) ? { usage: toUsage(upstream.usage) } : {}),
  };
}

export function createAi21StreamTranslator(ctx: CallContext): StreamTranslator<SseFrame> {
  const created = Math.floor(Date.now() / 1000);
  let usage: Usage | undefined;
  let id = `chatcmpl-${ctx.requestId}`;
  let model = ctx.deployment.upstreamModel;
  const calledTools = new Set<number>();
  const header = () => ({ id, object: 'chat.completion.chunk', created, model });
  return {
    push(frame) {
      const data = frame.data.trim();
      if (data === '' || data === '[DONE]') return [];
      let chunk: unknown;
      try {
        chunk = JSON.parse(data);
      } catch {
        throw new GatewayError(502, `${PROVIDER_NAME}: upstream sent a stream event that is not JSON.`, { type: 'upstream_error' });
      }
      if (!isRecord(chunk)) return [];
      if (typeof chunk.id === 'string') id = chunk.id;
      if (typeof chunk.model === 'string') model = chunk.model;
      if (isRecord(chunk.usage)) usage = toUsage(chunk.usage);
      const choices = (Array.isArray(chunk.choices) ? chunk.choices.filter(isRecord) : []).map((choice, i) => {
        const index = typeof choice.index === 'number' ? choice.index : i;
        const delta = isRecord(choice.delta) ? { ...choice.delta } : {};
        const calls = toolCalls(delta.tool_calls);
        if (calls) {
          delta.tool_calls = calls.map((c, j) => ({ ...c, index: typeof c.index === 'number' ? c.index : j }));
          calledTools.add(index);
        }
        const finish = choice.finish_reason ?? null;
        return { index, delta, logprobs: null, finish_reason: finish !== null && calledTools.has(index) ? 'tool_calls' : finish };
      });
      return choices.length === 0 ? [] : [{ ...header(), choices }];
    },
    end(): OpenAIChunk[] {
      // A stream without usage gets no usage chunk: the call is estimated, not free.
      return usage ? [{ ...header(), choices: [], usage }] : [];
    },
  };
}
