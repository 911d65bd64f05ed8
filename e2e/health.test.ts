/**
 * Health, end to end over real HTTP against the shared mock providers, with LiteLLM's config keys
 * (docs.litellm.ai/docs/proxy/health): `/health` answers `{healthy_endpoints, unhealthy_endpoints}` with
 * model and api_base per entry and never a key; `model_info.health_check_model` names the model a probe
 * uses (wildcard routes); `model_info.disable_background_health_check` opts a deployment out (listed as
 * skipped); `general_settings.background_health_checks` / `health_check_interval` run the checks in the
 * background and /health answers from them. The dashboard's GET /admin/deployments/health shows the
 * passive health from live traffic: success rate, latency p50/p95, last error, cooldown.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { MockProviders } from './mock-providers/index.ts';
import { admin, chat, type Admin } from './support/admin.ts';
import { startGatewayOnMocks, type GatewayOnMocks } from './support/gateway.ts';
import type { DeploymentHealthAnswer } from '../server/core/admin-api.ts';

const ENV = { OPENAI_API_KEY: 'sk-proj-E2eHealthOpenAI0123456789abcdef', ANTHROPIC_API_KEY: 'sk-ant-api03-E2eHealthAnthropic01234567' };
const SECRETS = [...Object.values(ENV), 'sk-1234'];

const config = (mockUrl: string, general = '') => `
model_list:
  - model_name: gpt-4o
    litellm_params: { model: openai/gpt-4o, api_base: "${mockUrl}/v1", api_key: os.environ/OPENAI_API_KEY }
    model_info: { id: gpt-4o }
  - model_name: claude
    litellm_params: { model: anthropic/claude-3-haiku-20240307, api_base: "${mockUrl}", api_key: os.environ/ANTHROPIC_API_KEY }
    model_info: { id: claude }
  - model_name: unreachable
    litellm_params: { model: openai/gpt-4o, api_base: "http://127.0.0.1:1/v1", api_key: os.environ/OPENAI_API_KEY, timeout: 2 }
    model_info: { id: unreachable }
  - model_name: refused
    litellm_params: { model: anthropic/claude-error-401, api_base: "${mockUrl}", api_key: os.environ/ANTHROPIC_API_KEY }
    model_info: { id: refused }
  - model_name: quiet
    litellm_params: { model: openai/gpt-4o, api_base: "http://127.0.0.1:1/v1", api_key: os.environ/OPENAI_API_KEY }
    model_info: { id: quiet, disable_background_health_check: true }
  - model_name: anthropic/*
    litellm_params: { model: anthropic/*, api_base: "${mockUrl}", api_key: os.environ/ANTHROPIC_API_KEY }
    model_info: { id: anthropic-wildcard, health_check_model: anthropic/claude-3-haiku-20240307 }
  - model_name: flaky
    litellm_params: { model: openai/gpt-4o-error-500, api_base: "${mockUrl}/v1", api_key: os.environ/OPENAI_API_KEY }
    model_info: { id: flaky }
general_settings:
  master_key: sk-1234
${general}
`;

interface Entry {
  model: string;
  model_name: string;
  api_base?: string;
  error?: string;
}
interface Report {
  healthy_endpoints: Entry[];
  unhealthy_endpoints: Entry[];
  skipped_endpoints: Entry[];
  healthy_count: number;
  unhealthy_count: number;
}

function expectNoSecret(text: string): void {
  for (const secret of SECRETS) expect(text).not.toContain(secret);
  for (const secret of Object.values(ENV)) expect(text).not.toContain(secret.slice(8, 24));
  expect(text).not.toMatch(/api_key/);
}

const hi = [{ role: 'user', content: 'hi' }];

describe('health checks', () => {
  let running: GatewayOnMocks;
  let mock: MockProviders;
  let api: Admin;
  beforeAll(async () => {
    running = await startGatewayOnMocks((url) => config(url), ENV);
    mock = running.mock;
    api = admin(running.gw.url);
  });
  afterAll(() => running.close());
  beforeEach(() => mock.reset());

  it('/health lists failing deployments as unhealthy and working ones as healthy, with model and api_base, never a key', async () => {
    const answer = await api.get<Report>('/health');
    expect(answer.status).toBe(200);
    expectNoSecret(answer.text);
    const report = answer.json;
    const names = (entries: Entry[]) => entries.map((e) => e.model_name).sort();
    expect(names(report.healthy_endpoints)).toEqual(['anthropic/*', 'claude', 'flaky', 'gpt-4o']);
    expect(names(report.unhealthy_endpoints)).toEqual(['refused', 'unreachable']);
    expect(report).toMatchObject({ healthy_count: 4, unhealthy_count: 2 });
    const byName = Object.fromEntries(report.unhealthy_endpoints.map((e) => [e.model_name, e]));
    expect(byName.unreachable).toMatchObject({ model: 'openai/gpt-4o', api_base: 'http://127.0.0.1:1/v1', error: expect.stringMatching(/Could not reach/) });
    expect(byName.refused).toMatchObject({ model: 'anthropic/claude-error-401', api_base: running.mock.url, error: expect.any(String) });
    expect(report.healthy_endpoints.find((e) => e.model_name === 'gpt-4o')).toMatchObject({ model: 'openai/gpt-4o', api_base: `${running.mock.url}/v1` });
  });

  it('probes cheaply: GET /models for OpenAI, max_tokens 1 otherwise, health_check_model for the wildcard; an opted-out deployment is skipped', async () => {
    const report = (await api.get<Report>('/health')).json;
    expect(report.skipped_endpoints.map((e) => e.model_name)).toEqual(['quiet']);
    const openaiProbes = mock.requests.filter((r) => r.protocol === 'openai');
    expect(openaiProbes.length).toBeGreaterThan(0);
    expect(openaiProbes.every((r) => r.method === 'GET' && r.path === '/v1/models')).toBe(true);
    const anthropicProbes = mock.requests.filter((r) => r.protocol === 'anthropic');
    expect(anthropicProbes.every((r) => (r.body as { max_tokens?: number }).max_tokens === 1)).toBe(true);
    expect(anthropicProbes.map((r) => r.model).sort()).toEqual(['claude-3-haiku-20240307', 'claude-3-haiku-20240307', 'claude-error-401']);
  });

  it('the admin endpoint shows success rate, latency and the last error after traffic', async () => {
    expect((await api.get('/health')).status).toBe(200);
    for (let i = 0; i < 5; i++) expect((await chat(running.gw.url, 'sk-1234', { model: 'gpt-4o', messages: hi })).status).toBe(200);
    for (let i = 0; i < 2; i++) expect((await chat(running.gw.url, 'sk-1234', { model: 'flaky', messages: hi })).status).toBe(502);
    expect((await chat(running.gw.url, 'sk-1234', { model: 'refused', messages: hi })).status).toBe(401);
    const answer = await api.get<DeploymentHealthAnswer>('/admin/deployments/health');
    expect(answer.status).toBe(200);
    expectNoSecret(answer.text);
    const byId = Object.fromEntries(answer.json.deployments.map((d) => [d.id, d]));
    expect(byId['gpt-4o']).toMatchObject({ state: 'healthy', success_rate: 1, requests: 5, errors: 0, last_error: null, in_flight: 0 });
    expect(byId['gpt-4o']!.latency_p50_ms).toEqual(expect.any(Number));
    expect(byId['gpt-4o']!.latency_p95_ms!).toBeGreaterThanOrEqual(byId['gpt-4o']!.latency_p50_ms!);
    expect(byId.flaky).toMatchObject({ state: 'failing', success_rate: 0, requests: 2, errors: 2, latency_p50_ms: null });
    // The upstream's 500 reaches the client as a 502, and is recorded as the error the client saw.
    expect(byId.flaky!.last_error).toMatchObject({ status: 502, message: expect.any(String) });
    expect(byId.refused!.last_error).toMatchObject({ status: 401 });
    // The /health above gave the last checks.
    expect(byId.unreachable).toMatchObject({
      state: 'failing',
      requests: 0,
      last_check: { status: 'unhealthy', error: expect.stringMatching(/Could not reach/) },
    });
    expect(byId.quiet).toMatchObject({ state: 'unknown', last_check: { status: 'skipped' } });
  });

  it('the admin endpoint takes the master key only', async () => {
    expect((await fetch(`${running.gw.url}/admin/deployments/health`)).status).toBe(401);
    const { key } = await api.generateKey({});
    expect((await fetch(`${running.gw.url}/admin/deployments/health`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(403);
  });
});

describe('background health checks', () => {
  let running: GatewayOnMocks;
  beforeAll(async () => {
    running = await startGatewayOnMocks((url) => config(url, '  background_health_checks: true\n  health_check_interval: 300'), ENV);
  });
  afterAll(() => running.close());

  it('run at start; /health then answers from their results without calling the upstreams', async () => {
    const api = admin(running.gw.url);
    const lastRun = async () =>
      (await api.get<{ background_health_checks: { last_run_at: string | null } }>('/admin/deployments/health')).json.background_health_checks.last_run_at;
    await expect.poll(lastRun, { timeout: 5000 }).not.toBeNull();
    running.mock.reset();
    const answer = await api.get<Report>('/health');
    expectNoSecret(answer.text);
    expect(answer.json).toMatchObject({ healthy_count: 4, unhealthy_count: 2 });
    expect(answer.json.skipped_endpoints.map((e) => e.model_name)).toEqual(['quiet']);
    expect(running.mock.requests).toHaveLength(0);
  });
});
