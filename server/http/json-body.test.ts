import { afterEach, describe, expect, it } from 'vitest';
import { emptyConfig } from '../core/config-types.ts';
import { createGateway, type Gateway } from '../gateway.ts';
import { createLogger } from '../observe/logger.ts';
import { MAX_JSON_DEPTH, nestsDeeperThan } from './json-body.ts';

const MASTER_KEY = 'sk-master-json-body-0123';
const AUTH = { authorization: `Bearer ${MASTER_KEY}` };
const { logger } = createLogger({ level: 'silent', destination: null });

const gateways: Gateway[] = [];

async function gateway(): Promise<Gateway> {
  const config = emptyConfig();
  config.model_list.push({ model_name: 'echo', litellm_params: { model: 'mock/echo' } });
  config.general_settings.master_key = MASTER_KEY;
  const g = await createGateway({ config, logger, env: {} });
  gateways.push(g);
  return g;
}

afterEach(async () => {
  await Promise.all(gateways.splice(0).map((g) => g.close()));
});

const post = (url: string, payload: string, headers: Record<string, string> = { 'content-type': 'application/json' }) => ({
  method: 'POST' as const,
  url,
  headers: { ...AUTH, ...headers },
  payload,
});

const hello = JSON.stringify({ model: 'echo', messages: [{ role: 'user', content: 'hello' }] });

/** `depth` arrays nested in one another around `inner`. */
const nested = (depth: number, inner = '"x"') => `${'['.repeat(depth)}${inner}${']'.repeat(depth)}`;

async function spendRows(g: Gateway): Promise<unknown[]> {
  const res = await g.app.inject({ method: 'GET', url: '/spend/logs', headers: AUTH });
  expect(res.statusCode).toBe(200);
  return res.json();
}

describe('content types', () => {
  it('accepts application/json (with a charset) and application/*+json', async () => {
    const g = await gateway();
    for (const type of ['application/json', 'application/json; charset=utf-8', 'Application/JSON', 'application/vnd.api+json']) {
      const res = await g.app.inject(post('/v1/chat/completions', hello, { 'content-type': type }));
      expect(res.statusCode, type).toBe(200);
      expect(res.json().choices[0].message.content).toBe('Echo: hello');
    }
  });

  it('answers 415 in OpenAI’s error shape to text/plain, a form, or a body without a content type, and serves nothing', async () => {
    const g = await gateway();
    const refusals: { headers: Record<string, string>; says: string }[] = [
      { headers: { 'content-type': 'text/plain;charset=UTF-8' }, says: 'Content-Type `text/plain` is not accepted' },
      { headers: { 'content-type': 'multipart/form-data; boundary=x' }, says: 'Content-Type `multipart/form-data` is not accepted' },
      { headers: {}, says: 'The request has a body but no Content-Type' },
    ];
    for (const { headers, says } of refusals) {
      const res = await g.app.inject(post('/v1/chat/completions', hello, headers));
      expect(res.statusCode, says).toBe(415);
      expect(res.json()).toEqual({
        error: {
          message: `${says}: send the body as JSON with \`Content-Type: application/json\`.`,
          type: 'invalid_request_error',
          param: null,
          code: 'unsupported_media_type',
        },
      });
    }
    expect(await spendRows(g)).toEqual([]);
  });

  it('reads a form-typed body as JSON only when it carries a key header (curl --data without a Content-Type, as LiteLLM’s docs send it)', async () => {
    const config = emptyConfig();
    config.model_list.push({ model_name: 'echo', litellm_params: { model: 'mock/echo' } });
    const open = await createGateway({ config, logger, env: {} });
    gateways.push(open);
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    // No master key here, so nothing but the content type decides.
    const bare = await open.app.inject({ method: 'POST', url: '/v1/chat/completions', headers: form, payload: hello });
    expect(bare.statusCode).toBe(415);
    expect(bare.json().error.message).toContain('Content-Type `application/x-www-form-urlencoded` is not accepted');
    for (const key of [{ authorization: 'Bearer sk-anything' }, { 'x-api-key': 'sk-anything' }, { 'api-key': 'sk-anything' }]) {
      const res = await open.app.inject({ method: 'POST', url: '/v1/chat/completions', headers: { ...form, ...key }, payload: hello });
      expect(res.statusCode, Object.keys(key)[0]).toBe(200);
      expect(res.json().choices[0].message.content).toBe('Echo: hello');
    }
    const basic = await open.app.inject({ method: 'POST', url: '/v1/chat/completions', headers: { ...form, authorization: 'Basic dTpw' }, payload: hello });
    expect(basic.statusCode).toBe(415);
    const notJson = await open.app.inject({ method: 'POST', url: '/v1/chat/completions', headers: { ...form, ...AUTH }, payload: 'model=echo&x=1' });
    expect(notJson.statusCode).toBe(400);
    expect(notJson.json().error.code).toBe('invalid_json');
  });

  it('refuses a text/plain body on the admin API too (after the master key check)', async () => {
    const g = await gateway();
    const res = await g.app.inject(post('/key/generate', '{}', { 'content-type': 'text/plain' }));
    expect(res.statusCode).toBe(415);
    const keyless = await g.app.inject({ method: 'POST', url: '/key/generate', headers: { 'content-type': 'text/plain' }, payload: '{}' });
    expect(keyless.statusCode).toBe(401);
  });

  it('still takes a POST without a body or content type', async () => {
    const g = await gateway();
    const res = await g.app.inject({ method: 'POST', url: '/key/generate', headers: AUTH });
    expect(res.statusCode).toBe(200);
    expect(res.json().key).toMatch(/^sk-/);
  });
});

describe('prototype poisoning', () => {
  it('refuses a body with a __proto__ key with 400 (as Fastify does), serving nothing', async () => {
    const g = await gateway();
    const body = '{"model":"echo","messages":[{"role":"user","content":"hi"}],"__proto__":{"isAdmin":true}}';
    const res = await g.app.inject(post('/v1/chat/completions', body));
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_json' });
    expect(res.json().error.message).toContain('`__proto__` or `constructor.prototype`');
    expect(await spendRows(g)).toEqual([]);
  });

  it('refuses constructor.prototype in key metadata with 400, storing no key', async () => {
    const g = await gateway();
    const res = await g.app.inject(post('/key/generate', '{"metadata":{"constructor":{"prototype":{"polluted":true}}}}'));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toContain('prototype poisoning');
    const list = await g.app.inject({ method: 'GET', url: '/key/list', headers: AUTH });
    expect(list.json().keys).toEqual([]);
  });

  it('still tells a syntax error from poisoning', async () => {
    const g = await gateway();
    const res = await g.app.inject(post('/v1/chat/completions', '{"model": "echo",'));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toMatch(/^The request body is not valid JSON/);
  });

  it('lets "constructor" and "__proto__" through as words in content', async () => {
    const g = await gateway();
    const body = JSON.stringify({ model: 'echo', messages: [{ role: 'user', content: 'constructor __proto__ "constructor"' }] });
    const res = await g.app.inject(post('/v1/chat/completions', body));
    expect(res.statusCode).toBe(200);
  });
});

describe('nesting depth', () => {
  it('counts brackets outside strings only', () => {
    expect(nestsDeeperThan(nested(MAX_JSON_DEPTH), MAX_JSON_DEPTH)).toBe(false);
    expect(nestsDeeperThan(nested(MAX_JSON_DEPTH + 1), MAX_JSON_DEPTH)).toBe(true);
    expect(nestsDeeperThan(JSON.stringify({ text: '['.repeat(500) }), MAX_JSON_DEPTH)).toBe(false);
    expect(nestsDeeperThan(JSON.stringify({ text: `\\"${'{'.repeat(500)}` }), MAX_JSON_DEPTH)).toBe(false);
  });

  const tooDeep = (res: { statusCode: number; json(): { error: Record<string, unknown> } }) => {
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ type: 'invalid_request_error', code: 'json_too_deep' });
    expect(res.json().error.message).toContain(`more than ${MAX_JSON_DEPTH} levels deep`);
  };

  it('answers 400 naming the limit for deep message content, serving nothing', async () => {
    const g = await gateway();
    const body = `{"model":"echo","messages":[{"role":"user","content":${nested(20_000, '{"type":"text","text":"x"}')}}]}`;
    tooDeep(await g.app.inject(post('/v1/chat/completions', body)));
    expect(await spendRows(g)).toEqual([]);
  });

  it('answers 400 for deep embeddings input', async () => {
    const g = await gateway();
    tooDeep(await g.app.inject(post('/v1/embeddings', `{"model":"echo","input":${nested(20_000)}}`)));
    expect(await spendRows(g)).toEqual([]);
  });

  it('answers 400 for deep key metadata, storing no key', async () => {
    const g = await gateway();
    tooDeep(await g.app.inject(post('/key/generate', `{"metadata":{"a":${nested(20_000)}}}`)));
    const list = await g.app.inject({ method: 'GET', url: '/key/list', headers: AUTH });
    expect(list.json().keys).toEqual([]);
  });

  it('takes a body nested up to the limit', async () => {
    const g = await gateway();
    const res = await g.app.inject(post('/key/generate', `{"metadata":{"a":${nested(MAX_JSON_DEPTH - 2)}}}`));
    expect(res.statusCode).toBe(200);
  });
});
