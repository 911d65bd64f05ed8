import { encodeChat } from 'gpt-tokenizer/encoding/o200k_base';
import { describe, expect, it } from 'vitest';
import {
  IMAGE_TOKENS,
  IMAGE_TOKENS_LOW_DETAIL,
  countChatPromptTokens,
  countPromptTokens,
  countTextTokens,
  estimateUsage,
  tokenizerLoadMs,
  warmTokenizer,
} from './tokenizer.ts';

describe('countTextTokens (o200k_base)', () => {
  it('counts known strings', () => {
    expect(countTextTokens('')).toBe(0);
    expect(countTextTokens('hello world')).toBe(2);
    expect(countTextTokens('Hello, world!')).toBe(4);
    expect(countTextTokens('The quick brown fox jumps over the lazy dog.')).toBe(10);
  });

  it('counts special-token text as plain text instead of throwing', () => {
    expect(countTextTokens('<|endoftext|>')).toBeGreaterThan(1);
  });

  it('loads the encoding once and reports how long that took', () => {
    const ms = warmTokenizer();
    expect(ms).toBeGreaterThan(0);
    expect(warmTokenizer()).toBe(ms);
    expect(tokenizerLoadMs()).toBe(ms);
  });
});

describe('countChatPromptTokens', () => {
  const chat = [
    { role: 'system', content: 'You are a helpful assistant.' },
    { role: 'user', content: 'What is the capital of France?' },
    { role: 'assistant', content: 'Paris.' },
  ];

  it('adds OpenAI’s per-message overhead: the same count as gpt-tokenizer’s gpt-4o chat encoding', () => {
    expect(countChatPromptTokens([{ role: 'user', content: 'Hello' }])).toBe(8); // 3 + role + content + 3 priming
    expect(countChatPromptTokens(chat)).toBe(encodeChat(chat as never, 'gpt-4o').length);
  });

  it('counts text parts, a name, tool calls and images (flat)', () => {
    const parts = [
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Hello' },
          { type: 'image_url', image_url: { url: 'https://x/y.png' } },
        ],
      },
    ];
    expect(countChatPromptTokens(parts)).toBe(8 + IMAGE_TOKENS);
    const low = [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:…', detail: 'low' } }] }];
    expect(countChatPromptTokens(low)).toBe(3 + 1 + 3 + IMAGE_TOKENS_LOW_DETAIL);
    expect(countChatPromptTokens([{ role: 'user', content: 'hi', name: 'bob' }])).toBe(3 + 1 + 1 + 1 + 1 + 3);
    const toolCall = [
      { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
    ];
    expect(countChatPromptTokens(toolCall)).toBe(3 + 1 + countTextTokens('get_weather') + countTextTokens('{"city":"Paris"}') + 3);
  });

  it('tolerates garbage', () => {
    expect(countChatPromptTokens(undefined)).toBe(0);
    expect(countChatPromptTokens([null, 5, { role: 'user' }])).toBe(3 + 3 + 1);
  });
});

describe('countPromptTokens', () => {
  it('counts chat bodies with their tool definitions', () => {
    const tools = [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }];
    const body = { model: 'x', messages: [{ role: 'user', content: 'Hello' }], tools };
    expect(countPromptTokens('chat', body)).toBe(8 + countTextTokens(JSON.stringify(tools)));
  });

  it('counts completions prompts and embeddings inputs in every shape', () => {
    expect(countPromptTokens('completions', { prompt: 'hello world' })).toBe(2);
    expect(countPromptTokens('completions', { prompt: ['hello world', 'Hello, world!'] })).toBe(6);
    expect(countPromptTokens('embeddings', { input: [1, 2, 3] })).toBe(3);
    expect(
      countPromptTokens('embeddings', {
        input: [
          [1, 2],
          [3, 4, 5],
        ],
      }),
    ).toBe(5);
    expect(countPromptTokens('embeddings', { input: 'hello world' })).toBe(2);
    expect(countPromptTokens('embeddings', {})).toBe(0);
  });

  it('counts Anthropic Messages bodies', () => {
    const body = { system: 'Be brief.', messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello' }] }] };
    expect(countPromptTokens('messages', body)).toBe(countTextTokens('Be brief.') + 3 + 1 + 1);
  });
});

describe('countPromptTokens for rerank', () => {
  it('counts the query and every document, strings or {text}', () => {
    const body = { query: 'hello world', documents: ['hello world', { text: 'Hello, world!' }, { other: 1 }] };
    expect(countPromptTokens('rerank', body)).toBe(2 + 2 + 4);
    expect(countPromptTokens('rerank', { query: 'hello world' })).toBe(2);
  });
});

describe('estimateUsage', () => {
  it('counts the prompt from the body and the completion from the text sent', () => {
    const body = { messages: [{ role: 'user', content: 'Hello' }] };
    expect(estimateUsage('chat', body, 'Hello, world!')).toEqual({ prompt_tokens: 8, completion_tokens: 4, total_tokens: 12 });
  });

  it('gives embeddings no completion tokens', () => {
    expect(estimateUsage('embeddings', { input: 'hello world' }, 'ignored')).toEqual({ prompt_tokens: 2, completion_tokens: 0, total_tokens: 2 });
  });
});
