/**
 * Mistral AI's models on Vertex AI (`vertex_ai/mistral-large@2407`, `vertex_ai/codestral@2405`,
 * `vertex_ai/mistral-small-2503@001`, also with LiteLLM's `mistralai/` publisher prefix): Mistral's chat API body
 * (OpenAI-shaped) POSTed to the publisher model's `:rawPredict`, or `:streamRawPredict` with `"stream": true`; the body
 * names the model without its `@version` (the URL carries the version). Answers and stream chunks are Mistral's own,
 * which are OpenAI's shape with usage, so they pass through untranslated.
 * https://cloud.google.com/vertex-ai/generative-ai/docs/partner-models/mistral
 */
import type { CallContext, Deployment, EndpointAdapter, UpstreamRequest } from '../types.ts';
import { modelUrl, vertexHeaders } from './connection.ts';

const MISTRAL_MODEL = /^(?:mistralai\/)?((?:mistral|codestral|ministral|pixtral)[^/]*)$/i;

/** The publisher model id of a Mistral model on Vertex (`mistral-large@2407`); undefined for any other model. */
export function mistralModelId(model: string): string | undefined {
  return MISTRAL_MODEL.exec(model)?.[1];
}

export function isMistral(model: string): boolean {
  return mistralModelId(model) !== undefined;
}

function mistralUrl(d: Deployment, stream: boolean): string {
  const id = mistralModelId(d.upstreamModel) ?? d.upstreamModel;
  return `${modelUrl(d, 'mistralai', id)}:${stream ? 'streamRawPredict' : 'rawPredict'}`;
}

/** `mistral-large@2407` → `mistral-large`: the body's model, as Vertex's Mistral reference asks. */
function bodyModel(d: Deployment): string {
  return (mistralModelId(d.upstreamModel) ?? d.upstreamModel).replace(/@.*$/, '');
}

export function buildVertexMistralRequest(ctx: CallContext): UpstreamRequest {
  const body: Record<string, unknown> = { ...ctx.body, model: bodyModel(ctx.deployment) };
  // Mistral's API knows max_tokens only, and always reports usage at the end of a stream (no stream_options).
  if (body.max_completion_tokens !== undefined) {
    body.max_tokens ??= body.max_completion_tokens;
    delete body.max_completion_tokens;
  }
  delete body.stream_options;
  if (ctx.stream) body.stream = true;
  else delete body.stream;
  return { url: mistralUrl(ctx.deployment, ctx.stream), method: 'POST', headers: vertexHeaders(ctx.deployment), body: JSON.stringify(body) };
}

/** OpenAI-shaped answers: no translation. */
export const vertexMistral: EndpointAdapter = { buildRequest: buildVertexMistralRequest };

/** The cheapest real call: one word in, one token out. */
export function vertexMistralProbe(d: Deployment): UpstreamRequest {
  return {
    url: mistralUrl(d, false),
    method: 'POST',
    headers: vertexHeaders(d),
    body: JSON.stringify({ model: bodyModel(d), max_tokens: 1, messages: [{ role: 'user', content: 'ping' }] }),
  };
}
