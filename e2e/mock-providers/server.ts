/**
 * The mock upstream: one node:http server on 127.0.0.1 that speaks OpenAI (chat, completions, embeddings,
 * responses), Azure OpenAI and Anthropic on their real paths, records every request, and plays the scripted failures
 * (see failures.ts / README.md).
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isAi21Path, serveAi21 } from './ai21.ts';
import { anthropicCountTokensReply, anthropicMessagesReply } from './anthropic.ts';
import { isCoherePath, serveCohere } from './cohere.ts';
import type { Markers, Protocol } from './failures.ts';
import {
  AZURE_ACCESS_DENIED,
  NOT_JSON_BODY,
  anthropicError,
  azureError,
  echoedKeyError,
  echoedKeyStreamError,
  openaiError,
  parseMarkers,
  scriptedError,
} from './failures.ts';
import { handleHuggingFace } from './huggingface.ts';
import type { Exchange, MockReply, RecordedRequest } from './http.ts';
import { parseBody, readBody, sendJson, sendReply, sendText, waitForClose, waitUnlessClosed } from './http.ts';
import { withoutUsage } from './no-usage.ts';
import { openaiChatReply } from './openai-chat.ts';
import { openaiCompletionReply } from './openai-completions.ts';
import { openaiEmbeddingReply, openaiModelReply, openaiModelsReply } from './openai-embeddings.ts';
import { openaiResponsesReply, responsesStreamError } from './openai-responses.ts';
import type { JsonObject } from './text.ts';
import { handleReplicate } from './replicate.ts';
import { isObject, mockId } from './text.ts';
import { handleVertex, isVertexPath } from './vertex.ts';
import { LOCAL_OPENAI_PREFIX, findRoute, type Route } from './routes.ts';
import { azureModelsReply } from './azure-models.ts';
import { handleGeminiStudio, isGeminiStudioPath } from './gemini-studio.ts';

export interface MockProviders {
  /** `http://127.0.0.1:PORT` — Azure and Anthropic api_base. */
  url: string;
  /** `http://127.0.0.1:PORT/v1` — api_base for OpenAI and OpenAI-compatible deployments. */
  openaiBaseUrl: string;
  /** `http://127.0.0.1:PORT/local/v1` — a local OpenAI-compatible server started without a key (no auth check). */
  localOpenaiBaseUrl: string;
  /** Every request received since start (or the last reset), oldest first. The array is reused. */
  requests: RecordedRequest[];
  /** Forgets the recorded requests and restarts every `error-429-<n>s` window. */
  reset(): void;
  /** The first recorded request matching `predicate`, waiting for it up to `timeoutMs` (default 2000). */
  waitFor(predicate: (request: RecordedRequest) => boolean, timeoutMs?: number): Promise<RecordedRequest>;
  close(): Promise<void>;
}

export interface MockProvidersOptions {
  /** Default 0 (a free port). */
  port?: number;
  /** Record requests (default true). The bench turns it off so memory stays flat under load. */
  record?: boolean;
}

/** The credential a request carried, as the provider reads it. */
function presentedKey(req: IncomingMessage): string {
  const header = req.headers['x-api-key'] ?? req.headers['api-key'] ?? req.headers.authorization ?? '';
  return Array.isArray(header) ? (header[0] ?? '') : header;
}

function hasBearer(req: IncomingMessage): boolean {
  return /^Bearer\s+\S/i.test(req.headers.authorization ?? '');
}

/** The first check each provider fails a request on, before looking at the body. */
function gatewayRejection(route: Route, req: IncomingMessage, query: Record<string, string>): MockReply | undefined {
  const reject = (status: number, body: unknown): MockReply => ({ kind: 'json', status, body });
  switch (route.protocol) {
    case 'openai':
      if (hasBearer(req) || route.keyless) return undefined;
      return reject(
        401,
        openaiError(
          "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
          'invalid_request_error',
        ),
      );
    case 'azure':
      if (!hasBearer(req) && !req.headers['api-key']) return reject(401, azureError('401', AZURE_ACCESS_DENIED));
      // Azure answers an unversioned dated-API call as an unknown resource.
      if (route.needsApiVersion && !query['api-version']) return reject(404, azureError('404', 'Resource not found'));
      return undefined;
    case 'anthropic':
      if (!req.headers['x-api-key']) return reject(401, anthropicError('authentication_error', 'x-api-key header is required'));
      if (!req.headers['anthropic-version']) return reject(400, anthropicError('invalid_request_error', 'anthropic-version: header is required'));
      return undefined;
  }
}

function answer(route: Route, body: JsonObject, model: string, markers: Markers): MockReply {
  switch (route.endpoint) {
    case 'responses':
      return openaiResponsesReply(body, model, { noUsage: markers.noUsage });
    case 'chat':
      return openaiChatReply(body, model);
    case 'completions':
      return openaiCompletionReply(body, model);
    case 'embeddings':
      return openaiEmbeddingReply(body, model);
    case 'models':
      return openaiModelsReply();
    case 'model':
      return openaiModelReply(route.modelId ?? '');
    case 'azure_models':
      return azureModelsReply();
    case 'messages':
      return anthropicMessagesReply(body, model);
    case 'count_tokens':
      return anthropicCountTokensReply(body);
  }
}

function requestIdHeaders(protocol: Protocol | undefined): Record<string, string> {
  if (protocol === 'anthropic') return { 'request-id': mockId('req_') };
  if (protocol === 'azure') return { 'apim-request-id': mockId('apim-'), 'x-request-id': mockId('req_') };
  return { 'x-request-id': mockId('req_') };
}

function invalidBody(protocol: Protocol): unknown {
  return protocol === 'anthropic'
    ? anthropicError('invalid_request_error', 'The request body is not valid JSON.')
    : openaiError('We could not parse the JSON body of your request. (HINT: This likely means you are not sending valid JSON.)', 'invalid_request_error');
}

interface MockState {
  closing: boolean;
  requests: RecordedRequest[] | undefined;
  /** `error-429-<n>s`: when each model name's rate-limit window ends (Date.now() ms), from its first request. */
  rateLimitedUntil: Map<string, number>;
}

/** How long before its advertised end an `error-429-<n>s` limit lifts, so whoever waits out Retry-After finds it gone. */
const RATE_LIMIT_GRACE_MS = 100;

/**
 * `error-429-<n>s` is a rate limit that lifts: 429 with the whole seconds left as `Retry-After` inside the
 * window, then no error at all (the other markers still apply).
 */
function applyRateLimitWindow(markers: Markers, model: string, state: MockState): Markers {
  if (markers.rateLimitWindowS === undefined) return markers;
  const now = Date.now();
  let until = state.rateLimitedUntil.get(model);
  if (until === undefined) {
    until = now + markers.rateLimitWindowS * 1000;
    state.rateLimitedUntil.set(model, until);
  }
  if (now >= until - RATE_LIMIT_GRACE_MS) return { ...markers, errorStatus: undefined };
  return { ...markers, errorStatus: 429, retryAfterSeconds: Math.max(1, Math.ceil((until - now) / 1000)) };
}

async function handle(req: IncomingMessage, res: ServerResponse, state: MockState) {
  const url = new URL(req.url ?? '/', 'http://mock.invalid');
  const route = findRoute(req.method ?? 'GET', url.pathname);
  const record: RecordedRequest = {
    method: req.method ?? 'GET',
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers: req.headers,
    body: undefined,
    protocol: route?.protocol,
    model: route?.deployment ?? '',
    aborted: false,
    brokenByMock: false,
  };
  res.on('close', () => {
    if (!res.writableFinished && !record.brokenByMock && !state.closing) record.aborted = true;
  });
  record.body = parseBody(await readBody(req));
  state.requests?.push(record);
  const ex: Exchange = { req, res, record, headers: requestIdHeaders(route?.protocol) };
  if (isCoherePath(record.method, url.pathname)) return serveCohere(ex);
  if (isAi21Path(record.method, url.pathname)) return serveAi21(ex);

  if (await handleHuggingFace(ex, record.method, url.pathname, record.body)) return;
  if (await handleReplicate(ex, record.method, url.pathname, record.body)) return;
  if (isVertexPath(url.pathname)) return handleVertex(ex, url);
  if (isGeminiStudioPath(url.pathname)) return handleGeminiStudio(ex, url);
  if (route === undefined) {
    const body = url.pathname.startsWith('/openai/')
      ? azureError('404', 'Resource not found')
      : openaiError(`Invalid URL (${record.method} ${url.pathname})`, 'invalid_request_error');
    return sendJson(ex, 404, body);
  }
  const rejection = gatewayRejection(route, req, record.query);
  if (rejection?.kind === 'json') return sendJson(ex, rejection.status, rejection.body);
  const body: JsonObject = isObject(record.body) ? record.body : {};
  if (req.method === 'POST' && !isObject(record.body)) return sendJson(ex, 400, invalidBody(route.protocol));
  const model = route.deployment ?? (typeof body.model === 'string' ? body.model : '');
  record.model = model;
  if (route.protocol !== 'anthropic' && route.deployment === undefined && req.method === 'POST' && model === '') {
    return sendJson(ex, 400, openaiError('you must provide a model parameter', 'invalid_request_error', null, 'model'));
  }

  const markers = applyRateLimitWindow(parseMarkers(model), model, state);
  if (markers.slowMs !== undefined && !(await waitUnlessClosed(res, markers.slowMs))) return;
  if (markers.hang) return waitForClose(res);
  const scripted =
    markers.echoKey === undefined ? scriptedError(route.protocol, markers, model) : echoedKeyError(route.protocol, markers.echoKey, presentedKey(req));
  if (scripted !== undefined) return sendJson(ex, scripted.status, scripted.body, scripted.headers);
  if (markers.notJson) return sendText(ex, 200, 'text/html; charset=utf-8', NOT_JSON_BODY);
  const reply = answer(route, body, model, markers);
  // A Responses answer leaves its usage out itself (it sits inside the response object of the last event).
  const responses = route.endpoint === 'responses';
  const midStreamError = responses ? responsesStreamError(presentedKey(req)) : echoedKeyStreamError(route.protocol, presentedKey(req));
  return sendReply(ex, markers.noUsage && !responses ? withoutUsage(reply) : reply, {
    streamBreak: markers.streamBreak,
    chunkGapMs: markers.chunkGapMs,
    ...(markers.echoKeyMidStream ? { failMidStream: midStreamError } : {}),
  });
}

export async function startMockProviders(options: MockProvidersOptions = {}): Promise<MockProviders> {
  const requests: RecordedRequest[] = [];
  const state: MockState = { closing: false, requests: options.record === false ? undefined : requests, rateLimitedUntil: new Map() };
  const server = createServer((req, res) => {
    handle(req, res, state).catch((error: unknown) => {
      // A bug in the mock must be loud in the test that hit it, not a hung request.
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify(openaiError(`mock provider crashed: ${String(error)}`, 'server_error')));
      } else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    openaiBaseUrl: `${url}/v1`,
    localOpenaiBaseUrl: `${url}${LOCAL_OPENAI_PREFIX}/v1`,
    requests,
    reset: () => {
      requests.length = 0;
      state.rateLimitedUntil.clear();
    },
    waitFor: async (predicate, timeoutMs = 2000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = requests.find(predicate);
        if (found !== undefined) return found;
        if (Date.now() > deadline) throw new Error(`mock providers: no matching request within ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    close: async () => {
      state.closing = true;
      // Hanging and keep-alive connections would keep close() waiting forever.
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
