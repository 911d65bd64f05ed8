/**
 * Replicate's predictions API under `/replicate/v1` (api_base `${mock.url}/replicate/v1`), written from
 * https://replicate.com/docs/reference/http and https://replicate.com/docs/topics/predictions/streaming:
 * `POST models/{owner}/{name}/predictions` and `POST predictions` (`{"version"}`) create a prediction, `POST
 * predictions/{id}/cancel` cancels it
 * (`Prefer: wait` answers it finished), `GET predictions/{id}` polls it, `GET predictions/{id}/stream` streams its
 * output as `event: output` / `event: done` / `event: error`, `GET account` is the free key check. Errors are
 * problem details `{"title","detail","status"}`.
 *
 * The model name (`owner/name`, or the version id) carries the markers of failures.ts, and these: `polling` ignores
 * `Prefer: wait` and moves `starting` → `processing` → `succeeded` one GET at a time; `stuck` ignores it too and stays `processing`; `fails` ends `failed`;
 * `context-overflow` / `content-policy` end `failed` with the model's words. The "model" answers
 * `echo: <input.prompt>` as an array of word pieces; metrics count words (text.ts).
 */
import { parseMarkers } from './failures.ts';
import { type Exchange, sendJson, waitUnlessClosed } from './http.ts';
import { countTokens, echoAnswer, isObject, type JsonObject, mockId, splitIntoPieces, truncateToTokens } from './text.ts';

export const REPLICATE_PATH = /^\/replicate\/v1\/(models\/([^/]+)\/([^/]+)\/predictions|predictions|predictions\/([^/]+)(\/stream|\/cancel)?|account)$/;

interface MockPrediction {
  id: string;
  model: string;
  version: string | null;
  input: JsonObject;
  status: 'starting' | 'processing' | 'succeeded' | 'failed' | 'canceled';
  output: string[];
  error: string | null;
  metrics: JsonObject;
  stream: boolean;
  /** Where it ends: succeeded, or failed with this error. */
  endsWith: string | null;
  created_at: string;
}

const predictions = new Map<string, MockPrediction>();

const problem = (status: number, title: string, detail: string) => ({ title, detail, status });

const has = (model: string, marker: string) => new RegExp(`(^|[^a-z0-9])${marker}($|[^a-z0-9])`, 'i').test(model);

function failureOf(model: string): string | null {
  if (has(model, 'fails')) return 'CUDA out of memory. Tried to allocate 2.00 GiB';
  if (has(model, 'context-overflow')) return 'Prompt length (9000) exceeds the maximum context length (4096) of this model';
  if (has(model, 'content-policy')) return 'NSFW content detected. Try running it again, or try a different prompt.';
  return null;
}

function predictionJson(p: MockPrediction, base: string): JsonObject {
  const done = p.status === 'succeeded' || p.status === 'failed' || p.status === 'canceled';
  return {
    id: p.id,
    model: p.model,
    version: p.version ?? 'dp-mock0000000000000000000000000000000000',
    input: p.input,
    logs: '',
    output: p.status === 'succeeded' ? p.output : p.status === 'processing' ? p.output.slice(0, 1) : null,
    data_removed: false,
    error: p.status === 'failed' ? p.error : null,
    status: p.status,
    created_at: p.created_at,
    ...(done ? { completed_at: new Date().toISOString(), metrics: p.metrics } : {}),
    urls: {
      get: `${base}/predictions/${p.id}`,
      cancel: `${base}/predictions/${p.id}/cancel`,
      ...(p.stream ? { stream: `${base}/predictions/${p.id}/stream` } : {}),
    },
  };
}

function finish(p: MockPrediction): void {
  if (p.endsWith === null) p.status = 'succeeded';
  else {
    p.status = 'failed';
    p.error = p.endsWith;
  }
}

function create(ex: Exchange, model: string, version: string | null, body: JsonObject, base: string) {
  const input = isObject(body.input) ? body.input : undefined;
  if (!input) return sendJson(ex, 422, problem(422, 'Invalid input', 'input is required'));
  const markers = parseMarkers(model);
  if (markers.errorStatus === 429) {
    return sendJson(ex, 429, problem(429, 'Request was throttled', 'Request was throttled. Expected available in 7 seconds.'), { 'retry-after': '7' });
  }
  if (markers.errorStatus === 500) return sendJson(ex, 500, problem(500, 'Internal Server Error', 'An internal error occurred'));
  if (markers.errorStatus === 401) return sendJson(ex, 401, problem(401, 'Unauthenticated', 'You did not pass a valid authentication token'));
  const prompt = typeof input.prompt === 'string' ? input.prompt : '';
  const system = typeof input.system_prompt === 'string' ? input.system_prompt : '';
  const { text } = truncateToTokens(echoAnswer(prompt), input.max_new_tokens ?? input.max_tokens);
  const p: MockPrediction = {
    id: mockId('rp'),
    model,
    version,
    input,
    status: 'starting',
    output: splitIntoPieces(text),
    error: null,
    metrics: { input_token_count: countTokens(`${system} ${prompt}`), output_token_count: countTokens(text), predict_time: 0.01 },
    stream: body.stream === true,
    endsWith: failureOf(model),
    created_at: new Date().toISOString(),
  };
  predictions.set(p.id, p);
  const wait = /(^|[,;\s])wait\b/i.test(String(ex.req.headers.prefer ?? ''));
  if (wait && !p.stream && !has(model, 'polling') && !has(model, 'stuck')) finish(p);
  sendJson(ex, 201, predictionJson(p, base));
}

/** SSE with multi-line data split into `data:` lines, as the spec requires. */
const sseEvent = (event: string, data: string, id?: string) =>
  `event: ${event}\n${id === undefined ? '' : `id: ${id}\n`}${data
    .split('\n')
    .map((line) => `data: ${line}`)
    .join('\n')}\n\n`;

async function stream(ex: Exchange, p: MockPrediction): Promise<void> {
  ex.record.status = 200;
  ex.res.writeHead(200, { ...ex.headers, 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
  ex.res.flushHeaders();
  const gap = parseMarkers(p.model).chunkGapMs;
  if (p.endsWith !== null) {
    finish(p);
    ex.res.end(sseEvent('error', JSON.stringify({ detail: p.endsWith })));
    return;
  }
  for (const [i, piece] of p.output.entries()) {
    if (i > 0 && gap !== undefined && !(await waitUnlessClosed(ex.res, gap))) return;
    ex.res.write(sseEvent('output', piece, `${i}`));
  }
  finish(p);
  ex.res.end(sseEvent('done', '{}'));
}

/** Answers a request under /replicate/v1/; false when the path is not one of its routes. */
export async function handleReplicate(ex: Exchange, method: string, path: string, body: unknown): Promise<boolean> {
  const match = REPLICATE_PATH.exec(path);
  if (!match) return false;
  const base = `http://${ex.req.headers.host ?? '127.0.0.1'}/replicate/v1`;
  if (!/^Bearer\s+\S/i.test(ex.req.headers.authorization ?? '')) {
    sendJson(ex, 401, problem(401, 'Unauthenticated', 'You did not pass a valid authentication token'));
    return true;
  }
  const route = match[1] ?? '';
  if (route === 'account' && method === 'GET') {
    sendJson(ex, 200, { type: 'user', username: 'mock', name: 'Mock User' });
    return true;
  }
  if (method === 'POST' && (match[2] !== undefined || route === 'predictions')) {
    const json = isObject(body) ? body : {};
    const model = match[2] !== undefined ? `${decodeURIComponent(match[2])}/${decodeURIComponent(match[3] ?? '')}` : String(json.version ?? '');
    ex.record.model = model;
    create(ex, model, match[2] === undefined ? model : null, json, base);
    return true;
  }
  const p = match[4] === undefined ? undefined : predictions.get(match[4]);
  if (!p || (method !== 'GET' && match[5] !== '/cancel')) {
    sendJson(ex, 404, problem(404, 'Not found', 'The requested resource could not be found.'));
    return true;
  }
  ex.record.model = p.model;
  if (match[5] === '/cancel') {
    if (method === 'POST' && p.status !== 'succeeded' && p.status !== 'failed') p.status = 'canceled';
    sendJson(ex, 200, predictionJson(p, base));
    return true;
  }
  if (match[5] !== undefined) {
    await stream(ex, p);
    return true;
  }
  // Each poll moves an unfinished prediction one step on.
  if (p.status === 'starting') p.status = 'processing';
  else if (p.status === 'processing' && !p.stream && !has(p.model, 'stuck')) finish(p);
  sendJson(ex, 200, predictionJson(p, base));
  return true;
}
