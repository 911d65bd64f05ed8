/**
 * Every route the real app registers is classified: either it is on the public allow-list below, or it sits
 * behind the admin scope's door and refuses a caller without the master key — before its body is parsed or
 * validated. A new route fails this test until it is put in one of the two places.
 *
 * The routes are collected with Fastify's onRoute hook, attached to the app buildApp creates (fastify is wrapped
 * so the hook is there before the first route is registered).
 */
import type { InjectOptions } from 'fastify';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { emptyConfig, type GatewayConfig } from '../core/config-types.ts';
import { createGateway, type Gateway } from '../gateway.ts';
import { createLogger } from '../observe/logger.ts';
import { OWN_KEY_ROUTES } from './admin-scope.ts';

const registered = vi.hoisted(() => [] as { method: string; url: string }[]);

vi.mock('fastify', async (importOriginal) => {
  const fastify = await importOriginal<typeof import('fastify')>();
  const withRouteLog = ((options?: Parameters<typeof fastify.default>[0]) => {
    const app = fastify.default(options);
    app.addHook('onRoute', (route) => {
      for (const method of [route.method].flat()) registered.push({ method, url: route.url });
    });
    return app;
  }) as typeof fastify.default;
  return { ...fastify, default: withRouteLog };
});

/**
 * The routes any caller reaches (with a key the gateway takes, when a master key is set), as `METHOD url`; a GET
 * stands for its HEAD too. Inference, stored responses and model listing (with and without /v1), health for load balancers and
 * LiteLLM's /health, and the dashboard's static files (the page asks for the master key and sends it to the admin API).
 */
const PUBLIC_ROUTES = [
  'GET /',
  'GET /ui',
  'GET /ui/*',
  'GET /health',
  'GET /health/liveliness',
  'GET /health/liveness',
  'GET /health/readiness',
  ...['/v1', ''].flatMap((prefix) => [
    `GET ${prefix}/models`,
    `GET ${prefix}/models/*`,
    `POST ${prefix}/chat/completions`,
    `POST ${prefix}/completions`,
    `POST ${prefix}/embeddings`,
    `POST ${prefix}/messages`,
    `POST ${prefix}/messages/count_tokens`,
    // The Responses API: a virtual key reaches its own stored responses only (routes/responses.ts).
    `POST ${prefix}/responses`,
    `GET ${prefix}/responses/:id`,
    `DELETE ${prefix}/responses/:id`,
    `GET ${prefix}/responses/:id/input_items`,
    `POST ${prefix}/rerank`,
  ]),
  // LiteLLM's Cohere v2-compatible rerank path.
  'POST /v2/rerank',
].sort();

/** Admin routes the walk must find, so it can never pass over an empty or partial list. */
const SOME_ADMIN_ROUTES = [
  'POST /key/generate',
  'GET /key/info',
  'GET /spend/logs',
  'POST /model/new',
  'GET /v1/model/info',
  'PUT /admin/secrets/:name',
  'PUT /admin/routing',
  'GET /admin/logs/stream',
  'GET /admin/providers',
  'GET /metrics',
];

const MASTER_KEY = 'sk-master-0123456789';
const { logger } = createLogger({ level: 'silent', destination: null });
const gateways: Gateway[] = [];

afterEach(async () => {
  await Promise.all(gateways.splice(0).map((g) => g.close()));
});

/** A gateway and the routes its app registered, as `METHOD url` (HEAD folded into GET). */
async function gatewayWithRoutes(masterKey: string | undefined): Promise<{ gateway: Gateway; routes: string[] }> {
  registered.length = 0;
  const config: GatewayConfig = emptyConfig();
  config.model_list.push({ model_name: 'echo', litellm_params: { model: 'mock/echo' }, model_info: { id: 'echo-id' } });
  if (masterKey) config.general_settings.master_key = masterKey;
  const gateway = await createGateway({ config, logger, env: {} });
  gateways.push(gateway);
  await gateway.app.ready();
  const routes = [...new Set(registered.map(({ method, url }) => `${method === 'HEAD' ? 'GET' : method} ${url}`))].sort();
  return { gateway, routes };
}

const adminRoutesOf = (routes: string[]) => routes.filter((route) => !PUBLIC_ROUTES.includes(route));

/** A concrete URL for a route pattern: `:name` and `*` become a plain segment. */
const urlOf = (pattern: string) => pattern.replace(/:[^/]+/g, 'x').replace(/\*/g, 'x');

const hasBody = (method: string) => method === 'POST' || method === 'PUT' || method === 'PATCH';

/** Requests to one route: its method (and HEAD for a GET), with a body that does not parse and one that is not valid for any schema. */
function requestsFor(route: string, headers: Record<string, string>): InjectOptions[] {
  const [method, pattern] = route.split(' ') as [NonNullable<InjectOptions['method']>, string];
  const url = urlOf(pattern);
  if (!hasBody(method)) return [{ method, url, headers }, ...(method === 'GET' ? [{ method: 'HEAD', url, headers }] : [])];
  return ['{not json', '[1, 2, 3]'].map((payload) => ({ method, url, headers: { ...headers, 'content-type': 'application/json' }, payload }));
}

async function expectEveryRequest(gateway: Gateway, routes: string[], headers: Record<string, string>, status: number, code: string) {
  for (const route of routes) {
    for (const request of requestsFor(route, headers)) {
      const res = await gateway.app.inject(request);
      expect(res.statusCode, `${request.method} ${request.url} ${JSON.stringify(headers)}`).toBe(status);
      // HEAD answers carry no body.
      if (request.method !== 'HEAD') expect(res.json().error.code, `${request.method} ${request.url}`).toBe(code);
    }
  }
}

describe('the admin scope covers every route that is not public', () => {
  it('registers every route on the public allow-list, and the admin routes the walk checks', async () => {
    const { routes } = await gatewayWithRoutes(MASTER_KEY);
    const publicRoutes = routes.filter((route) => PUBLIC_ROUTES.includes(route));
    expect(publicRoutes).toEqual(PUBLIC_ROUTES);
    expect(adminRoutesOf(routes)).toEqual(expect.arrayContaining(SOME_ADMIN_ROUTES));
  });

  it('every other route answers 401 without a key and with a wrong one, before reading its body', async () => {
    const { gateway, routes } = await gatewayWithRoutes(MASTER_KEY);
    const admin = adminRoutesOf(routes);
    await expectEveryRequest(gateway, admin, {}, 401, 'missing_api_key');
    await expectEveryRequest(gateway, admin, { authorization: 'Bearer sk-not-the-master-key' }, 401, 'invalid_api_key');
    await expectEveryRequest(gateway, admin, { 'x-api-key': 'sk-not-the-master-key' }, 401, 'invalid_api_key');
  });

  it('a virtual key gets 403 everywhere but the named exceptions', async () => {
    const { gateway, routes } = await gatewayWithRoutes(MASTER_KEY);
    const issued = await gateway.app.inject({ method: 'POST', url: '/key/generate', headers: { authorization: `Bearer ${MASTER_KEY}` }, payload: {} });
    expect(issued.statusCode).toBe(200);
    const virtual = { authorization: `Bearer ${issued.json().key}` };
    const exceptions = adminRoutesOf(routes).filter((route) => OWN_KEY_ROUTES.has(route.split(' ')[1]!));
    expect(exceptions).toEqual(['GET /key/info']);
    await expectEveryRequest(
      gateway,
      adminRoutesOf(routes).filter((route) => !exceptions.includes(route)),
      virtual,
      403,
      'admin_only',
    );
    const own = await gateway.app.inject({ method: 'GET', url: '/key/info', headers: virtual });
    expect(own.statusCode).toBe(200);
    expect(own.json().info.token).toBe(issued.json().token_id);
  });

  it('without a master key there is no admin API: every admin route answers 401', async () => {
    const { gateway, routes } = await gatewayWithRoutes(undefined);
    const admin = adminRoutesOf(routes);
    expect(admin).toEqual(expect.arrayContaining(SOME_ADMIN_ROUTES));
    await expectEveryRequest(gateway, admin, {}, 401, 'master_key_not_set');
    await expectEveryRequest(
      gateway,
      admin.filter((route) => !OWN_KEY_ROUTES.has(route.split(' ')[1]!)),
      { authorization: 'Bearer sk-anything' },
      401,
      'master_key_not_set',
    );
  });

  it('takes the master key from any of the three headers', async () => {
    const { gateway } = await gatewayWithRoutes(MASTER_KEY);
    for (const headers of [{ authorization: `Bearer ${MASTER_KEY}` }, { 'x-api-key': MASTER_KEY }, { 'api-key': MASTER_KEY }]) {
      const res = await gateway.app.inject({ method: 'GET', url: '/admin/overview', headers });
      expect(res.statusCode, JSON.stringify(headers)).toBe(200);
      expect(res.json().status).toBe('running');
    }
  });

  it('serves GET /admin/providers, registered inside the scope, to the master key', async () => {
    const { gateway } = await gatewayWithRoutes(MASTER_KEY);
    const res = await gateway.app.inject({ method: 'GET', url: '/admin/providers', headers: { authorization: `Bearer ${MASTER_KEY}` } });
    expect(res.statusCode).toBe(200);
    expect((res.json().data as { id: string }[]).map((provider) => provider.id)).toContain('openai');
  });
});
