/**
 * HTTP plumbing of the mock: request recording, JSON and SSE replies, scripted connection breaks,
 * and waits that end early when the client goes away.
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { Protocol } from './failures.ts';

/** One request as the mock received it. Mutated while the exchange runs (aborted, status). */
export interface RecordedRequest {
  method: string;
  /** Path without the query string, e.g. `/v1/chat/completions`. */
  path: string;
  query: Record<string, string>;
  /** Node's lower-cased header map. */
  headers: IncomingHttpHeaders;
  /** Parsed JSON body; the raw string when it is not JSON; undefined when empty. */
  body: unknown;
  /** Which provider protocol the path belongs to (undefined for unknown paths). */
  protocol?: Protocol;
  /** The model (or Azure deployment) the request named, '' when none. */
  model: string;
  /** The status the mock answered with; undefined while waiting, or when it never answered (hang). */
  status?: number;
  /** The client closed the connection before the mock finished answering (upstream cancellation). */
  aborted: boolean;
  /** The mock itself destroyed the connection (stream-break): not a client abort. */
  brokenByMock: boolean;
}

/** What a protocol handler decided to answer; the server writes it (and applies stream markers). */
export type MockReply =
  | { kind: 'json'; status: number; body: unknown; headers?: Record<string, string> }
  /** `contentStart`: index of the first frame carrying content, so `stream-break` can cut after two. */
  | { kind: 'stream'; frames: string[]; contentStart: number };

export interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  record: RecordedRequest;
  /** Provider-style headers every answer carries (request ids). */
  headers: Record<string, string>;
}

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** JSON when it parses, else the raw text (so tests can still see what was sent). */
export function parseBody(raw: string): unknown {
  if (raw === '') return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}

/** One server-sent event: `event: NAME\n` (Anthropic) then `data: JSON\n\n`. */
export function sseFrame(data: unknown, event?: string): string {
  const payload = typeof data === 'string' ? data : JSON.stringify(data);
  return event === undefined ? `data: ${payload}\n\n` : `event: ${event}\ndata: ${payload}\n\n`;
}

/** Resolve true after `ms`, or false as soon as the connection closes (client abort, mock shutdown). */
export function waitUnlessClosed(res: ServerResponse, ms: number): Promise<boolean> {
  if (res.destroyed) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onClose = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      res.off('close', onClose);
      resolve(true);
    }, ms);
    res.once('close', onClose);
  });
}

/** Never answer; resolve when the client (or the mock's close()) ends the connection. */
export function waitForClose(res: ServerResponse): Promise<void> {
  if (res.destroyed) return Promise.resolve();
  return new Promise((resolve) => res.once('close', () => resolve()));
}

export function sendJson(ex: Exchange, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  ex.record.status = status;
  ex.res.writeHead(status, {
    ...ex.headers,
    ...headers,
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  ex.res.end(text);
}

export function sendText(ex: Exchange, status: number, contentType: string, text: string): void {
  ex.record.status = status;
  ex.res.writeHead(status, { ...ex.headers, 'content-type': contentType, 'content-length': Buffer.byteLength(text) });
  ex.res.end(text);
}

/** Write `chunk`, then destroy the socket once it reached the kernel (a connection reset mid-answer). */
function writeThenBreak(ex: Exchange, chunk: string): void {
  ex.record.brokenByMock = true;
  ex.res.write(chunk, () => ex.res.socket?.destroy());
}

export interface StreamOptions {
  streamBreak: boolean;
  chunkGapMs?: number;
  /** An in-band error event sent after two content frames, ending the stream (`echo-key-mid-stream`). */
  failMidStream?: string;
}

export async function sendReply(ex: Exchange, reply: MockReply, options: StreamOptions): Promise<void> {
  if (reply.kind === 'json') {
    if (!options.streamBreak) return sendJson(ex, reply.status, reply.body, reply.headers);
    // A non-streamed answer cut in the middle of its body: the declared length is never reached.
    const text = JSON.stringify(reply.body);
    ex.record.status = reply.status;
    ex.res.writeHead(reply.status, { ...ex.headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    return writeThenBreak(ex, text.slice(0, Math.floor(text.length / 2)));
  }
  ex.record.status = 200;
  ex.res.writeHead(200, { ...ex.headers, 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
  ex.res.flushHeaders();
  const breakAfter = options.streamBreak || options.failMidStream !== undefined ? Math.min(reply.contentStart + 2, reply.frames.length) : -1;
  for (let i = 0; i < reply.frames.length; i++) {
    if (i > 0 && options.chunkGapMs !== undefined && !(await waitUnlessClosed(ex.res, options.chunkGapMs))) return;
    if (ex.res.destroyed) return;
    const frame = reply.frames[i] ?? '';
    if (i + 1 === breakAfter && options.failMidStream !== undefined) {
      ex.res.end(frame + options.failMidStream);
      return;
    }
    if (i + 1 === breakAfter) return writeThenBreak(ex, frame);
    ex.res.write(frame);
  }
  ex.res.end();
}
