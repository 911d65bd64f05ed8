/**
 * Upstreams whose streams are not server-sent events, on one node:http server on 127.0.0.1 (port 0): Ollama's
 * native chat (NDJSON, ollama-chat.ts) and the AWS runtimes — Bedrock Converse / ConverseStream / InvokeModel
 * (bedrock-converse.ts, bedrock-invoke.ts) and SageMaker InvokeEndpoint / InvokeEndpointWithResponseStream
 * (sagemaker-runtime.ts) — whose requests must carry a valid SigV4 signature (bedrock-sigv4.ts) unless the
 * server is started with `requireSigV4: false`.
 *
 * Markers in the model (or endpoint) name, dash-separated tokens as in README.md:
 * - failures.ts's `error-429` (ThrottlingException), `error-500` (InternalServerException), `error-401`
 *   (UnrecognizedClientException, 403), `context-overflow` (ValidationException "Input is too long…"),
 *   `content-policy` (ValidationException from the content filter), `slow-<ms>`, `stream-break`, and on AWS
 *   `error-403` (AccessDeniedException), `error-404` (ResourceNotFoundException), `error-503`
 *   (ServiceUnavailableException), `model-not-ready` (ModelNotReadyException); on SageMaker `context-overflow` is
 *   the container's (TGI's) input validation error inside a 424 ModelError.
 * - `malformed-line` (Ollama): a line that is not JSON after the first content line.
 * - `exception` (Bedrock): a throttlingException message after two contentBlockDelta events.
 * - `first-exception` (Bedrock): the stream's first message is a throttlingException (ConverseStream may fail
 *   with an exception message before any event: ConverseStreamOutput's throttlingException / validationException,
 *   https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ConverseStreamOutput.html).
 * - `bad-crc` (Bedrock): the second contentBlockDelta's payload corrupted, so its message CRC fails.
 * - `wrong-content-type`: 200 with an HTML body.
 * - `split`: the stream written in 5-byte pieces, one per event-loop turn, so reads end inside
 *   characters, preludes and checksums.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  AWS_EVENTSTREAM_CONTENT_TYPE,
  awsException,
  converseAnswer,
  converseResponse,
  converseStreamMessages,
  converseValidationError,
} from './bedrock-converse.ts';
import { bedrockEmbeddingReply } from './bedrock-invoke.ts';
import { awsAuthRejection } from './bedrock-sigv4.ts';
import { parseMarkers } from './failures.ts';
import { readBody } from './http.ts';
import { OLLAMA_NDJSON_CONTENT_TYPE, ollamaChatLines } from './ollama-chat.ts';
import { TGI_CONTEXT_OVERFLOW, modelError, sagemakerReply } from './sagemaker-runtime.ts';
import type { JsonObject } from './text.ts';
import { isObject } from './text.ts';

export const MALFORMED_LINE = '{"message": {"content": "cut';
export const EXCEPTION_MESSAGE = 'Too many tokens, please wait before trying again.';

export interface FramedRequest {
  method: string;
  /** As sent (model ids keep their `%3A`). */
  path: string;
  headers: IncomingHttpHeaders;
  body: JsonObject;
  /** The model or SageMaker endpoint named in the path ('' for Ollama). */
  target: string;
  status?: number;
}

export interface FramedMockProviders {
  /** api_base of all of them (`http://127.0.0.1:PORT`). */
  url: string;
  requests: FramedRequest[];
  reset(): void;
  close(): Promise<void>;
}

export interface FramedMockOptions {
  /** Refuse AWS requests without a valid SigV4 signature (default true). */
  requireSigV4?: boolean;
}

const hasMarker = (model: string, marker: string) => new RegExp(`(^|[^a-z0-9])${marker}($|[^a-z0-9])`, 'i').test(model);

function ollamaStream(body: JsonObject, model: string): Uint8Array[] {
  const lines = ollamaChatLines(body, model);
  if (hasMarker(model, 'malformed-line')) lines.splice(1, 0, `${MALFORMED_LINE}\n`);
  return lines.map((line) => Buffer.from(line));
}

function converseStream(body: JsonObject, model: string): { pieces: Uint8Array[]; contentStart: number } {
  const { messages, contentStart } = converseStreamMessages(converseAnswer(body));
  if (hasMarker(model, 'first-exception')) return { pieces: [awsException('throttlingException', EXCEPTION_MESSAGE)], contentStart: 0 };
  if (hasMarker(model, 'exception')) messages.splice(contentStart + 2, messages.length, awsException('throttlingException', EXCEPTION_MESSAGE));
  if (hasMarker(model, 'bad-crc')) {
    const corrupted = new Uint8Array(messages[contentStart + 1]!);
    corrupted[corrupted.length - 6]! ^= 0xff;
    messages[contentStart + 1] = corrupted;
  }
  return { pieces: messages, contentStart };
}

/** Writes the pieces; `breakAfter` destroys the socket after that many (stream-break). */
async function write(res: ServerResponse, pieces: Uint8Array[], split: boolean, breakAfter = -1): Promise<void> {
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i]!;
    if (i === breakAfter) {
      await new Promise<void>((resolve) => res.write(piece, () => resolve()));
      res.socket?.destroy();
      return;
    }
    if (!split) {
      res.write(piece);
      continue;
    }
    for (let start = 0; start < piece.length; start += 5) {
      if (res.destroyed) return;
      res.write(piece.subarray(start, start + 5));
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  res.end();
}

export interface AwsRoute {
  service: 'bedrock' | 'sagemaker';
  action: 'converse' | 'converse-stream' | 'invoke' | 'invocations' | 'invocations-response-stream';
  target: string;
}

function awsRoute(path: string): AwsRoute | undefined {
  const bedrock = /^\/model\/([^/]+)\/(converse|converse-stream|invoke)$/.exec(path);
  if (bedrock) return { service: 'bedrock', action: bedrock[2] as AwsRoute['action'], target: decodeURIComponent(bedrock[1]!) };
  const sagemaker = /^\/endpoints\/([^/]+)\/(invocations|invocations-response-stream)$/.exec(path);
  if (sagemaker) return { service: 'sagemaker', action: sagemaker[2] as AwsRoute['action'], target: decodeURIComponent(sagemaker[1]!) };
  return undefined;
}

function sendAwsError(res: ServerResponse, record: FramedRequest, status: number, type: string, message: string, body?: JsonObject): void {
  record.status = status;
  const text = JSON.stringify(body ?? { message });
  res.writeHead(status, {
    'content-type': 'application/json',
    'x-amzn-errortype': `${type}:http://internal.amazon.com/coral/com.amazon.bedrock/`,
    'x-amzn-requestid': 'mock-request-id',
  });
  res.end(text);
}

function sendAwsJson(res: ServerResponse, record: FramedRequest, body: unknown, contentType = 'application/json'): void {
  record.status = 200;
  res.writeHead(200, { 'content-type': contentType, 'x-amzn-requestid': 'mock-request-id' });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}

/** The scripted AWS failure a model name asks for, as [status, exception type, message]. */
function scriptedAwsError(name: string): [number, string, string] | undefined {
  const markers = parseMarkers(name);
  if (markers.errorStatus === 429) return [429, 'ThrottlingException', 'Too many requests, please wait before trying again.'];
  if (markers.errorStatus === 500) return [500, 'InternalServerException', 'The server encountered an error processing your request.'];
  if (markers.errorStatus === 401) return [403, 'UnrecognizedClientException', 'The security token included in the request is invalid.'];
  if (hasMarker(name, 'error-403')) return [403, 'AccessDeniedException', "You don't have access to the model with the specified model ID."];
  if (hasMarker(name, 'error-404')) return [404, 'ResourceNotFoundException', 'Could not resolve the foundation model from the provided model identifier.'];
  if (hasMarker(name, 'error-503')) return [503, 'ServiceUnavailableException', 'Bedrock is unable to process your request.'];
  if (hasMarker(name, 'model-not-ready')) return [429, 'ModelNotReadyException', 'Model is not ready to serve inference requests.'];
  if (markers.contextOverflow) return [400, 'ValidationException', 'Input is too long for requested model.'];
  if (markers.contentPolicy) return [400, 'ValidationException', 'Output blocked by content filtering policy.'];
  return undefined;
}

async function handleAws(req: IncomingMessage, res: ServerResponse, route: AwsRoute, rawBody: string, record: FramedRequest, options: FramedMockOptions) {
  if (options.requireSigV4 !== false) {
    const rejection = await awsAuthRejection(req, rawBody, route.service);
    if (rejection) return sendAwsError(res, record, rejection.status, rejection.type, rejection.message);
  }
  const name = route.target;
  const markers = parseMarkers(name);
  if (markers.slowMs !== undefined) await new Promise((resolve) => setTimeout(resolve, markers.slowMs));
  if (route.service === 'sagemaker' && markers.contextOverflow) {
    const reply = modelError(422, TGI_CONTEXT_OVERFLOW, name);
    if (reply.kind === 'error') return sendAwsError(res, record, reply.status, reply.type, reply.message, reply.body);
  }
  const scripted = scriptedAwsError(name);
  if (scripted) return sendAwsError(res, record, ...scripted);
  if (hasMarker(name, 'wrong-content-type')) {
    record.status = 200;
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    return void res.end('<html>Maintenance</html>');
  }
  const { body } = record;
  if (route.service === 'sagemaker') {
    const reply = sagemakerReply(name, body, route.action === 'invocations-response-stream');
    if (reply.kind === 'error') return sendAwsError(res, record, reply.status, reply.type, reply.message, reply.body);
    if (reply.kind === 'json') return sendAwsJson(res, record, reply.body);
    record.status = 200;
    res.writeHead(200, { 'content-type': AWS_EVENTSTREAM_CONTENT_TYPE, 'x-amzn-sagemaker-content-type': 'application/json' });
    return write(res, reply.messages, hasMarker(name, 'split'), markers.streamBreak ? 2 : -1);
  }
  if (route.action === 'invoke') {
    const reply = bedrockEmbeddingReply(name, body);
    return reply.status === 200 ? sendAwsJson(res, record, reply.body) : sendAwsError(res, record, 400, 'ValidationException', reply.message);
  }
  const invalid = converseValidationError(body);
  if (invalid !== undefined) return sendAwsError(res, record, 400, 'ValidationException', invalid);
  if (route.action === 'converse') return sendAwsJson(res, record, converseResponse(converseAnswer(body)));
  record.status = 200;
  res.writeHead(200, { 'content-type': AWS_EVENTSTREAM_CONTENT_TYPE, 'x-amzn-requestid': 'mock-request-id' });
  const { pieces, contentStart } = converseStream(body, name);
  await write(res, pieces, hasMarker(name, 'split'), markers.streamBreak ? contentStart + 1 : -1);
}

async function handle(req: IncomingMessage, res: ServerResponse, requests: FramedRequest[], options: FramedMockOptions): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://mock.invalid').pathname;
  const rawBody = await readBody(req);
  let parsed: unknown;
  try {
    parsed = JSON.parse(rawBody || '{}');
  } catch {
    parsed = undefined;
  }
  const body = isObject(parsed) ? parsed : {};
  const route = awsRoute(path);
  const record: FramedRequest = { method: req.method ?? 'GET', path, headers: req.headers, body, target: route?.target ?? '' };
  requests.push(record);
  if (route) return handleAws(req, res, route, rawBody, record, options);
  const model = typeof body.model === 'string' ? body.model : '';
  if (path !== '/api/chat') {
    record.status = 404;
    res.writeHead(404, { 'content-type': 'application/json' });
    return void res.end(JSON.stringify({ error: `no route for ${path}` }));
  }
  if (hasMarker(model, 'wrong-content-type')) {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    return void res.end('<html>Maintenance</html>');
  }
  record.status = 200;
  res.writeHead(200, { 'content-type': OLLAMA_NDJSON_CONTENT_TYPE });
  await write(res, ollamaStream(body, model), hasMarker(model, 'split'));
}

export async function startFramedMockProviders(options: FramedMockOptions = {}): Promise<FramedMockProviders> {
  const requests: FramedRequest[] = [];
  const server = createServer((req, res) => {
    handle(req, res, requests, options).catch((error: unknown) => {
      // A bug in the mock must be loud in the test that hit it, not a hung request.
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`framed mock crashed: ${String(error)}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    reset: () => {
      requests.length = 0;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
