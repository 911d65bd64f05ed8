import { describe, expect, it } from 'vitest';
import type { PassThroughRoute } from '../../config/llproxy-endpoints.ts';
import { clientHeaders, matchRoute, upstreamHeaders } from './pass-through-forward.ts';

const route = (path: string, over: Partial<PassThroughRoute> = {}): PassThroughRoute => ({
  path,
  target: `https://up.example${path}-target`,
  includeSubpath: true,
  headers: {},
  forwardHeaders: true,
  auth: true,
  provider: 'openai',
  models: {},
  ...over,
});

describe('matchRoute', () => {
  it('appends what follows the prefix and the query; the longest prefix wins; a look-alike prefix does not match', () => {
    const routes = [route('/openai'), route('/openai/v2')];
    expect(matchRoute(routes, '/openai/v1/chat/completions?x=1')?.target).toBe('https://up.example/openai-target/v1/chat/completions?x=1');
    expect(matchRoute(routes, '/openai/v2/models')?.target).toBe('https://up.example/openai/v2-target/models');
    expect(matchRoute(routes, '/openai')?.target).toBe('https://up.example/openai-target');
    expect(matchRoute(routes, '/openaiX/v1')).toBeUndefined();
  });

  it('serves an endpoint without include_subpath at its exact path only', () => {
    const routes = [route('/v1/rerank', { includeSubpath: false })];
    expect(matchRoute(routes, '/v1/rerank')?.target).toBe('https://up.example/v1/rerank-target');
    expect(matchRoute(routes, '/v1/rerank/x')).toBeUndefined();
  });
});

describe('upstreamHeaders', () => {
  const client = {
    host: 'localhost:4000',
    connection: 'keep-alive, x-conn-only',
    'x-conn-only': '1',
    'keep-alive': 'timeout=5',
    'transfer-encoding': 'chunked',
    'accept-encoding': 'gzip',
    authorization: 'Bearer sk-client',
    'content-type': 'application/json',
    'x-trace': 'abc',
  };

  it("drops hop-by-hop headers (and those Connection names), keeps the client's key when it is not a gateway key", () => {
    expect(upstreamHeaders(client, route('/a'), true, 12)).toEqual({
      authorization: 'Bearer sk-client',
      'content-type': 'application/json',
      'x-trace': 'abc',
      'content-length': '12',
    });
  });

  it("never sends the gateway key; the route's headers win; without forward_headers only the body's headers go", () => {
    const own = route('/a', { forwardHeaders: false, headers: { authorization: 'Bearer sk-route' } });
    expect(upstreamHeaders(client, own, false)).toEqual({ 'content-type': 'application/json', authorization: 'Bearer sk-route' });
    expect(upstreamHeaders(client, route('/a'), false)).not.toHaveProperty('authorization');
  });
});

it('clientHeaders drops hop-by-hop headers of the answer', () => {
  expect(clientHeaders({ 'content-type': 'text/event-stream', 'transfer-encoding': 'chunked', connection: 'close', 'x-request-id': 'r' })).toEqual({
    'content-type': 'text/event-stream',
    'x-request-id': 'r',
  });
});
