import { createServer } from 'node:http';
import { describe, expect, it } from 'vitest';
import { applyConnectionPolicy, connectionPolicy, DEFAULT_CONNECTION_POLICY } from './connection-policy.ts';

describe('connectionPolicy (general_settings, in seconds)', () => {
  it('uses the documented defaults when nothing is set', () => {
    expect(connectionPolicy({})).toEqual({ headersTimeoutMs: 10_000, requestTimeoutMs: 300_000, keepAliveTimeoutMs: 65_000, maxConnections: 1024 });
  });

  it('reads seconds, fractions included, and the connection cap', () => {
    expect(connectionPolicy({ client_headers_timeout: 2.5, client_request_timeout: 120, client_keep_alive_timeout: 5, max_client_connections: 64 })).toEqual({
      headersTimeoutMs: 2500,
      requestTimeoutMs: 120_000,
      keepAliveTimeoutMs: 5000,
      maxConnections: 64,
    });
  });

  it('keeps the whole request at least as long as its headers, as Node requires', () => {
    expect(connectionPolicy({ client_headers_timeout: 30, client_request_timeout: 10 }).requestTimeoutMs).toBe(30_000);
  });

  it('falls back to the default for zero, negative or fractional caps rather than disabling a limit', () => {
    const policy = connectionPolicy({ client_headers_timeout: 0, client_keep_alive_timeout: -1, max_client_connections: 2.5 });
    expect(policy.headersTimeoutMs).toBe(DEFAULT_CONNECTION_POLICY.headersTimeoutMs);
    expect(policy.keepAliveTimeoutMs).toBe(DEFAULT_CONNECTION_POLICY.keepAliveTimeoutMs);
    expect(policy.maxConnections).toBe(DEFAULT_CONNECTION_POLICY.maxConnections);
  });

  it('sets the server, replacing every other clientError listener with its own', () => {
    const server = createServer();
    server.on('clientError', () => undefined);
    applyConnectionPolicy(server, { headersTimeoutMs: 5000, requestTimeoutMs: 6000, keepAliveTimeoutMs: 7000, maxConnections: 8 });
    expect([server.headersTimeout, server.requestTimeout, server.keepAliveTimeout, server.maxConnections]).toEqual([5000, 6000, 7000, 8]);
    expect(server.listenerCount('clientError')).toBe(1);
  });
});
