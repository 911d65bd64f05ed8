/**
 * Provider secrets end to end: config.yaml's `keychain/NAME` references resolve from the gateway's SecretStore
 * (a MemorySecretStore standing in for the OS keychain), the upstream receives the value, /admin/secrets shows
 * it masked, a changed secret reaches the next call; and the value never leaks — not in /health, the admin API,
 * error bodies or the log ring, and a malformed request body is never quoted back.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MemorySecretStore } from '../server/secrets/index.ts';
import type { MockProviders } from './mock-providers/index.ts';
import { admin, chat, expectOpenAIError, request, type Admin, type HttpAnswer } from './support/admin.ts';
import { startGatewayOnMocks, type GatewayOnMocks, type TestGateway } from './support/gateway.ts';

const OPENAI_SECRET = 'sk-proj-Zq8vN3kR7tLw2XyB5mHc9JdFgT4pQs6uA1eVoKi0';
const ROTATED_OPENAI_SECRET = 'sk-proj-NEWvalue77yy88zz99aa00bb11cc22dd33ee44';
const ANTHROPIC_SECRET = 'sk-ant-api03-Hh4Jj5Kk6Ll7Mm8Nn9Oo0Pp1Qq2Rr3Ss4Tt';
/** A secret a client pastes into a broken request body. */
const PASTED_SECRET = 'sk-proj-PastedIntoBrokenJson0123456789abcdef';
const ALL_SECRETS = [OPENAI_SECRET, ROTATED_OPENAI_SECRET, ANTHROPIC_SECRET, PASTED_SECRET];

let running: GatewayOnMocks | undefined;
let mock: MockProviders;
let gw: TestGateway;
let api: Admin;
const secrets = new MemorySecretStore({ OPENAI_KEY: OPENAI_SECRET, ANTHROPIC_KEY: ANTHROPIC_SECRET });

const config = (mockUrl: string) => `
model_list:
  - model_name: gpt-4o
    litellm_params: { model: openai/gpt-4o, api_base: "${mockUrl}/v1", api_key: keychain/OPENAI_KEY }
  - model_name: claude
    litellm_params: { model: anthropic/claude-3-haiku-20240307, api_base: "${mockUrl}", api_key: keychain/ANTHROPIC_KEY }
  - model_name: upstream-refuses
    litellm_params: { model: openai/gpt-4o-error-401, api_base: "${mockUrl}/v1", api_key: keychain/OPENAI_KEY }
  - model_name: unreachable
    litellm_params: { model: openai/gpt-4o, api_base: "http://127.0.0.1:1/v1", api_key: keychain/OPENAI_KEY, timeout: 2 }
general_settings:
  master_key: sk-1234
`;

beforeAll(async () => {
  // Trace level: the gateway logs each upstream call as a curl command (--detailed_debug), the likeliest leak.
  running = await startGatewayOnMocks(config, {}, { dataDir: true, secrets, logLevel: 'trace' });
  ({ mock, gw } = running);
  api = admin(gw.url);
});
afterAll(() => running?.close());
beforeEach(() => mock.reset());

/** Every answer a test sees goes through here: no secret in its body or headers. */
function remember(what: string, answer: HttpAnswer): HttpAnswer {
  expectNoSecret(what, answer.text);
  expectNoSecret(`${what} (headers)`, JSON.stringify([...answer.headers]));
  return answer;
}

function expectNoSecret(what: string, text: string): void {
  for (const secret of ALL_SECRETS) {
    expect(text, `${what} leaks a secret`).not.toContain(secret);
    // Nor a long enough piece of one to matter (masks show 3 + 4 characters).
    expect(text, `${what} leaks part of a secret`).not.toContain(secret.slice(8, 24));
  }
}

const hi = [{ role: 'user', content: 'hi there' }];

describe('keychain/NAME references', () => {
  it('the upstream receives the secret from the store', async () => {
    expect(remember('chat gpt-4o', await chat(gw.url, 'sk-1234', { model: 'gpt-4o', messages: hi })).status).toBe(200);
    expect(remember('chat claude', await chat(gw.url, 'sk-1234', { model: 'claude', messages: hi })).status).toBe(200);
    expect(mock.requests.map((r) => [r.protocol, r.headers.authorization ?? r.headers['x-api-key']])).toEqual([
      ['openai', `Bearer ${OPENAI_SECRET}`],
      ['anthropic', ANTHROPIC_SECRET],
    ]);
  });

  it('GET /admin/secrets lists names with masked values only', async () => {
    const listed = remember('/admin/secrets', await api.get('/admin/secrets'));
    expect(listed.status).toBe(200);
    expect(listed.json).toEqual({
      backend: 'memory',
      weaker_protection: false,
      secrets: [
        { name: 'ANTHROPIC_KEY', masked: `sk-…${ANTHROPIC_SECRET.slice(-4)}` },
        { name: 'OPENAI_KEY', masked: `sk-…${OPENAI_SECRET.slice(-4)}` },
      ],
    });
  });

  it('a secret changed through the admin API reaches the next call (the config re-resolves)', async () => {
    const put = remember('PUT /admin/secrets', await request(gw.url, 'PUT', '/admin/secrets/OPENAI_KEY', 'sk-1234', { value: ROTATED_OPENAI_SECRET }));
    expect(put.status).toBe(200);
    expect(put.json).toEqual({ name: 'OPENAI_KEY', masked: `sk-…${ROTATED_OPENAI_SECRET.slice(-4)}` });
    expect(remember('chat after rotation', await chat(gw.url, 'sk-1234', { model: 'gpt-4o', messages: hi })).status).toBe(200);
    expect(mock.requests.at(-1)?.headers.authorization).toBe(`Bearer ${ROTATED_OPENAI_SECRET}`);
    // A virtual key cannot read or change secrets.
    const { key } = await api.generateKey({});
    expectOpenAIError(remember('virtual GET', await request(gw.url, 'GET', '/admin/secrets', key)), 403, 'admin_only');
    expectOpenAIError(
      remember('virtual PUT', await request(gw.url, 'PUT', '/admin/secrets/OPENAI_KEY', key, { value: 'sk-evil-0000000000' })),
      403,
      'admin_only',
    );
    expect(secrets.get('OPENAI_KEY')).toBe(ROTATED_OPENAI_SECRET);
  });
});

describe('the secret never leaks', () => {
  it('not in /health, /v1/models or the admin API', async () => {
    await chat(gw.url, 'sk-1234', { model: 'gpt-4o', messages: hi });
    const health = remember('/health', await api.get('/health'));
    expect(health.status).toBe(200);
    const report = health.json as { healthy_endpoints: { model_name: string }[]; unhealthy_endpoints: { model_name: string; error?: string }[] };
    expect(report.healthy_endpoints.map((e) => e.model_name).sort()).toEqual(['claude', 'gpt-4o', 'upstream-refuses']);
    expect(report.unhealthy_endpoints.map((e) => e.model_name)).toEqual(['unreachable']);
    for (const path of [
      '/health/readiness',
      '/health/liveliness',
      '/v1/models',
      '/key/list?return_full_object=true',
      '/spend/logs',
      '/admin/usage/summary',
      '/admin/usage/daily?group_by=model',
      '/admin/secrets',
    ]) {
      const answer = remember(path, await api.get(path));
      expect(answer.status, path).toBe(200);
    }
  });

  it('not in error bodies: upstream refusals, unreachable upstreams, wrong keys', async () => {
    const refused = remember('upstream 401', await chat(gw.url, 'sk-1234', { model: 'upstream-refuses', messages: hi }));
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(mock.requests.at(-1)?.headers.authorization).toBe(`Bearer ${secrets.get('OPENAI_KEY')}`);
    const unreachable = remember('unreachable', await chat(gw.url, 'sk-1234', { model: 'unreachable', messages: hi }));
    expectOpenAIError(unreachable, 502);
    const streamed = remember('unreachable stream', await chat(gw.url, 'sk-1234', { model: 'unreachable', stream: true, messages: hi }));
    expect(streamed.status).toBe(502);
    // A secret presented as the gateway key is refused without being repeated.
    expectOpenAIError(remember('secret as key', await chat(gw.url, OPENAI_SECRET, { model: 'gpt-4o', messages: hi })), 401, 'invalid_api_key');
    expectOpenAIError(remember('secret as key info', await request(gw.url, 'GET', `/key/info?key=${PASTED_SECRET}`, 'sk-1234')), 404);
  });

  it('a request body that is not JSON is never quoted back, on any route', async () => {
    const broken = [
      `{"model": "gpt-4o", "api_key": ${PASTED_SECRET}, "messages": []}`,
      `{"model": "gpt-4o", "messages": [{"role": "user", "content": "${PASTED_SECRET}`,
      `{"model": "gpt-4o" "api_key": "${PASTED_SECRET}"}`,
      `${PASTED_SECRET}`,
    ];
    const routes: [string, string][] = [
      ['POST', '/v1/chat/completions'],
      ['POST', '/chat/completions'],
      ['POST', '/v1/completions'],
      ['POST', '/v1/embeddings'],
      ['POST', '/v1/messages'],
      ['POST', '/key/generate'],
      ['POST', '/key/update'],
      ['PUT', '/admin/secrets/OPENAI_KEY'],
    ];
    for (const [method, path] of routes) {
      for (const body of broken) {
        const answer = remember(`${method} ${path}`, await request(gw.url, method, path, 'sk-1234', body));
        expect(answer.status, `${method} ${path} ${answer.text}`).toBe(400);
        expect(answer.text).not.toContain('sk-proj');
      }
    }
    expect(secrets.get('OPENAI_KEY')).not.toContain('sk-proj-Pasted');
  });

  it('not in the log ring, after everything above (run alone: after a call and a failure of its own)', async () => {
    remember('chat', await chat(gw.url, 'sk-1234', { model: 'gpt-4o', messages: hi }));
    remember('unreachable', await chat(gw.url, 'sk-1234', { model: 'unreachable', messages: hi }));
    remember('broken JSON', await request(gw.url, 'POST', '/v1/chat/completions', 'sk-1234', `{"api_key": ${PASTED_SECRET}`));
    const lines = gw.ring.tail();
    // The ring did record the upstream calls (as masked curl commands), so its silence about secrets means something.
    const current = secrets.get('OPENAI_KEY')!;
    expect(lines.some((line) => line.includes('curl -X POST') && line.includes(`sk-…${current.slice(-4)}`))).toBe(true);
    expectNoSecret('the log ring', lines.join('\n'));
  });
});
