/**
 * Vertex AI's Model Garden partner models on the mock (answered by the OpenAI chat mock, openai-chat.ts):
 * - The OpenAI-compatible Chat Completions endpoint, `/v1beta1/projects/{p}/locations/{l}/endpoints/openapi/chat/completions`
 *   for Model-as-a-Service models named `publisher/model` in the body (`meta/llama-3.1-405b-instruct-maas`), and
 *   `…/endpoints/{numeric id}/chat/completions` for an endpoint the user deployed a model to (no model needed).
 *   https://cloud.google.com/vertex-ai/generative-ai/docs/partner-models/llama/use-llama ·
 *   https://cloud.google.com/vertex-ai/generative-ai/docs/reference/rest/v1/projects.locations.endpoints.chat/completions
 * - Mistral's models, `…/publishers/mistralai/models/{model@version}:rawPredict` / `:streamRawPredict` (with
 *   `"stream": true`): Mistral's chat body naming the model without its `@version`; Mistral's API has no
 *   `stream_options` (extra fields are refused with 422) and always ends a stream with its usage.
 *   https://cloud.google.com/vertex-ai/generative-ai/docs/partner-models/mistral · https://docs.mistral.ai/api/
 */
import { geminiError } from './gemini.ts';
import type { MockReply } from './http.ts';
import { openaiChatReply } from './openai-chat.ts';
import type { JsonObject } from './text.ts';

const OPENAPI_PATH = /^\/v1(?:beta1)?\/projects\/([^/]+)\/locations\/([^/]+)\/endpoints\/(openapi|\d+)\/chat\/completions$/;

export interface VertexEndpointRoute {
  project: string;
  location: string;
  /** `openapi` (MaaS) or a deployed endpoint's numeric id. */
  endpoint: string;
  version: 'v1' | 'v1beta1';
}

export function vertexEndpointRoute(path: string): VertexEndpointRoute | undefined {
  const m = OPENAPI_PATH.exec(path);
  if (!m) return undefined;
  return { project: m[1] ?? '', location: m[2] ?? '', endpoint: m[3] ?? '', version: path.startsWith('/v1beta1/') ? 'v1beta1' : 'v1' };
}

const MAAS_MODEL = /^[a-z0-9-]+\/[a-z0-9.@-]+$/;

/** The OpenAI-compatible endpoint: a MaaS `publisher/model` in the body, or whatever a deployed endpoint serves. */
export function vertexEndpointReply(route: VertexEndpointRoute, body: JsonObject): MockReply {
  if (route.endpoint !== 'openapi') return openaiChatReply(body, typeof body.model === 'string' ? body.model : `endpoint-${route.endpoint}`);
  if (typeof body.model !== 'string' || !MAAS_MODEL.test(body.model)) {
    return {
      kind: 'json',
      status: 400,
      body: geminiError(400, 'INVALID_ARGUMENT', `Model ${String(body.model)} is not a publisher model: expected "publisher/model".`),
    };
  }
  return openaiChatReply(body, body.model);
}

const MISTRAL_FIELDS = new Set([
  'model',
  'messages',
  'temperature',
  'top_p',
  'max_tokens',
  'stream',
  'stop',
  'random_seed',
  'response_format',
  'tools',
  'tool_choice',
  'presence_penalty',
  'frequency_penalty',
  'n',
  'parallel_tool_calls',
  'safe_prompt',
  'prediction',
]);

function mistralInvalid(message: string): MockReply {
  return { kind: 'json', status: 422, body: { object: 'error', message, type: 'invalid_request_error', param: null, code: null } };
}

/** A Mistral model's rawPredict / streamRawPredict, `model` being the URL's (with its `@version`). */
export function vertexMistralReply(model: string, method: string, body: JsonObject): MockReply {
  const unversioned = model.replace(/@.*$/, '');
  if (body.model !== unversioned) return mistralInvalid(`model: expected "${unversioned}", got ${JSON.stringify(body.model)}`);
  const extra = Object.keys(body).find((key) => !MISTRAL_FIELDS.has(key));
  if (extra !== undefined) return mistralInvalid(`${extra}: Extra inputs are not permitted`);
  if ((method === 'streamRawPredict') !== (body.stream === true)) return mistralInvalid('stream: streamRawPredict takes "stream": true, rawPredict does not');
  return openaiChatReply({ ...body, ...(body.stream === true ? { stream_options: { include_usage: true } } : {}) }, unversioned);
}
