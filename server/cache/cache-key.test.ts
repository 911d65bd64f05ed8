import { describe, expect, it } from 'vitest';
import { cacheKeyOf, canonicalJson } from './cache-key.ts';

const base = {
  model: 'gpt-4o',
  messages: [{ role: 'user', content: 'hi' }],
  temperature: 0.2,
  tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object', properties: { a: { type: 'string' } } } } }],
};

describe('canonicalJson', () => {
  it('sorts keys at every depth, keeps array order, drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[2,{"y":2,"z":1}]},"b":1}');
    expect(canonicalJson([3, 1])).not.toBe(canonicalJson([1, 3]));
  });
});

describe('cacheKeyOf', () => {
  const key = cacheKeyOf('chat', base, 'gpt-4o');

  it('is a sha256 hex digest, stable across calls', () => {
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(cacheKeyOf('chat', structuredClone(base), 'gpt-4o')).toBe(key);
  });

  it('ignores field order at any depth', () => {
    const reordered = {
      tools: [{ function: { parameters: { properties: { a: { type: 'string' } }, type: 'object' }, name: 'f' }, type: 'function' }],
      temperature: 0.2,
      messages: [{ content: 'hi', role: 'user' }],
      model: 'gpt-4o',
    };
    expect(cacheKeyOf('chat', reordered, 'gpt-4o')).toBe(key);
  });

  it('ignores delivery, routing, logging and cache-control fields, and top-level nulls', () => {
    const noisy = {
      ...base,
      stream: true,
      stream_options: { include_usage: true },
      metadata: { trace: 'x' },
      caching: true,
      cache: { ttl: 5, 'no-cache': true },
      fallbacks: ['b'],
      num_retries: 3,
      request_timeout: 10,
      timeout: 10,
      api_key: 'sk-secret',
      tags: ['t'],
      store: true,
      seed: null,
    };
    expect(cacheKeyOf('chat', noisy, 'gpt-4o')).toBe(key);
  });

  it('uses the model group, not the name the client sent', () => {
    expect(cacheKeyOf('chat', { ...base, model: 'alias' }, 'gpt-4o')).toBe(key);
    expect(cacheKeyOf('chat', base, 'claude')).not.toBe(key);
  });

  it('changes with anything that changes the answer', () => {
    const variants: Record<string, unknown>[] = [
      { messages: [{ role: 'user', content: 'hi!' }] },
      { temperature: 0.3 },
      { top_p: 0.9 },
      { n: 2 },
      { max_tokens: 5 },
      { max_completion_tokens: 5 },
      { stop: ['\n'] },
      { tool_choice: 'required' },
      { response_format: { type: 'json_object' } },
      { seed: 1 },
      { frequency_penalty: 1 },
      { presence_penalty: 1 },
      { logit_bias: { 50256: -100 } },
      { logprobs: true },
      { user: 'ana' },
      { top_k: 40 }, // a provider parameter the gateway does not know
      { mock_response: 'fixed' },
    ];
    const keys = new Set(variants.map((v) => cacheKeyOf('chat', { ...base, ...v }, 'gpt-4o')));
    expect(keys.size).toBe(variants.length);
    expect(keys.has(key)).toBe(false);
  });

  it('separates endpoints, and embedding inputs and formats', () => {
    expect(cacheKeyOf('completions', base, 'gpt-4o')).not.toBe(key);
    const embed = { model: 'e', input: ['a', 'b'] };
    const k = cacheKeyOf('embeddings', embed, 'e');
    expect(cacheKeyOf('embeddings', { ...embed, input: ['b', 'a'] }, 'e')).not.toBe(k);
    expect(cacheKeyOf('embeddings', { ...embed, encoding_format: 'base64' }, 'e')).not.toBe(k);
    expect(cacheKeyOf('embeddings', { ...embed, dimensions: 256 }, 'e')).not.toBe(k);
  });
});
