/**
 * LiteLLM proxy's documented curls (quick start, several models, load balancing) end their bodies in `],\n }`, which
 * its proxy accepted: the gateway takes a trailing comma before `}` or `]` — strict JSON first, the tolerant reading
 * only when that fails — and nothing else that is not JSON. Each such request is one debug line.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { emptyConfig } from '../core/config-types.ts';
import { createGateway, type Gateway } from '../gateway.ts';
import { createLogger } from '../observe/logger.ts';
import type { LogRing } from '../observe/log-ring.ts';
import { withoutTrailingCommas } from './trailing-commas.ts';

const MASTER_KEY = 'sk-master-trailing-commas-0123';
const gateways: Gateway[] = [];

async function gateway(): Promise<{ g: Gateway; ring: LogRing }> {
  const config = emptyConfig();
  config.model_list.push({ model_name: 'gpt-3.5-turbo', litellm_params: { model: 'mock/echo' } });
  config.general_settings.master_key = MASTER_KEY;
  const { logger, ring } = createLogger({ level: 'debug', destination: null });
  const g = await createGateway({ config, logger, ring, env: {} });
  gateways.push(g);
  return { g, ring };
}

afterEach(async () => {
  await Promise.all(gateways.splice(0).map((g) => g.close()));
});

const post = (payload: string, url = '/v1/chat/completions') => ({
  method: 'POST' as const,
  url,
  headers: { 'content-type': 'application/json', authorization: `Bearer ${MASTER_KEY}` },
  payload,
});

/** LiteLLM's quick-start curl body, byte for byte as its docs print it. */
const QUICK_START = `{
      "model": "gpt-3.5-turbo",
      "messages": [
        {
          "role": "user",
          "content": "what llm are you"
        }
      ],
    }`;

const tolerantLines = (ring: LogRing) => ring.tail().filter((line) => line.includes('trailing comma'));

describe('trailing commas in request bodies', () => {
  it("serves the quick-start curl's body (a comma before the closing brace) and says so in one debug line", async () => {
    const { g, ring } = await gateway();
    const res = await g.app.inject(post(QUICK_START));
    expect(res.statusCode).toBe(200);
    expect(res.json().choices[0].message.content).toBe('Echo: what llm are you');
    expect(tolerantLines(ring)).toHaveLength(1);
    expect(tolerantLines(ring)[0]).toContain('1 such request');
  });

  it('takes commas before ] and } at any depth, and counts each request once', async () => {
    const { g, ring } = await gateway();
    const body =
      '{"model":"gpt-3.5-turbo","messages":[{"role":"user","content":"a",},{"role":"assistant","content":"b"},{"role":"user","content":"c"},],"stop":["x",],}';
    const res = await g.app.inject(post(body));
    expect(res.statusCode).toBe(200);
    expect(res.json().choices[0].message.content).toBe('Echo: c');
    expect((await g.app.inject(post(QUICK_START))).statusCode).toBe(200);
    expect(tolerantLines(ring)).toHaveLength(2);
    expect(tolerantLines(ring)[1]).toContain('2 such requests');
  });

  it('leaves commas inside strings alone', async () => {
    const { g } = await gateway();
    const res = await g.app.inject(post('{"model":"gpt-3.5-turbo","messages":[{"role":"user","content":"a ,] and ,} \\", }"}],}'));
    expect(res.statusCode).toBe(200);
    expect(res.json().choices[0].message.content).toBe('Echo: a ,] and ,} ", }');
  });

  it('writes no such line for valid JSON', async () => {
    const { g, ring } = await gateway();
    const res = await g.app.inject(post(JSON.stringify({ model: 'gpt-3.5-turbo', messages: [{ role: 'user', content: 'x,]' }] })));
    expect(res.statusCode).toBe(200);
    expect(tolerantLines(ring)).toEqual([]);
  });

  it('still refuses every other syntax error with 400 invalid_json', async () => {
    const { g } = await gateway();
    const broken = [
      '{"model":"gpt-3.5-turbo","messages":[{"role":"user","content":"a"},,]}', // two commas
      '{,"model":"gpt-3.5-turbo"}', // a leading comma
      '{"model":"gpt-3.5-turbo",,}',
      '{"model":"gpt-3.5-turbo", "messages": [,]}', // a comma with nothing before it
      '{"model":"gpt-3.5-turbo", "messages": [{,}]}',
      "{'model':'gpt-3.5-turbo',}", // single quotes
      '{model:"gpt-3.5-turbo",}', // unquoted key
      '{"model":"gpt-3.5-turbo",} // a comment',
      '{"model":"gpt-3.5-turbo"',
    ];
    for (const body of broken) {
      const res = await g.app.inject(post(body));
      expect(res.statusCode, body).toBe(400);
      expect(res.json().error, body).toMatchObject({ code: 'invalid_json' });
      expect(res.json().error.message, body).toMatch(/^The request body is not valid JSON/);
    }
  });

  it('still refuses prototype poisoning behind a trailing comma', async () => {
    const { g } = await gateway();
    const res = await g.app.inject(post('{"model":"gpt-3.5-turbo","messages":[],"__proto__":{"isAdmin":true},}'));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toContain('`__proto__` or `constructor.prototype`');
  });

  it('applies to the admin API too (LiteLLM key scripts)', async () => {
    const { g } = await gateway();
    const res = await g.app.inject(post('{"models": ["gpt-3.5-turbo",], "metadata": {"user": "ishaan",},}', '/key/generate'));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ models: ['gpt-3.5-turbo'] });
  });
});

describe('withoutTrailingCommas', () => {
  it('drops only a comma that follows a value and precedes } or ]', () => {
    expect(withoutTrailingCommas('[1, 2, ]')).toBe('[1, 2 ]');
    expect(withoutTrailingCommas('{"a": [1,\n],\n}')).toBe('{"a": [1\n]\n}');
    expect(withoutTrailingCommas('{"a": "x,}",}')).toBe('{"a": "x,}"}');
    expect(withoutTrailingCommas('{"a": "\\\\",}')).toBe('{"a": "\\\\"}');
  });

  it('is undefined when there is nothing to drop or the comma has no value before it', () => {
    expect(withoutTrailingCommas('{"a": 1}')).toBeUndefined();
    expect(withoutTrailingCommas('[,]')).toBeUndefined();
    expect(withoutTrailingCommas('{,}')).toBeUndefined();
    expect(withoutTrailingCommas('[1,,]')).toBeUndefined();
  });
});
