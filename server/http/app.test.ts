import { afterEach, describe, expect, it } from 'vitest';
import { emptyConfig, type GatewayConfig } from '../core/config-types.ts';
import { createGateway, type Gateway } from '../gateway.ts';
import { createLogger } from '../observe/logger.ts';

const MASTER_KEY = 'sk-master-0123456789';
const { logger } = createLogger({ level: 'silent', destination: null });

function config(edit: (c: GatewayConfig) => void = () => undefined): GatewayConfig {
  const c = emptyConfig();
  c.model_list.push(
    { model_name: 'echo', litellm_params: { model: 'mock/echo' }, model_info: { id: 'echo-id' } },
    { model_name: 'fixed', litellm_params: { model: 'mock/fixed', mock_response: 'Always this.' } },
  );
  edit(c);
  return c;
}

const gateways: Gateway[] = [];

async function gateway(edit?: (c: GatewayConfig) => void, options: { host?: string } = {}): Promise<Gateway> {
  const g = await createGateway({ config: config(edit), logger, env: {}, ...options });
  gateways.push(g);
  return g;
}

afterEach(async () => {
  await Promise.all(gateways.splice(0).map((g) => g.close()));
});

const chat = (body: unknown, headers: Record<string, string> = {}) => ({
  method: 'POST' as const,
  url: '/v1/chat/completions',
  headers: { 'content-type': 'application/json', ...headers },
  payload: typeof body === 'string' ? body : JSON.stringify(body),
});

const hello = { model: 'echo', messages: [{ role: 'user', content: 'hello' }] };

describe('chat completions', () => {
  it('answers 200 with the deployment id and a call id', async () => {
    const g = await gateway();
    const res = await g.app.inject(chat(hello));
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/json');
    expect(res.headers['x-litellm-model-id']).toBe('echo-id');
    expect(res.headers['x-litellm-call-id']).toMatch(/^[0-9a-f-]{36}$/);
    const body = res.json();
    expect(body.object).toBe('chat.completion');
    expect(body.choices[0].message.content).toBe('Echo: hello');
  });

  it('answers a request without a model with the first model', async () => {
    const g = await gateway();
    const res = await g.app.inject(chat({ messages: [{ role: 'user', content: 'hi' }] }));
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-litellm-model-id']).toBe('echo-id');
    expect(res.json().choices[0].message.content).toBe('Echo: hi');
  });

  it('routes by model name', async () => {
    const g = await gateway();
    expect((await g.app.inject(chat({ ...hello, model: 'fixed' }))).json().choices[0].message.content).toBe('Always this.');
  });

  it('answers per-request mock_response', async () => {
    const g = await gateway();
    expect((await g.app.inject(chat({ ...hello, mock_response: 'Mocked.' }))).json().choices[0].message.content).toBe('Mocked.');
  });

  it('answers an unknown model with 404 model_not_found', async () => {
    const g = await gateway();
    const res = await g.app.inject(chat({ ...hello, model: 'gpt-9' }));
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({
      error: { message: expect.stringContaining('Available models: echo, fixed'), type: 'not_found_error', param: 'model', code: 'model_not_found' },
    });
  });

  it('streams SSE ending in data: [DONE], without usage unless asked', async () => {
    const g = await gateway();
    const res = await g.app.inject(chat({ ...hello, stream: true }));
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/event-stream');
    expect(res.headers['x-litellm-model-id']).toBe('echo-id');
    expect(res.body.endsWith('data: [DONE]\n\n')).toBe(true);
    expect(res.body).not.toContain('"usage"');
    const frames = res.body
      .split('\n\n')
      .filter(Boolean)
      .slice(0, -1)
      .map((f) => JSON.parse(f.replace(/^data: /, '')));
    expect(frames.map((f) => f.choices[0].delta.content ?? '').join('')).toBe('Echo: hello');
  });

  it('streams the usage chunk when stream_options.include_usage is set', async () => {
    const g = await gateway();
    const res = await g.app.inject(chat({ ...hello, stream: true, stream_options: { include_usage: true } }));
    expect(res.body).toMatch(/"choices":\[\],"usage":\{"prompt_tokens":\d+/);
  });

  it('serves the same routes without /v1, and completions and embeddings', async () => {
    const g = await gateway();
    expect((await g.app.inject({ ...chat(hello), url: '/chat/completions' })).statusCode).toBe(200);
    const completion = await g.app.inject({ ...chat({ model: 'echo', prompt: 'hi' }), url: '/v1/completions' });
    expect(completion.json().choices[0].text).toBe('Echo: hi');
    const embedding = await g.app.inject({ ...chat({ model: 'echo', input: 'hi' }), url: '/embeddings' });
    expect(embedding.json().data[0].object).toBe('embedding');
  });

  it('ignores query strings', async () => {
    const g = await gateway();
    expect((await g.app.inject({ ...chat(hello), url: '/v1/chat/completions?foo=bar' })).statusCode).toBe(200);
  });
});

describe('request bodies', () => {
  it('answers invalid JSON with 400 invalid_json', async () => {
    const g = await gateway();
    const res = await g.app.inject(chat('{"model": "echo",'));
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_json' });
  });

  // Bodies without a JSON content type (a form, text/plain, none) are a 415: json-body.test.ts.

  it('answers a schema violation with 400 naming the parameter the OpenAI way', async () => {
    const g = await gateway();
    const role = await g.app.inject(chat({ model: 'echo', messages: [{ role: 'robot', content: 'x' }] }));
    expect(role.statusCode).toBe(400);
    expect(role.json().error).toMatchObject({ param: 'messages[0].role', type: 'invalid_request_error', code: 'invalid_request' });
    expect(role.json().error.message).toContain('must be one of: system, developer, user, assistant, tool, function');

    const missingRole = await g.app.inject(chat({ model: 'echo', messages: [{ content: 'x' }] }));
    expect(missingRole.json().error).toMatchObject({ param: 'messages[0].role', message: 'Invalid request: `messages[0].role` is required.' });

    const temperature = await g.app.inject(chat({ ...hello, temperature: '0.5' }));
    expect(temperature.statusCode).toBe(400);
    expect(temperature.json().error.param).toBe('temperature');

    const tooHot = await g.app.inject(chat({ ...hello, temperature: 2.5 }));
    expect(tooHot.json().error.param).toBe('temperature');

    const noMessages = await g.app.inject(chat({ model: 'echo' }));
    expect(noMessages.json().error).toMatchObject({ param: 'messages', message: 'Invalid request: `messages` is required.' });
  });

  it('answers an empty JSON body with 400', async () => {
    const g = await gateway();
    const res = await g.app.inject(chat(''));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.type).toBe('invalid_request_error');
  });

  it('answers 413 above general_settings.max_request_size_mb', async () => {
    const g = await gateway((c) => (c.general_settings.max_request_size_mb = 0.001));
    const res = await g.app.inject(chat({ ...hello, messages: [{ role: 'user', content: 'x'.repeat(2_000) }] }));
    expect(res.statusCode).toBe(413);
    expect(res.json().error).toMatchObject({ code: 'request_too_large', type: 'invalid_request_error' });
    expect(res.json().error.message).toContain('max_request_size_mb');
    expect(res.json().error.message).toContain('limit of 0.001 MB');
    expect((await g.app.inject(chat(hello))).statusCode).toBe(200);
  });
});

describe('unknown paths and methods', () => {
  it('answers 405 with an Allow header for the wrong method', async () => {
    const g = await gateway();
    const res = await g.app.inject({ method: 'GET', url: '/v1/chat/completions' });
    expect(res.statusCode).toBe(405);
    expect(res.headers.allow).toBe('POST');
    expect(res.json().error.code).toBe('method_not_allowed');
    const withQuery = await g.app.inject({ method: 'GET', url: '/v1/chat/completions?x=1' });
    expect(withQuery.statusCode).toBe(405);
    const onPattern = await g.app.inject({ method: 'POST', url: '/v1/models/some-model' });
    expect(onPattern.statusCode).toBe(405);
    expect(onPattern.headers.allow).toBe('GET');
  });

  it('answers 404 JSON for an unknown path', async () => {
    const g = await gateway();
    const res = await g.app.inject({ method: 'POST', url: '/v1/nothing-here' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('application/json');
    expect(res.json()).toEqual({ error: { message: 'Unknown path: POST /v1/nothing-here.', type: 'not_found_error', param: null, code: 'unknown_url' } });
  });
});

describe('master key', () => {
  const withKey = (c: GatewayConfig) => (c.general_settings.master_key = MASTER_KEY);

  it('401 missing_api_key without a key', async () => {
    const g = await gateway(withKey);
    const res = await g.app.inject(chat(hello));
    expect(res.statusCode).toBe(401);
    expect(res.json().error).toMatchObject({ type: 'authentication_error', code: 'missing_api_key' });
  });

  it('401 invalid_api_key with a wrong key', async () => {
    const g = await gateway(withKey);
    const res = await g.app.inject(chat(hello, { authorization: 'Bearer sk-wrong' }));
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('invalid_api_key');
  });

  it('200 with the key as Bearer, x-api-key or api-key', async () => {
    const g = await gateway(withKey);
    const ways: Record<string, string>[] = [{ authorization: `Bearer ${MASTER_KEY}` }, { 'x-api-key': MASTER_KEY }, { 'api-key': MASTER_KEY }];
    for (const headers of ways) {
      expect((await g.app.inject(chat(hello, headers))).statusCode).toBe(200);
    }
  });

  it('reads LITELLM_MASTER_KEY from the environment', async () => {
    const g = await createGateway({ config: config(), logger, env: { LITELLM_MASTER_KEY: MASTER_KEY } });
    gateways.push(g);
    expect((await g.app.inject(chat(hello))).statusCode).toBe(401);
    expect((await g.app.inject(chat(hello, { authorization: `Bearer ${MASTER_KEY}` }))).statusCode).toBe(200);
  });

  it('guards /v1/models and /health but not liveliness and readiness', async () => {
    const g = await gateway(withKey);
    expect((await g.app.inject({ method: 'GET', url: '/v1/models' })).statusCode).toBe(401);
    expect((await g.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(401);
    expect((await g.app.inject({ method: 'GET', url: '/health/liveliness' })).statusCode).toBe(200);
    expect((await g.app.inject({ method: 'GET', url: '/health/readiness' })).statusCode).toBe(200);
  });
});

describe('Host header', () => {
  it('403 for a foreign Host on a loopback gateway (DNS rebinding)', async () => {
    const g = await gateway();
    const res = await g.app.inject({ ...chat(hello), headers: { 'content-type': 'application/json', host: 'evil.com' } });
    expect(res.statusCode).toBe(403);
    expect(res.json().error).toMatchObject({ type: 'permission_error', code: 'host_not_allowed' });
    expect((await g.app.inject({ method: 'GET', url: '/health/liveliness', headers: { host: 'evil.com:4000' } })).statusCode).toBe(403);
  });

  it('accepts the loopback names', async () => {
    const g = await gateway();
    for (const host of ['localhost:4000', '127.0.0.1:4000', '[::1]:4000']) {
      expect((await g.app.inject({ method: 'GET', url: '/health/liveliness', headers: { host } })).statusCode).toBe(200);
    }
  });

  it('accepts general_settings.allowed_hosts', async () => {
    const g = await gateway((c) => (c.general_settings.allowed_hosts = ['gateway.lan']));
    expect((await g.app.inject({ method: 'GET', url: '/health/liveliness', headers: { host: 'gateway.lan:4000' } })).statusCode).toBe(200);
  });

  it('accepts any Host when bound to 0.0.0.0', async () => {
    const g = await gateway(undefined, { host: '0.0.0.0' });
    expect((await g.app.inject({ method: 'GET', url: '/health/liveliness', headers: { host: 'my-server.lan' } })).statusCode).toBe(200);
  });
});

describe('health and models', () => {
  it("/health/liveliness answers LiteLLM's JSON string", async () => {
    const g = await gateway();
    const res = await g.app.inject({ method: 'GET', url: '/health/liveliness' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toBe("I'm alive!");
  });

  it('/health/readiness reports healthy with the model count', async () => {
    const g = await gateway();
    const res = await g.app.inject({ method: 'GET', url: '/health/readiness' });
    expect(res.json()).toMatchObject({ status: 'healthy', models: 2 });
  });

  it('/health reports the mock deployments healthy', async () => {
    const g = await gateway();
    const res = await g.app.inject({ method: 'GET', url: '/health' });
    expect(res.json()).toMatchObject({ healthy_count: 2, unhealthy_count: 0 });
  });

  it('/v1/models and /models list the model names', async () => {
    const g = await gateway();
    for (const url of ['/v1/models', '/models']) {
      const res = await g.app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({
        object: 'list',
        data: [
          { id: 'echo', object: 'model', created: expect.any(Number), owned_by: 'llm-gateway' },
          { id: 'fixed', object: 'model', created: expect.any(Number), owned_by: 'llm-gateway' },
        ],
      });
    }
  });

  it('/v1/models/{id} answers one model (slashes allowed) or 404', async () => {
    const g = await gateway((c) => c.model_list.push({ model_name: 'team/echo', litellm_params: { model: 'mock/echo' } }));
    expect((await g.app.inject({ method: 'GET', url: '/v1/models/team/echo' })).json()).toMatchObject({ id: 'team/echo', object: 'model' });
    expect((await g.app.inject({ method: 'GET', url: '/v1/models/team%2Fecho' })).json().id).toBe('team/echo');
    const missing = await g.app.inject({ method: 'GET', url: '/v1/models/nope' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('model_not_found');
  });
});

describe('reload', () => {
  it('serves the new model list after reload', async () => {
    const g = await gateway();
    const next = emptyConfig();
    next.model_list.push({ model_name: 'other', litellm_params: { model: 'mock/other' } });
    g.reload(next);
    expect((await g.app.inject({ method: 'GET', url: '/v1/models' })).json().data.map((m: { id: string }) => m.id)).toEqual(['other']);
    expect((await g.app.inject(chat(hello))).statusCode).toBe(404);
  });
});
