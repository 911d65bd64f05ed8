/**
 * OpenAI chat request → TGI's legacy `POST /generate` (`/generate_stream`) body:
 * `{"inputs": prompt, "parameters": {max_new_tokens, temperature, top_p, top_k, stop, repetition_penalty, seed,
 * details: true, return_full_text: false, decoder_input_details}}` (https://huggingface.github.io/text-generation-inference/).
 * The prompt comes from the deployment's template (prompt-templates/).
 */
import { authHeaders } from '../auth.ts';
import type { RequestParams } from '../descriptor.ts';
import { FLAT_PROMPT_UNSUPPORTED, flatPromptMessages, flatPromptParams, renderPrompt } from '../prompt-templates/index.ts';
import type { CallContext, Deployment, UpstreamRequest } from '../types.ts';
import { PROVIDER_LABEL } from './errors.ts';
import { generateUrl, hubModel } from './mode.ts';

export const HF_AUTH = { kind: 'bearer' } as const;

/** OpenAI parameters a flat-prompt TGI call cannot take (tools need the Messages API); TGI has no penalties either. */
export const GENERATE_UNSUPPORTED: RequestParams['unsupported'] = {
  ...FLAT_PROMPT_UNSUPPORTED,
  presence_penalty: (v) => v === 0,
  frequency_penalty: (v) => v === 0,
};

/** SageMaker's TGI containers take this same body: the errors name the provider the client called. */
const labelOf = (deployment: Deployment) => (deployment.provider === 'sagemaker' ? 'SageMaker' : PROVIDER_LABEL);

function stopSequences(stop: unknown): string[] | undefined {
  if (typeof stop === 'string') return [stop];
  if (Array.isArray(stop)) return stop.filter((s): s is string => typeof s === 'string');
  return undefined;
}

/** TGI's parameters from the OpenAI body; fields it does not know pass through as TGI-native ones (typical_p, watermark…). */
export function generateParameters(ctx: CallContext): Record<string, unknown> {
  const parameters: Record<string, unknown> = {};
  for (const [key, value] of flatPromptParams(ctx, labelOf(ctx.deployment), GENERATE_UNSUPPORTED)) {
    switch (key) {
      case 'max_tokens':
      case 'max_completion_tokens':
        parameters.max_new_tokens = value;
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
        parameters[key] = value;
    }
  }
  parameters.details = true;
  parameters.return_full_text = false;
  // The prompt's token count (prefill) is only given when asked, and TGI refuses it on streams.
  if (!ctx.stream) parameters.decoder_input_details = true;
  return parameters;
}

export function promptOf(ctx: CallContext): string {
  const messages = flatPromptMessages(ctx.body, labelOf(ctx.deployment), ctx.deployment);
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
