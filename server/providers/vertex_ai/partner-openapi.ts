/**
 * Model Garden models on Vertex AI's OpenAI-compatible Chat Completions endpoint, with LiteLLM's names:
 * - Model-as-a-Service partner and open models named `publisher/model` — `vertex_ai/meta/llama-3.1-405b-instruct-maas`,
 *   `vertex_ai/deepseek-ai/…`, `vertex_ai/qwen/…`, `vertex_ai/openai/gpt-oss-120b-maas` — at
 *   `…/v1beta1/projects/{project}/locations/{location}/endpoints/openapi/chat/completions` with that name as `model`.
 *   https://cloud.google.com/vertex-ai/generative-ai/docs/partner-models/llama/use-llama ·
 *   https://cloud.google.com/vertex-ai/generative-ai/docs/maas/call-open-model-apis
 * - A model the user deployed to an endpoint of their own, named by the endpoint's numeric id (`vertex_ai/openai/1234…`
 *   or `vertex_ai/1234…`), at `…/v1/projects/{project}/locations/{location}/endpoints/{id}/chat/completions`
 *   (projects.locations.endpoints.chat.completions). One endpoint serves one model, so no `model` is sent (the vLLM
 *   and TGI containers Model Garden deploys take it as optional).
 *   https://cloud.google.com/vertex-ai/generative-ai/docs/reference/rest/v1/projects.locations.endpoints.chat/completions
 * Bodies, answers and stream chunks are OpenAI's, so they pass through untranslated; only the URL and the access token
 * (authorizeVertexRequest) are Vertex's. With api_base given, it is the endpoint URL `/chat/completions` is appended to.
 */
import { openaiBody } from '../openai/request.ts';
import type { CallContext, Deployment, EndpointAdapter, UpstreamRequest } from '../types.ts';
import { apiBaseGiven, vertexHeaders } from './connection.ts';

const DEPLOYED_ENDPOINT = /^(?:openai\/)?(\d+)$/;

/** The id of a user-deployed endpoint (`openai/1234…` or `1234…`); undefined for a model name. */
export function deployedEndpointId(model: string): string | undefined {
  return DEPLOYED_ENDPOINT.exec(model)?.[1];
}

/** Whether the model is served at the OpenAI-compatible endpoint: a `publisher/model` MaaS name or a deployed endpoint's id. */
export function isOpenapiModel(model: string): boolean {
  return model.includes('/') || deployedEndpointId(model) !== undefined;
}

function chatCompletionsUrl(d: Deployment): string {
  if (apiBaseGiven(d)) return `${d.apiBase}/chat/completions`;
  const id = deployedEndpointId(d.upstreamModel);
  // The shared MaaS endpoint is documented under v1beta1; a deployed endpoint's chat.completions is in v1.
  if (id !== undefined) return `${d.apiBase}/endpoints/${id}/chat/completions`;
  return `${d.apiBase.replace(/\/v1\/projects\//, '/v1beta1/projects/')}/endpoints/openapi/chat/completions`;
}

export function buildVertexOpenapiRequest(ctx: CallContext): UpstreamRequest {
  const d = ctx.deployment;
  return {
    url: chatCompletionsUrl(d),
    method: 'POST',
    headers: vertexHeaders(d),
    body: openaiBody(ctx, deployedEndpointId(d.upstreamModel) === undefined ? 'model' : 'omit'),
  };
}

/** OpenAI-shaped both ways: no translation (answers and chunks pass through). */
export const vertexOpenapi: EndpointAdapter = { buildRequest: buildVertexOpenapiRequest };

/** The cheapest real call: one word in, one token out. */
export function vertexOpenapiProbe(d: Deployment): UpstreamRequest {
  const body: Record<string, unknown> = { max_tokens: 1, messages: [{ role: 'user', content: 'ping' }] };
  if (deployedEndpointId(d.upstreamModel) === undefined) body.model = d.upstreamModel;
  return { url: chatCompletionsUrl(d), method: 'POST', headers: vertexHeaders(d), body: JSON.stringify(body) };
}
