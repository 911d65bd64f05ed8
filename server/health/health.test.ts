/** Active checks against the shared mock providers: cheap probes, health_check_model, opt-out, reuse, secrets. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startMockProviders, type MockProviders } from '../../e2e/mock-providers/index.ts';
import type { Deployment } from '../providers/types.ts';
import { DeploymentHealth } from '../router/deployment-health.ts';
import { testDeployment } from '../test-support/fixtures.ts';
import { checkDeployments } from './health.ts';

let mock: MockProviders;
beforeAll(async () => {
  mock = await startMockProviders();
});
afterAll(() => mock.close());
beforeEach(() => mock.reset());

const OPENAI_KEY = 'sk-proj-HealthTestKey0123456789abcdef';
const ANTHROPIC_KEY = 'sk-ant-api03-HealthTestKey0123456789';

const openai = (id: string, overrides: Partial<Deployment> = {}) =>
  testDeployment({ id, modelName: id, apiBase: mock.openaiBaseUrl, apiKey: OPENAI_KEY, ...overrides });
const anthropic = (id: string, upstreamModel: string, overrides: Partial<Deployment> = {}) =>
  testDeployment({ id, modelName: id, provider: 'anthropic', upstreamModel, apiBase: mock.url, apiKey: ANTHROPIC_KEY, ...overrides });

describe('checkDeployments', () => {
  it('probes OpenAI-shaped upstreams with GET /models and others with a max_tokens 1 call', async () => {
    const report = await checkDeployments([openai('gpt'), anthropic('claude', 'claude-3-haiku')]);
    expect(report).toMatchObject({ healthy_count: 2, unhealthy_count: 0, skipped_count: 0 });
    expect(report.healthy_endpoints).toEqual([
      { model: 'openai/gpt-4o-2024-08-06', model_name: 'gpt', model_id: 'gpt', api_base: mock.openaiBaseUrl },
      { model: 'anthropic/claude-3-haiku', model_name: 'claude', model_id: 'claude', api_base: mock.url },
    ]);
    const byPath = Object.fromEntries(mock.requests.map((r) => [r.path, r]));
    expect(byPath['/v1/models']).toMatchObject({ method: 'GET', body: undefined });
    expect(byPath['/v1/messages']?.body).toMatchObject({ model: 'claude-3-haiku', max_tokens: 1 });
  });

  it('lists unreachable and refusing upstreams as unhealthy, with the reason and never the key', async () => {
    const report = await checkDeployments([openai('down', { apiBase: 'http://127.0.0.1:1/v1' }), anthropic('refused', 'claude-error-401')]);
    expect(report.unhealthy_endpoints.map((e) => [e.model_name, e.api_base])).toEqual([
      ['down', 'http://127.0.0.1:1/v1'],
      ['refused', mock.url],
    ]);
    expect(report.unhealthy_endpoints[0]?.error).toMatch(/Could not reach the upstream/);
    expect(report.unhealthy_endpoints[1]?.error).toBe('Anthropic: invalid x-api-key'); // the upstream's own reason
    const text = JSON.stringify(report);
    expect(text).not.toContain(OPENAI_KEY);
    expect(text).not.toContain(ANTHROPIC_KEY);
  });

  it("probes health_check_model instead of the deployment's model (a wildcard, or a cheaper model)", async () => {
    const wildcard = anthropic('anthropic/*', '*', { modelInfo: { health_check_model: 'anthropic/claude-3-haiku-20240307' } });
    const fromParams = anthropic('big', 'claude-opus', { params: { model: 'anthropic/claude-opus', health_check_model: 'claude-3-haiku' } });
    const report = await checkDeployments([wildcard, fromParams]);
    expect(report.healthy_count).toBe(2);
    expect(mock.requests.map((r) => r.model).sort()).toEqual(['claude-3-haiku', 'claude-3-haiku-20240307']);
  });

  it('skips a deployment opted out with model_info.disable_background_health_check: not probed, not unhealthy', async () => {
    const health = new DeploymentHealth();
    const optedOut = openai('quiet', { apiBase: 'http://127.0.0.1:1/v1', modelInfo: { disable_background_health_check: true } });
    const report = await checkDeployments([optedOut], { health });
    expect(report).toMatchObject({ healthy_count: 0, unhealthy_count: 0, skipped_count: 1 });
    expect(report.skipped_endpoints[0]).toMatchObject({ model_name: 'quiet' });
    expect(mock.requests).toHaveLength(0);
    expect(health.lastCheck('quiet')).toMatchObject({ skipped: true });
  });

  it('honours model_info.health_check_timeout', async () => {
    const slow = anthropic('slow', 'claude-slow-3000', { modelInfo: { health_check_timeout: 0.2 } });
    const report = await checkDeployments([slow]);
    expect(report.unhealthy_endpoints[0]?.error).toMatch(/did not answer within 0.2s/);
    // The probe hung up at its timeout instead of waiting out the 3 s answer.
    expect(mock.requests).toHaveLength(1);
    await expect.poll(() => mock.requests[0]?.aborted, { timeout: 5_000 }).toBe(true);
  });

  it('records each result, reuses a fresh one when asked, and shares a probe already running', async () => {
    const health = new DeploymentHealth();
    const d = anthropic('claude', 'claude-slow-100');
    await Promise.all([checkDeployments([d], { health }), checkDeployments([d], { health })]);
    expect(mock.requests).toHaveLength(1);
    expect(health.lastCheck('claude')).toMatchObject({ healthy: true });
    await checkDeployments([d], { health, reuseWithinMs: 60_000 });
    expect(mock.requests).toHaveLength(1);
    await checkDeployments([d], { health });
    expect(mock.requests).toHaveLength(2);
  });

  it('leaves api_base and error out with health_check_details: false', async () => {
    const report = await checkDeployments([openai('down', { apiBase: 'http://127.0.0.1:1/v1' })], { details: false });
    expect(report.unhealthy_endpoints).toEqual([{ model: 'openai/gpt-4o-2024-08-06', model_name: 'down', model_id: 'down' }]);
  });

  it('answers the built-in mock provider healthy without a request, and without an api_base', async () => {
    const report = await checkDeployments([testDeployment({ id: 'm', modelName: 'echo', provider: 'mock', upstreamModel: 'echo', apiBase: 'mock://local' })]);
    expect(report.healthy_endpoints).toEqual([{ model: 'mock/echo', model_name: 'echo', model_id: 'm' }]);
  });
});
