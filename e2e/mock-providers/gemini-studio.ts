/**
 * Google AI Studio (the Gemini API) on the mock, at its real paths under `/v1beta` (and `/v1alpha`):
 * - `POST models/{model}:generateContent`, `:streamGenerateContent?alt=sse`, `:countTokens` (answers in gemini.ts);
 * - `POST models/{model}:batchEmbedContents` and `:embedContent` — https://ai.google.dev/api/embeddings;
 * - `GET models/{model}` and `GET models` — https://ai.google.dev/api/models (free: what the health probe reads).
 * The key comes in `x-goog-api-key` (or `?key=`); without one Google answers 403 PERMISSION_DENIED, a wrong one is
 * a 400 INVALID_ARGUMENT with reason API_KEY_INVALID. Failure markers answer in Google's error shape
 * (https://ai.google.dev/gemini-api/docs/troubleshooting): a 429 carries its hint as RetryInfo.retryDelay (no
 * Retry-After header), `content-policy` is a 200 whose prompt is blocked (promptFeedback.blockReason).
 */
import { NOT_JSON_BODY, RETRY_AFTER_SECONDS, parseMarkers } from './failures.ts';
import { geminiError, geminiMethodReply } from './gemini.ts';
import type { Exchange, MockReply } from './http.ts';
import { sendJson, sendReply, sendText, waitForClose, waitUnlessClosed } from './http.ts';
import { mockEmbedding } from './openai-embeddings.ts';
import { isObject, type JsonObject } from './text.ts';

const MODEL_PATH = /^\/v1(?:beta|alpha)\/models\/([^/:]+)(?::([A-Za-z]+))?$/;
const LIST_PATH = /^\/v1(?:beta|alpha)\/models$/;

/** The key rejected as invalid (besides the `error-401` marker), so tests can see a wrong key's answer. */
export const GEMINI_INVALID_KEY = 'AIza-invalid';

export function isGeminiStudioPath(path: string): boolean {
  return MODEL_PATH.test(path) || LIST_PATH.test(path);
}

const geminiOptions = (model: string) => {
  const markers = parseMarkers(model);
  return { noUsage: markers.noUsage, blocked: markers.contentPolicy };
};

const API_KEY_INVALID = geminiError(400, 'INVALID_ARGUMENT', 'API key not valid. Please pass a valid API key.', [
  {
    '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
    reason: 'API_KEY_INVALID',
    domain: 'googleapis.com',
    metadata: { service: 'generativelanguage.googleapis.com' },
  },
]);

const UNREGISTERED = geminiError(
  403,
  'PERMISSION_DENIED',
  "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
);

function presentedKey(ex: Exchange): string {
  const header = ex.req.headers['x-goog-api-key'];
  return (Array.isArray(header) ? header[0] : header) ?? ex.record.query.key ?? '';
}

function scriptedGeminiError(model: string, key: string): { status: number; body: unknown } | undefined {
  const markers = parseMarkers(model);
  if (markers.echoKey !== undefined) return { status: 500, body: geminiError(500, 'INTERNAL', `Internal error while serving key ${key}.`) };
  switch (markers.errorStatus) {
    case 429: {
      const delay = `${markers.retryAfterSeconds ?? RETRY_AFTER_SECONDS}s`;
      const message = `You exceeded your current quota, please check your plan and billing details. Please retry in ${delay}.`;
      return {
        status: 429,
        body: geminiError(429, 'RESOURCE_EXHAUSTED', message, [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: delay }]),
      };
    }
    case 500:
      return {
        status: 500,
        body: geminiError(
          500,
          'INTERNAL',
          'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting',
        ),
      };
    case 401:
      return { status: 400, body: API_KEY_INVALID };
  }
  if (markers.contextOverflow) {
    return {
      status: 400,
      body: geminiError(400, 'INVALID_ARGUMENT', 'The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).'),
    };
  }
  return undefined;
}

function modelInfo(model: string): JsonObject {
  return {
    name: `models/${model}`,
    version: '001',
    displayName: model,
    inputTokenLimit: 1048576,
    outputTokenLimit: 65536,
    supportedGenerationMethods: ['generateContent', 'countTokens', 'embedContent', 'batchEmbedContents'],
  };
}

/** One EmbedContentRequest → its ContentEmbedding, or the error text of a malformed one. */
function embed(request: unknown): { values: number[] } | string {
  if (!isObject(request) || !isObject(request.content) || !Array.isArray(request.content.parts)) return 'content is required';
  const text = request.content.parts.map((p) => (isObject(p) && typeof p.text === 'string' ? p.text : '')).join(' ');
  const dims = typeof request.outputDimensionality === 'number' ? request.outputDimensionality : 8;
  return { values: mockEmbedding(text, dims) };
}

function embeddingReply(method: string, model: string, body: JsonObject): MockReply {
  if (method === 'embedContent') {
    const embedding = embed(body);
    return typeof embedding === 'string'
      ? { kind: 'json', status: 400, body: geminiError(400, 'INVALID_ARGUMENT', embedding) }
      : { kind: 'json', status: 200, body: { embedding } };
  }
  const requests = Array.isArray(body.requests) ? body.requests : [];
  if (requests.length === 0)
    return { kind: 'json', status: 400, body: geminiError(400, 'INVALID_ARGUMENT', '* BatchEmbedContentsRequest.requests: requests is not specified') };
  // Every request must name the model of the URL.
  const wrongModel = requests.find((r) => !isObject(r) || r.model !== `models/${model}`);
  if (wrongModel !== undefined) {
    return {
      kind: 'json',
      status: 400,
      body: geminiError(400, 'INVALID_ARGUMENT', `* BatchEmbedContentsRequest.requests[].model: model must be models/${model}`),
    };
  }
  const embeddings = requests.map(embed);
  const failed = embeddings.find((e) => typeof e === 'string');
  if (typeof failed === 'string') return { kind: 'json', status: 400, body: geminiError(400, 'INVALID_ARGUMENT', failed) };
  return { kind: 'json', status: 200, body: { embeddings } };
}

/** PaLM models (`chat-bison`, `text-bison-001`, `embedding-gecko-001`): the Gemini API no longer serves them (PaLM API shut down 2024). */
const PALM_MODEL = /-(bison|gecko)($|-|@)/;

/** Google's answer for a model (or method) the API does not serve. */
function notFound(model: string, method: string): MockReply {
  return {
    kind: 'json',
    status: 404,
    body: geminiError(404, 'NOT_FOUND', `models/${model} is not found for API version v1beta, or is not supported for ${method}.`),
  };
}

/** Answers an AI Studio path (isGeminiStudioPath). */
export async function handleGeminiStudio(ex: Exchange, url: URL): Promise<void> {
  const { res, record } = ex;
  const key = presentedKey(ex);
  if (key === '') return sendJson(ex, 403, UNREGISTERED);
  if (key === GEMINI_INVALID_KEY) return sendJson(ex, 400, API_KEY_INVALID);
  if (record.method === 'GET' && LIST_PATH.test(url.pathname)) return sendJson(ex, 200, { models: [modelInfo('gemini-2.5-flash')] });
  const [, rawModel = '', method] = MODEL_PATH.exec(url.pathname) ?? [];
  const model = decodeURIComponent(rawModel);
  record.model = model;
  if (record.method === 'GET')
    return method === undefined ? sendJson(ex, 200, modelInfo(model)) : sendJson(ex, 404, geminiError(404, 'NOT_FOUND', 'Not found'));
  if (!isObject(record.body)) return sendJson(ex, 400, geminiError(400, 'INVALID_ARGUMENT', 'Invalid JSON payload received.'));
  const markers = parseMarkers(model);
  if (markers.slowMs !== undefined && !(await waitUnlessClosed(res, markers.slowMs))) return;
  if (markers.hang) return waitForClose(res);
  const scripted = scriptedGeminiError(model, key);
  if (scripted) return sendJson(ex, scripted.status, scripted.body);
  if (markers.notJson) return sendText(ex, 200, 'text/html; charset=utf-8', NOT_JSON_BODY);
  let reply: MockReply;
  if (method === 'embedContent' || method === 'batchEmbedContents') reply = embeddingReply(method, model, record.body);
  else if (PALM_MODEL.test(model)) reply = notFound(model, method ?? '');
  else if (method === 'generateContent' || method === 'countTokens' || (method === 'streamGenerateContent' && record.query.alt === 'sse')) {
    reply = geminiMethodReply(method, record.body, model, geminiOptions(model));
  } else reply = notFound(model, method ?? '');
  return sendReply(ex, reply, { streamBreak: markers.streamBreak, ...(markers.chunkGapMs !== undefined ? { chunkGapMs: markers.chunkGapMs } : {}) });
}
