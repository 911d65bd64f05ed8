/**
 * What the gateway's HTTP server allows a connection before Fastify sees a request: how long a client may
 * take to send its headers and its whole request, how long an idle keep-alive connection stays open, how
 * many connections are open at once — and the OpenAI-shaped answer when Node itself refuses a request
 * (headers too large, sent too slowly, not HTTP), which Fastify would otherwise answer in its own shape.
 *
 * None of these limits can cut a response: Node's requestTimeout covers receiving the request (headers and
 * body) and stops counting once the request has arrived, so a streamed answer or a non-streamed call that
 * takes minutes upstream runs as long as it needs (upstream timeouts are litellm_settings.request_timeout's).
 */
import { maxHeaderSize, STATUS_CODES, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { GeneralSettings } from '../core/config-types.ts';
import { GatewayError } from '../core/errors.ts';

export interface ConnectionPolicy {
  /** A client that has not sent all its headers by then gets a 408 and is disconnected. */
  headersTimeoutMs: number;
  /** The same for the whole request, body included (never the response). */
  requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this. */
  keepAliveTimeoutMs: number;
  /** Connections over this are closed as they arrive. */
  maxConnections: number;
}

/** Defaults for a gateway on a workstation or a LAN: local clients send their headers at once. */
export const DEFAULT_CONNECTION_POLICY: ConnectionPolicy = {
  headersTimeoutMs: 10_000,
  // Node's own default; a 50 MB body still arrives in time on a slow link.
  requestTimeoutMs: 300_000,
  // Longer than the idle time of clients' connection pools (undici 4 s, httpx 5 s, proxies' 60 s), so a
  // client never reuses a connection the gateway is closing at that moment.
  keepAliveTimeoutMs: 65_000,
  maxConnections: 1024,
};

const seconds = (value: unknown, fallbackMs: number): number => {
  const n = Number(value);
  return value !== undefined && value !== null && Number.isFinite(n) && n > 0 ? Math.round(n * 1000) : fallbackMs;
};

/** general_settings.client_headers_timeout, client_request_timeout, client_keep_alive_timeout (seconds) and max_client_connections. */
export function connectionPolicy(settings: GeneralSettings): ConnectionPolicy {
  const d = DEFAULT_CONNECTION_POLICY;
  const headersTimeoutMs = seconds(settings.client_headers_timeout, d.headersTimeoutMs);
  const cap = Number(settings.max_client_connections);
  return {
    headersTimeoutMs,
    // Node requires the headers to fit inside the request's time.
    requestTimeoutMs: Math.max(headersTimeoutMs, seconds(settings.client_request_timeout, d.requestTimeoutMs)),
    keepAliveTimeoutMs: seconds(settings.client_keep_alive_timeout, d.keepAliveTimeoutMs),
    maxConnections: Number.isInteger(cap) && cap > 0 ? cap : d.maxConnections,
  };
}

/** Applies the policy to a server that is not listening yet (the checking interval is read at listen). */
export function applyConnectionPolicy(server: Server, policy: ConnectionPolicy): void {
  server.headersTimeout = policy.headersTimeoutMs;
  server.requestTimeout = policy.requestTimeoutMs;
  server.keepAliveTimeout = policy.keepAliveTimeoutMs;
  server.maxConnections = policy.maxConnections;
  // Node checks the two timeouts every 30 s by default, which would let a slow client stay up to 30 s longer.
  (server as Server & { connectionsCheckingInterval: number }).connectionsCheckingInterval = Math.min(1000, policy.headersTimeoutMs);
  // Replaces Fastify's listener, which answers in Fastify's error shape.
  server.removeAllListeners('clientError');
  server.on('clientError', answerClientError);
}

function clientErrorOf(err: Error & { code?: string }): GatewayError {
  switch (err.code) {
    case 'HPE_HEADER_OVERFLOW':
      return new GatewayError(431, `The request's headers are larger than the gateway accepts (${maxHeaderSize / 1024} KB in all).`, {
        code: 'request_headers_too_large',
      });
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return new GatewayError(
        408,
        'The request did not arrive in time (general_settings.client_headers_timeout for the headers, client_request_timeout for the whole request).',
        { code: 'request_timeout' },
      );
    default:
      return new GatewayError(400, 'The request is not valid HTTP.', { code: 'invalid_http' });
  }
}

/** Node's 'clientError': the request never reached Fastify, so the answer is written to the socket here. */
export function answerClientError(err: Error & { code?: string }, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  // A response already under way on this connection must not get a second status line in its middle.
  const responding = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent === true;
  if (socket.writable && !responding) {
    const error = clientErrorOf(err);
    const body = JSON.stringify(error.toBody());
    socket.write(
      `HTTP/1.1 ${error.status} ${STATUS_CODES[error.status]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}
