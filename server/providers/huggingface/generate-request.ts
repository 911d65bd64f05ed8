/**
 * OpenAI chat request → TGI's legacy `POST /generate` (`/generate_stream`) body:
 * `{"inputs": prompt, "parameters": {max_new_tokens, temperature, top_p, top_k, stop, repetition_penalty, seed,
 * details: true, return_full_text: false, decoder_input_details}}` (https://huggingface.github.io/text-generation-inference/).
 * The prompt comes from the deployment's template (prompt-templates/).
 */
import { authHeaders } from '../auth.ts';
import type { RequestParams } from '../descriptor.ts';
import { renderPrompt, type PromptMessage } from '../prompt-templates/index.ts';
import { leaveOutUnsupported } from '../request-params.ts';
import type { CallContext, UpstreamRequest } from '../types.ts';
import { PROVIDER_LABEL } from './errors.ts';
import { generateUrl, hubModel } from './mode.ts';

export const HF_AUTH = { kind: 'bearer' } as const;

const isZero = (v: unknown) => v === 0;
const isFalse = (v: unknown) => v === false;
const isEmpty = (v: unknown) => Array.isArray(v) && v.length === 0;

/** OpenAI parameters a flat-prompt TGI call cannot take (tools need the Messages API). */
export const GENERATE_UNSUPPORTED: RequestParams['unsupported'] = {
  n: (v) => v === 1,
  tools: isEmpty,
  tool_choice: (v) => v === 'none' || v === 'auto',
  parallel_tool_calls: () => true,
  functions: isEmpty,
  function_call: (v) => v === 'none' || v === 'auto',
  response_format: (v) => typeof v === 'object' && v !== null && (v as { type?: unknown }).type === 'text',
  logprobs: isFalse,
  top_logprobs: isZero,
  presence_penalty: isZero,
  frequency_penalty: isZero,
  logit_bias: (v) => typeof v === 'object' && v !== null && Object.keys(v).length === 0,
};

/** The call's own fields and what the gateway reads; never sent as TGI parameters. */
const NOT_PARAMETERS = new Set(['model', 'messages', 'stream', 'stream_options', 'user', 'store', 'metadata']);

function stopSequences(stop: unknown): string[] | undefined {
  if (typeof stop === 'string') return [stop];
  if (Array.isArray(stop)) return stop.filter((s): s is string => typeof s === 'string');
  return undefined;
}

/** TGI's parameters from the OpenAI body; fields it does not know pass through as TGI-native ones (typical_p, watermark…). */
export function generateParameters(ctx: CallContext): Record<string, unknown> {
  const { body, deployment } = ctx;
  const parameters: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    if (NOT_PARAMETERS.has(key) || value === undefined) continue;
    if (leaveOutUnsupported({ accepted: [], unsupported: GENERATE_UNSUPPORTED }, PROVIDER_LABEL, key, value, deployment)) continue;
    switch (key) {
      case 'max_tokens':
      case 'max_completion_tokens':
        if (value !== null) parameters.max_new_tokens = value;
        break;
      case 'temperature':
        // TGI refuses 0 ("must be strictly positive"): 0 means greedy decoding, which is its default.
        if (typeof value === 'number' && value > 0) parameters.temperature = value;
        break;
      case 'stop': {
        const stop = stopSequences(value);
        if (stop && stop.length > 0) parameters.stop = stop;
        break;
      }
      default:
        if (value !== null) parameters[key] = value;
    }
  }
  parameters.details = true;
  parameters.return_full_text = false;
  // The prompt's token count (prefill) is only given when asked, and TGI refuses it on streams.
  if (!ctx.stream) parameters.decoder_input_details = true;
  return parameters;
}

export function promptOf(ctx: CallContext): string {
  const messages = Array.isArray(ctx.body.messages) ? (ctx.body.messages as PromptMessage[]) : [];
  return renderPrompt(messages, hubModel(ctx.deployment), ctx.deployment.params).prompt;
}

export function hfHeaders(ctx: Pick<CallContext, 'deployment'>): Record<string, string> {
  return { 'content-type': 'application/json', ...authHeaders(HF_AUTH, ctx.deployment), ...ctx.deployment.headers };
}

export function buildGenerateRequest(ctx: CallContext): UpstreamRequest {
  return {
    method: 'POST',
    url: generateUrl(ctx.deployment, ctx.stream),
    headers: hfHeaders(ctx),
    body: JSON.stringify({ inputs: promptOf(ctx), parameters: generateParameters(ctx) }),
  };
}
