/**
 * Upstreams whose streams are not server-sent events, for tests of stream framing: Ollama's native chat
 * (NDJSON, ollama-chat.ts) and Bedrock ConverseStream (AWS event-stream, bedrock-converse.ts), on one
 * node:http server on 127.0.0.1 (port 0). Streamed answers only: the gateway asks these for streams.
 *
 * Markers in the model name (dash-separated tokens, as in README.md):
 * - `malformed-line` (Ollama): a line that is not JSON after the first content line.
 * - `exception` (Bedrock): a throttlingException message after two contentBlockDelta events.
 * - `bad-crc` (Bedrock): the second contentBlockDelta's payload corrupted, so its message CRC fails.
 * - `wrong-content-type`: 200 with an HTML body.
 * - `split`: the stream written in 5-byte pieces, one per event-loop turn, so reads end inside
 *   characters, preludes and checksums.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AWS_EVENTSTREAM_CONTENT_TYPE, awsException, converseStreamMessages } from './bedrock-converse.ts';
import { readBody } from './http.ts';
import { OLLAMA_NDJSON_CONTENT_TYPE, ollamaChatLines } from './ollama-chat.ts';
import type { JsonObject } from './text.ts';
import { isObject } from './text.ts';

export const MALFORMED_LINE = '{"message": {"content": "cut';
export const EXCEPTION_MESSAGE = 'Too many tokens, please wait before trying again.';

export interface FramedRequest {
  path: string;
  body: JsonObject;
}

export interface FramedMockProviders {
  /** api_base of both (`http://127.0.0.1:PORT`). */
  url: string;
  requests: FramedRequest[];
  close(): Promise<void>;
}

const hasMarker = (model: string, marker: string) => new RegExp(`(^|[^a-z0-9])${marker}($|[^a-z0-9])`, 'i').test(model);

function ollamaStream(body: JsonObject, model: string): Uint8Array[] {
  const lines = ollamaChatLines(body, model);
  if (hasMarker(model, 'malformed-line')) lines.splice(1, 0, `${MALFORMED_LINE}\n`);
  return lines.map((line) => Buffer.from(line));
}

function converseStream(body: JsonObject, model: string): Uint8Array[] {
  const { messages, contentStart } = converseStreamMessages(body);
  if (hasMarker(model, 'exception')) messages.splice(contentStart + 2, messages.length, awsException('throttlingException', EXCEPTION_MESSAGE));
  if (hasMarker(model, 'bad-crc')) {
    const corrupted = new Uint8Array(messages[contentStart + 1]!);
    corrupted[corrupted.length - 6]! ^= 0xff;
    messages[contentStart + 1] = corrupted;
  }
  return messages;
}

async function write(res: ServerResponse, pieces: Uint8Array[], split: boolean): Promise<void> {
  for (const piece of pieces) {
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

async function handle(req: IncomingMessage, res: ServerResponse, requests: FramedRequest[]): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://mock.invalid').pathname;
  const parsed: unknown = JSON.parse((await readBody(req)) || '{}');
  const body = isObject(parsed) ? parsed : {};
  requests.push({ path, body });
  const converse = /^\/model\/([^/]+)\/converse-stream$/.exec(path);
  const model = converse ? decodeURIComponent(converse[1]!) : typeof body.model === 'string' ? body.model : '';
  if (!converse && path !== '/api/chat') {
    res.writeHead(404, { 'content-type': 'application/json' });
    return void res.end(JSON.stringify({ error: `no route for ${path}` }));
  }
  if (hasMarker(model, 'wrong-content-type')) {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    return void res.end('<html>Maintenance</html>');
  }
  res.writeHead(200, { 'content-type': converse ? AWS_EVENTSTREAM_CONTENT_TYPE : OLLAMA_NDJSON_CONTENT_TYPE });
  await write(res, converse ? converseStream(body, model) : ollamaStream(body, model), hasMarker(model, 'split'));
}

export async function startFramedMockProviders(): Promise<FramedMockProviders> {
  const requests: FramedRequest[] = [];
  const server = createServer((req, res) => {
    handle(req, res, requests).catch((error: unknown) => {
      // A bug in the mock must be loud in the test that hit it, not a hung request.
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`framed mock crashed: ${String(error)}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
