/**
 * Vertex AI on the mock, at its real paths under `/v1/projects/{project}/locations/{location}/publishers/…`:
 * - Claude (`publishers/anthropic/models/{model}:rawPredict` / `:streamRawPredict`): the Messages API body with
 *   `anthropic_version: "vertex-2023-10-16"` and the model in the URL, answered by the Anthropic mock.
 *   https://cloud.google.com/vertex-ai/generative-ai/docs/partner-models/claude/use-claude
 *   Its token count is the `count-tokens` model's `:rawPredict` (claudeCountTokensReply).
 * - Gemini (`publishers/google/models/{model}:generateContent` / `:streamGenerateContent?alt=sse` / `:countTokens`),
 *   answered by the Gemini mock (gemini.ts; `content-policy` → a prompt blocked for SAFETY, `no-usage` → no usageMetadata).
 *   https://cloud.google.com/vertex-ai/generative-ai/docs/reference/rest/v1/projects.locations.publishers.models/generateContent
 * - Text embeddings (`publishers/google/models/{model}:predict`, `{instances: [{content}]}` →
 *   `{predictions: [{embeddings: {values, statistics: {token_count, truncated}}}]}`).
 *   https://cloud.google.com/vertex-ai/generative-ai/docs/model-reference/text-embeddings-api
 * - Model Garden partner models — Llama and other MaaS models on the OpenAI-compatible `…/endpoints/openapi/chat/completions`,
 *   deployed endpoints, Mistral's `publishers/mistralai` models — answered by vertex-partners.ts.
 * Every call needs `Authorization: Bearer <a token the mock's token endpoint issued>` (vertex-token.ts), else
 * Google's 401 UNAUTHENTICATED. Failure markers in the model name answer in Google's error shape (Claude's request
 * errors — context overflow, content policy — in Anthropic's, as the model itself answers them on Vertex).
 */
import { anthropicCountTokensReply, anthropicMessagesReply } from './anthropic.ts';
import { parseMarkers, scriptedError, type ErrorReply } from './failures.ts';
import { geminiError, geminiMethodReply } from './gemini.ts';
import type { Exchange, MockReply } from './http.ts';
import { sendJson, sendReply, waitForClose, waitUnlessClosed } from './http.ts';
import { mockEmbedding } from './openai-embeddings.ts';
import { countTokens, isObject, type JsonObject } from './text.ts';
import { type VertexEndpointRoute, vertexEndpointReply, vertexEndpointRoute, vertexMistralReply } from './vertex-partners.ts';
import { VERTEX_TOKEN_PATH, isIssuedToken, vertexTokenReply } from './vertex-token.ts';

export const VERTEX_ANTHROPIC_VERSION = 'vertex-2023-10-16';

const MODEL_PATH = /^\/v1(?:beta1)?\/projects\/([^/]+)\/locations\/([^/]+)\/publishers\/(google|anthropic|mistralai)\/models\/([^/:]+):([A-Za-z]+)$/;

export interface VertexModelRoute {
  project: string;
  location: string;
  publisher: 'google' | 'anthropic' | 'mistralai';
  model: string;
  method: string;
}

export function vertexModelRoute(path: string): VertexModelRoute | undefined {
  const m = MODEL_PATH.exec(path);
  if (!m) return undefined;
  return {
    project: m[1] ?? '',
    location: m[2] ?? '',
    publisher: m[3] as VertexModelRoute['publisher'],
    model: decodeURIComponent(m[4] ?? ''),
    method: m[5] ?? '',
  };
}

/** Whether the path is one the Vertex mock answers (server.ts hands those over before its own routes). */
export function isVertexPath(path: string): boolean {
  return path === VERTEX_TOKEN_PATH || MODEL_PATH.test(path) || vertexEndpointRoute(path) !== undefined;
}

const googleError = geminiError;

const UNAUTHENTICATED = googleError(
  401,
  'UNAUTHENTICATED',
  'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
);

/** The `error-*` markers in Google's words; Claude's own request errors in Anthropic's. */
function vertexScriptedError(route: VertexModelRoute): ErrorReply | undefined {
  const markers = parseMarkers(route.model);
  switch (markers.errorStatus) {
    case 429:
      return {
        status: 429,
        headers: {},
        body: googleError(
          429,
          'RESOURCE_EXHAUSTED',
          `Quota exceeded for aiplatform.googleapis.com/generate_content_requests_per_minute_per_project_per_base_model with base model: ${route.model}. Please submit a quota increase request.`,
          [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${markers.retryAfterSeconds ?? 7}s` }],
        ),
      };
    case 500:
      return { status: 500, headers: {}, body: googleError(500, 'INTERNAL', 'Internal error encountered.') };
    case 401:
      return { status: 401, headers: {}, body: UNAUTHENTICATED };
    default:
      break;
  }
  if (route.publisher === 'anthropic') return scriptedError('anthropic', markers, route.model);
  if (markers.contextOverflow) {
    return {
      status: 400,
      headers: {},
      body: googleError(400, 'INVALID_ARGUMENT', 'The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).'),
    };
  }
  return undefined;
}

function claudeReply(route: VertexModelRoute, body: JsonObject): MockReply {
  if (body.anthropic_version !== VERTEX_ANTHROPIC_VERSION) {
    return {
      kind: 'json',
      status: 400,
      body: { type: 'error', error: { type: 'invalid_request_error', message: "anthropic_version: Input should be 'vertex-2023-10-16'" } },
    };
  }
  const streams = route.method === 'streamRawPredict';
  // The Anthropic mock reads the model from the body; Vertex takes it from the URL.
  const { anthropic_version: _version, ...messages } = body;
  return anthropicMessagesReply({ ...messages, model: route.model, ...(streams ? { stream: true } : {}) }, route.model);
}

/** `:predict` of a text-embedding model: one prediction per instance, tokens counted per instance. */
function predictReply(body: JsonObject): MockReply {
  const instances = Array.isArray(body.instances) ? body.instances : undefined;
  if (!instances || instances.length === 0)
    return { kind: 'json', status: 400, body: googleError(400, 'INVALID_ARGUMENT', 'Invalid JSON payload: instances is required.') };
  const parameters = isObject(body.parameters) ? body.parameters : {};
  const dims = typeof parameters.outputDimensionality === 'number' ? parameters.outputDimensionality : 8;
  const predictions = instances.map((instance) => {
    const text = isObject(instance) && typeof instance.content === 'string' ? instance.content : '';
    return { embeddings: { values: mockEmbedding(text, dims), statistics: { token_count: countTokens(text), truncated: false } } };
  });
  return { kind: 'json', status: 200, body: { predictions, metadata: { billableCharacterCount: instances.length } } };
}

/**
 * Claude's token count: `publishers/anthropic/models/count-tokens:rawPredict` with the Messages body and the model
 * named in it (no anthropic_version), answered `{input_tokens}` as Anthropic's count_tokens.
 * https://cloud.google.com/vertex-ai/generative-ai/docs/partner-models/claude/count-tokens
 */
function claudeCountTokensReply(body: JsonObject): MockReply {
  if (typeof body.model !== 'string' || !/^claude/.test(body.model))
    return { kind: 'json', status: 400, body: { type: 'error', error: { type: 'invalid_request_error', message: 'model: Field required' } } };
  return anthropicCountTokensReply(body);
}

function modelReply(route: VertexModelRoute, body: JsonObject, alt: string | null): MockReply {
  if (route.publisher === 'anthropic') {
    if (route.model === 'count-tokens' && route.method === 'rawPredict') return claudeCountTokensReply(body);
    if (route.method === 'rawPredict' || route.method === 'streamRawPredict') return claudeReply(route, body);
  } else if (route.publisher === 'mistralai') {
    if (route.method === 'rawPredict' || route.method === 'streamRawPredict') return vertexMistralReply(route.model, route.method, body);
  } else if (route.method === 'predict') return predictReply(body);
  else if (route.method === 'generateContent' || route.method === 'countTokens' || (route.method === 'streamGenerateContent' && alt === 'sse')) {
    const markers = parseMarkers(route.model);
    return geminiMethodReply(route.method, body, route.model, { noUsage: markers.noUsage, blocked: markers.contentPolicy });
  }
  return { kind: 'json', status: 404, body: googleError(404, 'NOT_FOUND', `Method ${route.method} is not found for publisher model ${route.model}.`) };
}

/** Answers a Vertex path (isVertexPath): the token endpoint or a model call, with the scripted failures. */
export async function handleVertex(ex: Exchange, url: URL): Promise<void> {
  const { req, res, record } = ex;
  if (url.pathname === VERTEX_TOKEN_PATH) {
    const reply = vertexTokenReply(req, record.body);
    return sendReply(ex, reply, { streamBreak: false });
  }
  const endpoint = vertexEndpointRoute(url.pathname);
  const route = vertexModelRoute(url.pathname);
  const body = isObject(record.body) ? record.body : undefined;
  record.model = route?.model ?? (typeof body?.model === 'string' ? body.model : (endpoint?.endpoint ?? ''));
  if (!isIssuedToken(req.headers.authorization)) return sendJson(ex, 401, UNAUTHENTICATED);
  if (!body) return sendJson(ex, 400, googleError(400, 'INVALID_ARGUMENT', 'Invalid JSON payload received.'));
  if (!route) return sendReply(ex, vertexEndpointReply(endpoint as VertexEndpointRoute, body), { streamBreak: false });
  const markers = parseMarkers(route.model);
  if (markers.slowMs !== undefined && !(await waitUnlessClosed(res, markers.slowMs))) return;
  if (markers.hang) return waitForClose(res);
  const scripted = vertexScriptedError(route);
  if (scripted) return sendJson(ex, scripted.status, scripted.body, scripted.headers);
  return sendReply(ex, modelReply(route, body, url.searchParams.get('alt')), {
    streamBreak: markers.streamBreak,
    ...(markers.chunkGapMs !== undefined ? { chunkGapMs: markers.chunkGapMs } : {}),
  });
}
