/** POST /admin/deployments/:id/test against the shared mock providers, through createGateway and inject. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startMockProviders, type MockProviders } from '../../../e2e/mock-providers/index.ts';
import { emptyConfig, type GatewayConfig } from '../../core/config-types.ts';
import { createGateway, type Gateway } from '../../gateway.ts';
import { createLogger } from '../../observe/logger.ts';
import type { DeploymentHealthAnswer } from './deployment-health-route.ts';
import type { DeploymentTestResult } from './deployment-test.ts';

const MASTER_KEY = 'sk-master-dtest-0123456789';
const UPSTREAM_KEY = 'sk-proj-DeploymentTestUpstream0123456789abcdef';
const { logger, ring } = createLogger({ level: 'info', destination: null });

let mock: MockProviders;
let g: Gateway;

beforeAll(async () => {
  mock = await startMockProviders();
  const openai = (model: string, extra: Record<string, unknown> = {}) => ({
    model: `openai/${model}`,
    api_base: mock.openaiBaseUrl,
    api_key: UPSTREAM_KEY,
    ...extra,
  });
  const config: GatewayConfig = emptyConfig();
  config.model_list.push(
    { model_name: 'gpt', litellm_params: openai('gpt-4o'), model_info: { id: 'ok-id' } },
    // Same group: a retry or a fallback would reach these, a test never does.
    { model_name: 'gpt-bad', litellm_params: openai('gpt-4o-error-401'), model_info: { id: 'unauthorized-id' } },
    { model_name: 'gpt-bad', litellm_params: openai('gpt-4o'), model_info: { id: 'sibling-id' } },
    { model_name: 'gpt-500', litellm_params: openai('gpt-4o-error-500'), model_info: { id: 'error-500-id' } },
    { model_name: 'gpt-slow', litellm_params: openai('gpt-4o-slow-3000', { timeout: 0.3 }), model_info: { id: 'slow-id' } },
    { model_name: 'embed', litellm_params: openai('text-embedding-3-small'), model_info: { id: 'embed-id', mode: 'embedding' } },
    { model_name: 'echo', litellm_params: { model: 'mock/echo' }, model_info: { id: 'echo-id' } },
    { model_name: 'any', litellm_params: openai('*'), model_info: { id: 'wildcard-id' } },
  );
  config.litellm_settings = { num_retries: 3, fallbacks: [{ 'gpt-bad': ['gpt'] }] };
  config.general_settings.master_key = MASTER_KEY;
  g = await createGateway({ config, logger, ring, env: {} });
});
afterAll(async () => {
  await g?.close();
  await mock?.close();
});
beforeEach(() => mock.reset());

const auth = { authorization: `Bearer ${MASTER_KEY}` };
const test = (id: string, headers: Record<string, string> = auth) =>
  g.app.inject({ method: 'POST', url: `/admin/deployments/${encodeURIComponent(id)}/test`, headers });

describe('POST /admin/deployments/:id/test', () => {
  it('takes the master key only', async () => {
    const res = await test('ok-id', {});
    expect(res.statusCode).toBe(401);
    expect(mock.requests).toHaveLength(0);
  });

  it('answers 404 for an unknown id', async () => {
    const res = await test('nope');
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toMatchObject({ type: 'not_found_error', code: 'deployment_not_found', param: 'id' });
  });

  it('sends one one-token "ping" to that deployment and answers the latency, upstream model and reply', async () => {
    const res = await test('ok-id');
    expect(res.statusCode).toBe(200);
    const body = res.json() as DeploymentTestResult;
    expect(body).toMatchObject({ ok: true, model: 'gpt-4o', reply: 'echo:' });
    expect(body.latency_ms).toBeGreaterThan(0);
    expect(mock.requests).toHaveLength(1);
    expect(mock.requests[0]).toMatchObject({ path: '/v1/chat/completions', model: 'gpt-4o' });
    expect(mock.requests[0]!.body).toMatchObject({ max_tokens: 1, messages: [{ role: 'user', content: 'ping' }] });
    expect(mock.requests[0]!.headers.authorization).toBe(`Bearer ${UPSTREAM_KEY}`);
  });

  it('reports the upstream 401 exactly (message, type, code), masked, with no retry and no fallback', async () => {
    const res = await test('unauthorized-id');
    expect(res.statusCode).toBe(200);
    const body = res.json() as DeploymentTestResult;
    expect(body.ok).toBe(false);
    if (body.ok) return;
    expect(body.status).toBe(401);
    expect(body.error.type).toBe('invalid_request_error');
    expect(body.error.code).toBe('invalid_api_key');
    expect(body.error.message).toMatch(
      /^openai: Incorrect API key provided: .*You can find your API key at https:\/\/platform\.openai\.com\/account\/api-keys\.$/,
    );
    expect(body.latency_ms).toBeGreaterThan(0);
    expect(res.body).not.toContain(UPSTREAM_KEY);
    expect(mock.requests).toHaveLength(1);
    expect(mock.requests[0]!.model).toBe('gpt-4o-error-401');
  });

  it("reports a 5xx with the upstream's own status", async () => {
    const body = (await test('error-500-id')).json() as DeploymentTestResult;
    expect(body).toMatchObject({ ok: false, status: 500, error: { code: 'upstream_500' } });
    expect(mock.requests).toHaveLength(1);
  });

  it("ends at the deployment's own timeout", async () => {
    const body = (await test('slow-id')).json() as DeploymentTestResult;
    expect(body).toMatchObject({ ok: false, status: 504, error: { type: 'timeout_error' } });
    expect(body.latency_ms).toBeGreaterThanOrEqual(250);
    // It hung up on the upstream rather than waiting out its 3 s answer.
    expect(mock.requests).toHaveLength(1);
    await expect.poll(() => mock.requests[0]?.aborted, { timeout: 5_000 }).toBe(true);
  });

  it('embeds "ping" for an embedding deployment', async () => {
    const body = (await test('embed-id')).json() as DeploymentTestResult;
    expect(body).toMatchObject({ ok: true, model: 'text-embedding-3-small', reply: 'embedding of 8 dimensions' });
    expect(mock.requests[0]).toMatchObject({ path: '/v1/embeddings' });
    expect(mock.requests[0]!.body).toMatchObject({ input: 'ping' });
  });

  it('calls the built-in mock provider in-process', async () => {
    const body = (await test('echo-id')).json() as DeploymentTestResult;
    expect(body).toMatchObject({ ok: true, model: 'echo' });
    expect(body.ok && body.reply).toContain('ping');
  });

  it('refuses a wildcard deployment without health_check_model', async () => {
    const res = await test('wildcard-id');
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('wildcard_deployment');
    expect(mock.requests).toHaveLength(0);
  });

  it('records the outcome as the last active check, not as traffic, and writes no spend row', async () => {
    await test('ok-id');
    await test('unauthorized-id');
    const health = (await g.app.inject({ method: 'GET', url: '/admin/deployments/health', headers: auth })).json() as DeploymentHealthAnswer;
    const byId = new Map(health.deployments.map((d) => [d.id, d]));
    expect(byId.get('ok-id')).toMatchObject({ state: 'healthy', requests: 0, last_check: { status: 'healthy' } });
    expect(byId.get('unauthorized-id')).toMatchObject({
      state: 'failing',
      requests: 0,
      errors: 0,
      cooldown_remaining_s: 0,
      last_check: { status: 'unhealthy' },
    });
    expect(byId.get('unauthorized-id')!.last_check!.error).toMatch(/Incorrect API key/);
    const spend = await g.app.inject({ method: 'GET', url: '/spend/logs', headers: auth });
    expect(spend.json()).toEqual([]);
    // Logged, with the outcome and never the upstream key.
    const lines = ring.tail().filter((l) => l.includes('deployment test'));
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(ring.tail().join('\n')).not.toContain(UPSTREAM_KEY);
  });
});
