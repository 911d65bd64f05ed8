import { describe, expect, it } from 'vitest';
import { emptyConfig, type GatewayConfig, type LitellmSettings } from '../core/config-types.ts';
import { createLogger } from '../observe/logger.ts';
import { ResponseCacheService } from './cache-service.ts';

const { logger } = createLogger({ level: 'silent', destination: null });

function config(settings: Record<string, unknown>): GatewayConfig {
  return { ...emptyConfig(), litellm_settings: settings as LitellmSettings };
}

const request = { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] };
const answer = {
  id: 'chatcmpl-1',
  object: 'chat.completion',
  created: 1,
  model: 'gpt-4o-2024-08-06',
  choices: [{ index: 0, message: { role: 'assistant', content: 'hello', refusal: null }, logprobs: null, finish_reason: 'stop' }],
  usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
};

function service(settings: Record<string, unknown> = { cache: true }): ResponseCacheService {
  const s = new ResponseCacheService(logger);
  s.configure(config(settings), {});
  return s;
}

describe('ResponseCacheService', () => {
  it('off: no plan', () => {
    const s = service({});
    expect(s.enabled).toBe(false);
    expect(s.plan('chat', request, 'gpt-4o')).toBeUndefined();
  });

  it('miss, store, hit; a streamed request shares the key of a plain one', async () => {
    const s = service();
    const plan = s.plan('chat', request, 'gpt-4o')!;
    expect(await s.lookup(plan)).toBeUndefined();
    await s.store(plan, answer);
    const streamed = s.plan('chat', { ...request, stream: true, stream_options: { include_usage: true } }, 'gpt-4o')!;
    expect(streamed.key).toBe(plan.key);
    expect((await s.lookup(streamed))?.body).toEqual(answer);
  });

  it('stores only complete, successful answers', async () => {
    const s = service();
    const plan = s.plan('chat', request, 'gpt-4o')!;
    await s.store(plan, { error: { message: 'boom' } });
    await s.store(plan, { ...answer, choices: [{ ...answer.choices[0], finish_reason: null }] });
    await s.store(plan, { ...answer, object: 'chat.completion.chunk' });
    await s.store(plan, { ...answer, choices: [] });
    expect(await s.lookup(plan)).toBeUndefined();
    const embed = s.plan('embeddings', { model: 'e', input: 'x' }, 'e')!;
    await s.store(embed, { object: 'list', data: [{ object: 'embedding', index: 0, embedding: [0.1] }], model: 'e' });
    expect(await s.lookup(embed)).toBeDefined();
  });

  it('no-cache reads nothing but stores; no-store stores nothing', async () => {
    const s = service();
    const noStore = s.plan('chat', { ...request, cache: { 'no-store': true } }, 'gpt-4o')!;
    await s.store(noStore, answer);
    expect(await s.lookup(s.plan('chat', request, 'gpt-4o')!)).toBeUndefined();
    const noCache = s.plan('chat', { ...request, cache: { 'no-cache': true } }, 'gpt-4o')!;
    await s.store(noCache, answer);
    expect(await s.lookup(noCache)).toBeUndefined();
    expect(await s.lookup(s.plan('chat', request, 'gpt-4o')!)).toBeDefined();
  });

  it('s-maxage rejects entries older than asked', async () => {
    const s = service();
    const plan = s.plan('chat', request, 'gpt-4o')!;
    await s.store(plan, answer);
    const strict = s.plan('chat', { ...request, cache: { 's-maxage': 10 } }, 'gpt-4o')!;
    expect(await s.lookup(strict, Date.now() + 5_000)).toBeDefined();
    expect(await s.lookup(strict, Date.now() + 11_000)).toBeUndefined();
  });

  it('namespaces keep entries apart', async () => {
    const s = service({ cache: true, cache_params: { namespace: 'team-a' } });
    const plan = s.plan('chat', request, 'gpt-4o')!;
    expect(plan.key).toMatch(/^team-a:[0-9a-f]{64}$/);
    await s.store(plan, answer);
    const other = s.plan('chat', { ...request, cache: { namespace: 'team-b' } }, 'gpt-4o')!;
    expect(other.key).toMatch(/^team-b:/);
    expect(await s.lookup(other)).toBeUndefined();
  });

  it('a reload keeps the entries when the backend is unchanged, and drops them when it changes', async () => {
    const s = service({ cache: true, cache_params: { ttl: 60 } });
    await s.store(s.plan('chat', request, 'gpt-4o')!, answer);
    s.configure(config({ cache: true, cache_params: { ttl: 120 } }), {});
    expect(s.currentSettings?.ttlSeconds).toBe(120);
    expect(await s.lookup(s.plan('chat', request, 'gpt-4o')!)).toBeDefined();
    s.configure(config({ cache: true, cache_params: { max_size_in_memory: 5 } }), {});
    expect(await s.lookup(s.plan('chat', request, 'gpt-4o')!)).toBeUndefined();
    s.configure(config({}), {});
    expect(s.enabled).toBe(false);
    await s.close();
  });
});
