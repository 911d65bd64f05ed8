/**
 * Seed 003 (LLProxy): its config.json `routes` through a real gateway — `/openai/v1/...` forwarded to the route's
 * `forward` (the OpenAI mock) with the openai SDK, streams with usage, the per-model rpm queue, a spend row per
 * call — and LiteLLM's general_settings.pass_through_endpoints from YAML on the same mechanism.
 */
import { request as httpRequest } from 'node:http';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseConfig } from '../server/config/index.ts';
import type { SpendRow } from '../server/spend/spend-log.ts';
import { startGatewayOnMocks, type GatewayOnMocks, type TestGateway } from './support/gateway.ts';
import { expectValid } from './support/openapi.ts';

function spendRows(gw: TestGateway): SpendRow[] {
  const { journal, spendLog } = gw.gateway.runtime.services;
  journal.flush();
  return spendLog.query({}, { page: 1, pageSize: 100 }).rows;
}

const llproxyConfig = (mockUrl: string) =>
  JSON.stringify({
    port: 8080,
    routes: {
      '/openai': {
        forward: mockUrl,
        provider: 'openai',
        models: {
          'gpt-4': { rpm: 200, tpm: 40000, maxQueueSize: 100, maxQueueWait: 30 },
          'gpt-3.5-turbo': { rpm: 1, maxQueueSize: 1, maxQueueWait: 1.5 },
        },
      },
      '/sub': { forward: `${mockUrl}/v1` },
      '/down': { forward: 'http://127.0.0.1:1' },
    },
  });

describe('LLProxy config.json routes', () => {
  let running: GatewayOnMocks;
  let client: OpenAI;
  beforeAll(async () => {
    running = await startGatewayOnMocks(llproxyConfig);
    client = new OpenAI({ apiKey: 'sk-upstream-key', baseURL: `${running.gw.url}/openai/v1`, maxRetries: 0, timeout: 15_000 });
  });
  afterAll(() => running?.close());

  it('forwards /openai/v1/chat/completions to `forward` with the client key, and meters it under the route provider', async () => {
    const before = spendRows(running.gw).length;
    const completion = await client.chat.completions.create({ model: 'gpt-4', messages: [{ role: 'user', content: 'hello route' }] });
    expectValid('CreateChatCompletionResponse', completion);
    const seen = running.mock.requests.at(-1);
    expect(seen?.path).toBe('/v1/chat/completions');
    expect(seen?.headers.authorization).toBe('Bearer sk-upstream-key');
    const rows = spendRows(running.gw);
    expect(rows).toHaveLength(before + 1);
    const row = rows.find((r) => r.model === 'gpt-4' && r.stream === false);
    expect(row?.provider).toBe('openai');
    expect(row?.usageSource).toBe('provider');
    expect(row?.promptTokens).toBe(completion.usage?.prompt_tokens);
    expect(row?.completionTokens).toBe(completion.usage?.completion_tokens);
    expect(row?.costNanos).toBeGreaterThan(0);
    const metrics = await running.gw.gateway.runtime.metrics.text();
    expect(metrics).toMatch(/llm_gateway_requests_total\{[^}]*model_group="gpt-4"[^}]*status="200"[^}]*\} [1-9]/);
  });

  it('relays a stream chunk by chunk and meters the usage chunk', async () => {
    const stream = await client.chat.completions.create({
      model: 'gpt-4',
      messages: [{ role: 'user', content: 'stream please' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let usage: OpenAI.CompletionUsage | undefined;
    let chunks = 0;
    for await (const chunk of stream) {
      chunks++;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(chunks).toBeGreaterThan(1);
    expect(usage?.total_tokens).toBeGreaterThan(0);
    const row = spendRows(running.gw).find((r) => r.stream && r.model === 'gpt-4');
    expect(row?.usageSource).toBe('provider');
    expect(row?.totalTokens).toBe(usage?.total_tokens);
    expect(row?.status).toBe('success');
  });

  it('passes other paths under the prefix through unmetered (GET /openai/v1/models)', async () => {
    const res = await fetch(`${running.gw.url}/openai/v1/models`, { headers: { authorization: 'Bearer sk-upstream-key' } });
    expect(res.status).toBe(200);
    expect(running.mock.requests.at(-1)?.path).toBe('/v1/models');
  });

  it('relays a stream as it comes: the first chunk arrives before the upstream is done, and leaving cancels the upstream', async () => {
    const controller = new AbortController();
    const stream = await client.chat.completions.create(
      { model: 'gpt-4-chunk-gap-400', messages: [{ role: 'user', content: 'one two three four five six' }], stream: true },
      { signal: controller.signal },
    );
    for await (const chunk of stream) {
      expect(chunk.object).toBe('chat.completion.chunk');
      break; // leaves after the first chunk, which came while the mock was still streaming
    }
    controller.abort();
    const seen = await running.mock.waitFor((r) => r.model === 'gpt-4-chunk-gap-400' && r.aborted);
    expect(seen.aborted).toBe(true);
    await vi.waitFor(() => {
      expect(spendRows(running.gw).find((r) => r.model === 'gpt-4-chunk-gap-400')?.httpStatus).toBe(499);
    });
  });

  it("passes the upstream's error through (status, Retry-After, body) and records a failed row", async () => {
    const res = await fetch(`${running.gw.url}/openai/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer sk-upstream-key' },
      body: JSON.stringify({ model: 'gpt-4-error-429', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('rate_limit_exceeded');
    const row = spendRows(running.gw).find((r) => r.model === 'gpt-4-error-429');
    expect(row).toMatchObject({ status: 'failure', httpStatus: 429, errorType: 'upstream_429' });
  });

  it('answers 502 when the forward address cannot be reached', async () => {
    const res = await fetch(`${running.gw.url}/down/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(res.status).toBe(502);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('upstream_unreachable');
  });

  it('streams a body that is not JSON to the upstream as it is, unmetered', async () => {
    const rowsBefore = spendRows(running.gw).length;
    const res = await fetch(`${running.gw.url}/openai/v1/files?purpose=batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson', authorization: 'Bearer sk-upstream-key' },
      body: '{"a":1}\n{"b":2}\n',
    });
    await res.arrayBuffer();
    const seen = running.mock.requests.at(-1);
    expect(seen?.path).toBe('/v1/files');
    expect(seen?.query).toEqual({ purpose: 'batch' });
    expect(seen?.body).toBe('{"a":1}\n{"b":2}\n');
    expect(spendRows(running.gw)).toHaveLength(rowsBefore);
  });

  it('keeps the security checks: a foreign Host and a cross-site browser request never reach the upstream', async () => {
    const before = running.mock.requests.length;
    const url = new URL(running.gw.url);
    const status = (headers: Record<string, string>) =>
      new Promise<number>((resolve, reject) => {
        const req = httpRequest({ host: url.hostname, port: url.port, path: '/openai/v1/models', method: 'GET', headers }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });
    expect(await status({ host: 'attacker.example' })).toBe(403);
    expect(await status({ origin: 'https://attacker.example', 'sec-fetch-site': 'cross-site' })).toBe(403);
    expect(running.mock.requests).toHaveLength(before);
  });

  it('refuses a path whose dot segments climb above the forward path', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const url = new URL(running.gw.url);
      const req = httpRequest({ host: url.hostname, port: url.port, path: '/sub/%2e%2e/admin/secrets', method: 'GET' }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(400);
    expect(running.mock.requests.some((r) => r.path.includes('admin'))).toBe(false);
  });

  it('queues a call over rpm (maxQueueSize 1): the second waits, the third is refused 429 with Retry-After', async () => {
    const send = async () => {
      const started = Date.now();
      const res = await fetch(`${running.gw.url}/openai/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer sk-upstream-key' },
        body: JSON.stringify({ model: 'gpt-3.5-turbo', messages: [{ role: 'user', content: 'hi' }] }),
      });
      const body = (await res.json()) as { error?: { code?: string } };
      return { status: res.status, code: body.error?.code, retryAfter: res.headers.get('retry-after'), ms: Date.now() - started };
    };
    const sentBefore = running.mock.requests.filter((r) => r.model === 'gpt-3.5-turbo').length;
    const first = await send();
    expect(first.status).toBe(200);
    const second = send();
    // The second call is in the model's queue (the lane's own count), then the third finds the queue full.
    await vi.waitFor(() => {
      const lane = running.gw.gateway.runtime.limits.snapshot().find((l) => l.deployment === 'pass-through/openai:gpt-3.5-turbo');
      expect(lane?.queueDepth).toBe(1);
    });
    const third = await send();
    expect(third.status).toBe(429);
    expect(third.code).toBe('deployment_queue_full');
    expect(Number(third.retryAfter)).toBeGreaterThanOrEqual(1);
    // rpm 1 refills in a minute, past maxQueueWait (1.5 s): the waiting call gives up after its wait.
    const waited = await second;
    expect(waited.status).toBe(429);
    expect(waited.code).toBe('deployment_queue_timeout');
    expect(waited.ms).toBeGreaterThanOrEqual(1000);
    expect(running.mock.requests.filter((r) => r.model === 'gpt-3.5-turbo')).toHaveLength(sentBefore + 1);
    const rows = spendRows(running.gw).filter((r) => r.model === 'gpt-3.5-turbo');
    expect(rows.map((r) => r.httpStatus).sort()).toEqual([200, 429, 429]);
  });
});

describe('hot reload', () => {
  let running: GatewayOnMocks;
  beforeAll(async () => {
    running = await startGatewayOnMocks(llproxyConfig);
  });
  afterAll(() => running?.close());

  it('a reloaded config.json brings its routes into service and takes the old ones out', async () => {
    const call = (prefix: string) =>
      fetch(`${running.gw.url}${prefix}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer sk-upstream-key' },
        body: JSON.stringify({ model: 'gpt-4', messages: [{ role: 'user', content: 'hi' }] }),
      });
    expect((await call('/openai')).status).toBe(200);
    const next = parseConfig(JSON.stringify({ routes: { '/llm': { forward: running.mock.url } } }), 'config.json');
    running.gw.gateway.reload(next.resolved, next.env);
    expect((await call('/llm')).status).toBe(200);
    expect(running.mock.requests.at(-1)?.path).toBe('/v1/chat/completions');
    expect((await call('/openai')).status).toBe(404);
  });
});

describe('general_settings.pass_through_endpoints (LiteLLM, YAML)', () => {
  let running: GatewayOnMocks;
  beforeAll(async () => {
    running = await startGatewayOnMocks(
      (mockUrl) => `
general_settings:
  master_key: sk-gateway-master
  pass_through_endpoints:
    - path: /mock-openai
      target: ${mockUrl}/v1
      include_subpath: true
      headers:
        Authorization: "Bearer os.environ/UPSTREAM_KEY"
    - path: /only-chat
      target: ${mockUrl}/v1/chat/completions
      headers: { Authorization: Bearer sk-only-chat }
`,
      { UPSTREAM_KEY: 'sk-from-env' },
    );
  });
  afterAll(() => running?.close());

  it('needs a gateway key when a master key is set, and never sends it upstream', async () => {
    const body = JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] });
    const url = `${running.gw.url}/mock-openai/chat/completions`;
    const refused = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(refused.status).toBe(401);
    const sdk = new OpenAI({ apiKey: 'sk-gateway-master', baseURL: `${running.gw.url}/mock-openai`, maxRetries: 0, timeout: 15_000 });
    const completion = await sdk.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] });
    expectValid('CreateChatCompletionResponse', completion);
    const seen = running.mock.requests.at(-1);
    expect(seen?.headers.authorization).toBe('Bearer sk-from-env');
    expect(JSON.stringify(seen?.headers)).not.toContain('sk-gateway-master');
    expect(spendRows(running.gw).some((r) => r.model === 'gpt-4o' && r.status === 'success')).toBe(true);
  });

  it('holds a virtual key to its models: a JSON body naming one of them passes, other models and model-less calls are 403', async () => {
    const generated = await fetch(`${running.gw.url}/key/generate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer sk-gateway-master' },
      body: JSON.stringify({ models: ['gpt-4o'] }),
    });
    const { key } = (await generated.json()) as { key: string };
    const sdk = new OpenAI({ apiKey: key, baseURL: `${running.gw.url}/mock-openai`, maxRetries: 0, timeout: 15_000 });
    await sdk.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] });
    expect(running.mock.requests.at(-1)?.headers.authorization).toBe('Bearer sk-from-env');
    const other = await sdk.chat.completions.create({ model: 'gpt-4', messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
    expect(other).toBeInstanceOf(OpenAI.PermissionDeniedError);
    const list = await fetch(`${running.gw.url}/mock-openai/models`, { headers: { authorization: `Bearer ${key}` } });
    expect(list.status).toBe(403);
    expect(spendRows(running.gw).some((r) => r.model === 'gpt-4o' && r.keyId !== null)).toBe(true);
  });

  it('serves an endpoint without include_subpath at its exact path only', async () => {
    const headers = { 'content-type': 'application/json', authorization: 'Bearer sk-gateway-master' };
    const body = JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] });
    const exact = await fetch(`${running.gw.url}/only-chat`, { method: 'POST', headers, body });
    expect(exact.status).toBe(200);
    expect(running.mock.requests.at(-1)?.path).toBe('/v1/chat/completions');
    expect(running.mock.requests.at(-1)?.headers.authorization).toBe('Bearer sk-only-chat');
    const under = await fetch(`${running.gw.url}/only-chat/more`, { method: 'POST', headers, body });
    expect(under.status).toBe(404);
  });
});

describe('config errors', () => {
  it('names each bad path of an LLProxy config.json', () => {
    const text = JSON.stringify({ routes: { '/openai': { forward: 'api.openai.com', models: { 'gpt-4': { rpm: 'many', burst: 3 } } } } });
    expect(() => parseConfig(text, 'config.json')).toThrow(
      /routes\.\/openai\.forward: must be the upstream's base URL.*\n.*routes\.\/openai\.models\.gpt-4\.rpm: .*\n.*routes\.\/openai\.models\.gpt-4\.burst: is not a model limit/,
    );
  });

  it('refuses a file that mixes LLProxy routes and LiteLLM keys', () => {
    const text = JSON.stringify({ routes: { '/openai': { forward: 'https://api.openai.com' } }, model_list: [] });
    expect(() => parseConfig(text, 'config.json')).toThrow(/model_list: is a LiteLLM config key, but this file is in LLProxy format/);
  });
});
