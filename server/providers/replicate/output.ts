/** A finished Replicate prediction → OpenAI answers: its output (an array of strings, joined) and its metrics as usage. */
import type { CallContext, OpenAIChunk, Usage } from '../types.ts';

export interface Prediction {
  id?: string;
  status?: string;
  output?: unknown;
  error?: unknown;
  metrics?: { input_token_count?: unknown; output_token_count?: unknown };
  urls?: { get?: string; stream?: string; cancel?: string };
}

export const TERMINAL = new Set(['succeeded', 'failed', 'canceled', 'aborted']);

export function outputText(output: unknown): string {
  if (typeof output === 'string') return output;
  if (Array.isArray(output)) return output.map((piece) => (typeof piece === 'string' ? piece : '')).join('');
  return '';
}

/** The provider's counts; none (so the gateway estimates and marks it) when the model reports no token metrics. */
export function usageOf(prediction: Prediction): Usage | undefined {
  const input = prediction.metrics?.input_token_count;
  const output = prediction.metrics?.output_token_count;
  if (typeof input !== 'number' || typeof output !== 'number') return undefined;
  return { prompt_tokens: input, completion_tokens: output, total_tokens: input + output };
}

/** Replicate does not say why a prediction stopped: `length` when it produced exactly the tokens allowed. */
export function finishReasonOf(prediction: Prediction, ctx: CallContext): 'stop' | 'length' {
  const limit = ctx.body.max_tokens ?? ctx.body.max_completion_tokens;
  return typeof limit === 'number' && prediction.metrics?.output_token_count === limit ? 'length' : 'stop';
}

export function chatCompletionOf(prediction: Prediction, ctx: CallContext): Record<string, unknown> {
  const usage = usageOf(prediction);
  return {
    id: `chatcmpl-${prediction.id ?? ctx.requestId}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: ctx.deployment.upstreamModel,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: outputText(prediction.output), refusal: null },
        logprobs: null,
        finish_reason: finishReasonOf(prediction, ctx),
      },
    ],
    ...(usage ? { usage } : {}),
  };
}

/** Chunk builder for one streamed prediction. */
export function chunkMaker(id: string, ctx: CallContext): (choices: unknown[], extra?: Record<string, unknown>) => OpenAIChunk {
  const created = Math.floor(Date.now() / 1000);
  return (choices, extra = {}) => ({ id: `chatcmpl-${id}`, object: 'chat.completion.chunk', created, model: ctx.deployment.upstreamModel, choices, ...extra });
}
