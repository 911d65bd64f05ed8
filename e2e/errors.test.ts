/**
 * Every error a client can meet, through real HTTP: always OpenAI's JSON error shape with the status
 * the `openai` SDK maps to the right exception, never an HTML page.
 */
import { request as httpRequest } from 'node:http';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTEXT_LENGTH_PREFIX } from '../server/core/errors.ts';
import { RETRY_AFTER_SECONDS, type MockProviders } from './mock-providers/index.ts';
import { startGatewayOnMocks, type GatewayOnMocks, type TestGateway } from './support/gateway.ts';
import { expectValid } from './support/openapi.ts';

let mock: MockProviders;
let gw: TestGateway;
let running: GatewayOnMocks | undefined;
let client: OpenAI;

const config = (mockUrl: string) => `
model_list:
  - model_name: ok
    litellm_params: { model: openai/gpt-4o, api_base: "${mockUrl}/v1", api_key: sk-up }
  - model_name: rate-limited
    litellm_params: { model: openai/gpt-error-429, api_base: "${mockUrl}/v1", api_key: sk-up }
  - model_name: broken-upstream
    litellm_params: { model: openai/gpt-error-500, api_base: "${mockUrl}/v1", api_key: sk-up }
  - model_name: overflow-openai
    litellm_params: { model: openai/gpt-context-overflow, api_base: "${mockUrl}/v1", api_key: sk-up }
  - model_name: overflow-anthropic
    litellm_params: { model: anthropic/claude-context-overflow, api_base: "${mockUrl}", api_key: sk-ant }
  - model_name: unreachable
    litellm_params: { model: openai/gpt-4o, api_base: "http://127.0.0.1:1/v1", api_key: sk-up }
  - model_name: hanging
    litellm_params: { model: openai/gpt-hang, api_base: "${mockUrl}/v1", api_key: sk-up, timeout: 0.5 }
  - model_name: stream-break
    litellm_params: { model: openai/gpt-stream-break, api_base: "${mockUrl}/v1", api_key: sk-up }
  - model_name: stream-break-anthropic
    litellm_params: { model: anthropic/claude-stream-break, api_base: "${mockUrl}", api_key: sk-ant }
  - model_name: slow-stream
    litellm_params: { model: openai/gpt-chunk-gap-200, api_base: "${mockUrl}/v1", api_key: sk-up }
  - model_name: not-json
    litellm_params: { model: openai/gpt-not-json, api_base: "${mockUrl}/v1", api_key: sk-up }
  - model_name: no-embeddings
    litellm_params: { model: anthropic/claude-3-haiku-20240307, api_base: "${mockUrl}", api_key: sk-ant }
  - model_name: drops-params
    litellm_params: { model: anthropic/claude-3-haiku-20240307, api_base: "${mockUrl}", api_key: sk-ant, drop_params: true }
general_settings:
  master_key: sk-master
  max_request_size_mb: 0.01
`;

beforeAll(async () => {
  running = await startGatewayOnMocks(config);
  ({ mock, gw } = running);
  client = gw.client('sk-master');
});
afterAll(() => running?.close());

const hi = [{ role: 'user' as const, content: 'hi' }];

async function post(path: string, body: string, headers: Record<string, string> = { authorization: 'Bearer sk-master', 'content-type': 'application/json' }) {
  const res = await fetch(gw.url + path, { method: 'POST', headers, body });
  const text = await res.text();
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  const json = JSON.parse(text) as { error: { message: string; type: string; param: string | null; code: string | null } };
  expectValid('ErrorResponse', json);
  return { status: res.status, headers: res.headers, error: json.error };
}

async function failure(promise: Promise<unknown>): Promise<InstanceType<typeof OpenAI.APIError>> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(OpenAI.APIError);
  return err as InstanceType<typeof OpenAI.APIError>;
}

describe('client mistakes → 4xx', () => {
  it('400 for a body that is not JSON', async () => {
    const { status, error } = await post('/v1/chat/completions', '{"model": "ok", "messages": [');
    expect(status).toBe(400);
    expect(error.code).toBe('invalid_json');
  });

  it('400 naming the parameter that is wrong', async () => {
    const err = await failure(client.chat.completions.create({ model: 'ok', messages: hi, temperature: 7 }));
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect(err.param).toBe('temperature');
    const missing = await post('/v1/chat/completions', JSON.stringify({ model: 'ok' }));
    expect(missing.error.param).toBe('messages');
  });

  it('401 without a key and with a wrong key; every key header is accepted', async () => {
    expect(await failure(gw.client('sk-wrong').chat.completions.create({ model: 'ok', messages: hi }))).toBeInstanceOf(OpenAI.AuthenticationError);
    const none = await post('/v1/chat/completions', JSON.stringify({ model: 'ok', messages: hi }), { 'content-type': 'application/json' });
    expect(none.status).toBe(401);
    expect(none.error.code).toBe('missing_api_key');
    for (const header of ['x-api-key', 'api-key']) {
      const res = await fetch(`${gw.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { [header]: 'sk-master', 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'ok', messages: hi }),
      });
      expect(res.status).toBe(200);
    }
  });

  it('404 for an unknown model and an unknown path', async () => {
    const err = await failure(client.chat.completions.create({ model: 'no-such-model', messages: hi }));
    expect(err).toBeInstanceOf(OpenAI.NotFoundError);
    expect(err.code).toBe('model_not_found');
    const path = await post('/v1/nothing-here', '{}');
    expect(path.status).toBe(404);
  });

  it('405 for a known path with the wrong method', async () => {
    const res = await fetch(`${gw.url}/v1/embeddings`, { headers: { authorization: 'Bearer sk-master' } });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
    expectValid('ErrorResponse', await res.json());
  });

  it('413 for a body over general_settings.max_request_size_mb', async () => {
    const big = JSON.stringify({ model: 'ok', messages: [{ role: 'user', content: 'x'.repeat(20_000) }] });
    const { status, error } = await post('/v1/chat/completions', big);
    expect(status).toBe(413);
    expect(error.message).toMatch(/max_request_size_mb/);
  });

  it('400 for an endpoint the provider does not offer', async () => {
    const err = await failure(client.embeddings.create({ model: 'no-embeddings', input: 'x' }));
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
  });

  it('400 for a parameter the provider cannot take, unless drop_params', async () => {
    const err = await failure(client.chat.completions.create({ model: 'no-embeddings', messages: hi, presence_penalty: 0.5 }));
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect(err.param).toBe('presence_penalty');
    expect(err.message).toContain('drop_params');
    const dropped = await client.chat.completions.create({ model: 'drops-params', messages: hi, presence_penalty: 0.5 });
    expect(dropped.choices[0]?.message.content).toBe('echo: hi');
    expect(mock.requests.at(-1)?.body).not.toHaveProperty('presence_penalty');
  });

  it('403 for a Host header that is not the bound name (DNS rebinding)', async () => {
    const { port } = new URL(gw.url);
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        { host: '127.0.0.1', port, path: '/v1/models', headers: { host: 'attacker.example:4000', authorization: 'Bearer sk-master' } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(403);
  });
});

describe('upstream failures', () => {
  it('429 passes through with Retry-After', async () => {
    const { status, headers, error } = await post('/v1/chat/completions', JSON.stringify({ model: 'rate-limited', messages: hi }));
    expect(status).toBe(429);
    expect(headers.get('retry-after')).toBe(String(RETRY_AFTER_SECONDS));
    expect(error.message).toMatch(/^openai: /);
    expect(await failure(client.chat.completions.create({ model: 'rate-limited', messages: hi }))).toBeInstanceOf(OpenAI.RateLimitError);
  });

  it('context overflow → 400 context_length_exceeded, for OpenAI and Anthropic upstreams', async () => {
    for (const model of ['overflow-openai', 'overflow-anthropic']) {
      const err = await failure(client.chat.completions.create({ model, messages: hi }));
      expect(err).toBeInstanceOf(OpenAI.BadRequestError);
      expect(err.code).toBe('context_length_exceeded');
      expect(err.message.startsWith(`400 ${CONTEXT_LENGTH_PREFIX}`)).toBe(true);
    }
  });

  it('unreachable upstream → 502', async () => {
    const { status, error } = await post('/v1/chat/completions', JSON.stringify({ model: 'unreachable', messages: hi }));
    expect(status).toBe(502);
    expect(error.code).toBe('upstream_unreachable');
  });

  it('upstream 500 → 502, and a non-JSON answer → 502', async () => {
    expect((await post('/v1/chat/completions', JSON.stringify({ model: 'broken-upstream', messages: hi }))).status).toBe(502);
    const notJson = await post('/v1/chat/completions', JSON.stringify({ model: 'not-json', messages: hi }));
    expect(notJson.status).toBe(502);
    expect(notJson.error.code).toBe('upstream_invalid_response');
  });

  it('timeout → 504 after the deployment timeout, and the upstream call is aborted', async () => {
    mock.reset();
    const { status, error } = await post('/v1/chat/completions', JSON.stringify({ model: 'hanging', messages: hi }));
    expect(status).toBe(504);
    expect(error.code).toBe('upstream_timeout');
    // The deployment's timeout (0.5 s) ended it, not request_timeout (600 s).
    expect(error.message).toMatch(/did not answer within 0\.5s/);
    const upstream = await mock.waitFor((r) => r.model === 'gpt-hang');
    await expect.poll(() => upstream.aborted).toBe(true);
  });

  it('a failure after the stream started → an in-band error event, then close', async () => {
    for (const model of ['stream-break', 'stream-break-anthropic']) {
      const res = await fetch(`${gw.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: 'Bearer sk-master', 'content-type': 'application/json' },
        body: JSON.stringify({ model, messages: hi, stream: true }),
      });
      expect(res.status).toBe(200);
      const events = (await res.text()).split('\n\n').filter(Boolean);
      const last = JSON.parse(events.at(-1)!.replace(/^data: /, '')) as { error: { message: string } };
      // The upstream hung up mid-stream: the client is told so, in the gateway's error shape.
      expect(last.error).toMatchObject({
        type: 'upstream_error',
        code: 'upstream_unreachable',
        message: expect.stringMatching(/^Could not reach the upstream http:\/\/127\.0\.0\.1:\d+ \(.+\)\.$/),
      });
      expect(events.some((e) => e.includes('[DONE]'))).toBe(false);
      const sdk = await client.chat.completions.create({ model, messages: hi, stream: true });
      await expect(async () => {
        for await (const _chunk of sdk) {
          // drain until the in-band error surfaces as an exception
        }
      }).rejects.toThrow();
    }
  });

  it('a client that goes away aborts the upstream request', async () => {
    mock.reset();
    const controller = new AbortController();
    const stream = await client.chat.completions.create(
      { model: 'slow-stream', messages: [{ role: 'user', content: 'a long answer please' }], stream: true },
      { signal: controller.signal },
    );
    for await (const _chunk of stream) {
      controller.abort();
      break;
    }
    const upstream = await mock.waitFor((r) => r.model === 'gpt-chunk-gap-200');
    await expect.poll(() => upstream.aborted, { timeout: 3000 }).toBe(true);
  });
});
