/**
 * The HTTP half of a pass-through call: the upstream URL and headers for a request under a route's prefix,
 * the call itself on the gateway's one upstream pool, and the headers of the answer relayed back.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import type { PassThroughRoute } from '../../config/llproxy-endpoints.ts';
import { upstreamAgent } from '../../proxy/upstream.ts';

/** RFC 9110 §7.6.1 connection-specific headers, never relayed; plus what the connection to the upstream sets itself. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
]);
/** Where clients put a key: the gateway's own key is never sent upstream. */
const CREDENTIAL_HEADERS = ['authorization', 'x-api-key', 'api-key'];
/** Sent even without forward_headers: the body means nothing without them. */
const BODY_HEADERS = ['content-type', 'accept', 'content-length'];

/** The route whose prefix `url` is under (the longest one), and the upstream URL it maps to. */
export function matchRoute(routes: readonly PassThroughRoute[], url: string): { route: PassThroughRoute; target: string } | undefined {
  const query = url.indexOf('?');
  const path = query === -1 ? url : url.slice(0, query);
  const search = query === -1 ? '' : url.slice(query);
  let best: PassThroughRoute | undefined;
  for (const route of routes) {
    const exact = path === route.path || path === `${route.path}/`;
    const under = route.includeSubpath && path.startsWith(`${route.path}/`);
    if ((exact || under) && (!best || route.path.length > best.path.length)) best = route;
  }
  if (!best) return undefined;
  const rest = path.slice(best.path.length);
  return { route: best, target: `${best.target}${rest === '/' ? '' : rest}${search}` };
}

/**
 * Headers for the upstream: the client's (with forward_headers) minus hop-by-hop ones, minus the gateway key
 * when the client presented one (`keepClientCredentials` false), then the route's own headers on top.
 * accept-encoding is dropped so the answer comes uncompressed and its usage can be read.
 */
export function upstreamHeaders(
  client: IncomingHttpHeaders,
  route: PassThroughRoute,
  keepClientCredentials: boolean,
  bodyLength?: number,
): Record<string, string> {
  const out: Record<string, string> = {};
  const named = new Set(
    String(client.connection ?? '')
      .split(',')
      .map((name) => name.trim().toLowerCase()),
  );
  for (const [name, value] of Object.entries(client)) {
    if (value === undefined || HOP_BY_HOP.has(name) || named.has(name) || name === 'accept-encoding') continue;
    if (CREDENTIAL_HEADERS.includes(name) && !keepClientCredentials) continue;
    if (!route.forwardHeaders && !BODY_HEADERS.includes(name) && !(keepClientCredentials && CREDENTIAL_HEADERS.includes(name))) continue;
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  if (bodyLength !== undefined) out['content-length'] = String(bodyLength);
  for (const [name, value] of Object.entries(route.headers)) out[name] = value;
  return out;
}

/** Answer headers for the client: the upstream's minus hop-by-hop ones (Node frames the body itself). */
export function clientHeaders(upstream: Record<string, string | string[] | undefined>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  const named = new Set(
    String(upstream.connection ?? '')
      .split(',')
      .map((name) => name.trim().toLowerCase()),
  );
  for (const [name, value] of Object.entries(upstream)) {
    if (value === undefined || HOP_BY_HOP.has(name) || named.has(name)) continue;
    out[name] = value;
  }
  return out;
}

export interface UpstreamAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Readable;
}

/** Sends the request on the shared keep-alive pool; `body` is a buffer (read for its model) or the client's stream. */
export async function sendUpstream(
  url: string,
  method: string,
  headers: Record<string, string>,
  body: Buffer | Readable | undefined,
  signal: AbortSignal,
): Promise<UpstreamAnswer> {
  const target = new URL(url);
  const answer = await upstreamAgent.request({
    origin: target.origin,
    path: `${target.pathname}${target.search}`,
    method: method as 'GET',
    headers,
    body: body ?? null,
    signal,
  });
  return { status: answer.statusCode, headers: answer.headers, body: answer.body };
}
