import { describe, expect, it } from 'vitest';
import { gatewayErrorFrom, testCallContext, testDeployment } from '../../test-support/fixtures.ts';
import { flatPromptMessages, flatPromptParams } from './flat-prompt.ts';

describe('flatPromptParams', () => {
  it('the model parameters only: no call fields, no unset or null values, neutral unsupported values left out', () => {
    const ctx = testCallContext({
      model: 'm',
      messages: [],
      stream: true,
      stream_options: { include_usage: true },
      user: 'u',
      service_tier: 'auto',
      temperature: 0.2,
      top_k: 5,
      seed: null,
      n: 1,
      tools: [],
      logprobs: false,
    });
    expect(flatPromptParams(ctx, 'Acme')).toEqual([
      ['temperature', 0.2],
      ['top_k', 5],
    ]);
  });

  it('an unsupported value is a 400 naming it and the provider, or left out with drop_params', () => {
    const body = { model: 'm', messages: [], tool_choice: 'required', max_tokens: 9 };
    const error = gatewayErrorFrom(() => flatPromptParams(testCallContext(body), 'Acme'));
    expect([error.status, error.param, error.message]).toEqual([
      400,
      'tool_choice',
      expect.stringMatching(/^Acme does not support the parameter `tool_choice`/),
    ]);
    expect(flatPromptParams(testCallContext(body, { deployment: { dropParams: true } }), 'Acme')).toEqual([['max_tokens', 9]]);
  });
});

describe('flatPromptMessages', () => {
  it('text and refusal parts pass; strings pass; no messages is an empty list', () => {
    const messages = [
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: [{ type: 'refusal', refusal: 'No.' }] },
      { role: 'user', content: [{ type: 'text', text: 'Why?' }] },
    ];
    expect(flatPromptMessages({ messages }, 'Acme', testDeployment())).toBe(messages);
    expect(flatPromptMessages({}, 'Acme', testDeployment())).toEqual([]);
  });

  it('any other part (image, audio, file, untyped) is a 400 naming where it is, or passes with drop_params', () => {
    const part = (p: unknown) => [{ role: 'user', content: [{ type: 'text', text: 'a' }, p] }];
    for (const [p, name] of [
      [{ type: 'image_url', image_url: { url: 'https://x/y.png' } }, 'image_url'],
      [{ type: 'input_audio', input_audio: { data: 'AA', format: 'wav' } }, 'input_audio'],
      [{ type: 'file', file: { file_id: 'f' } }, 'file'],
      [{ text: 'no type' }, 'unknown'],
    ] as const) {
      const error = gatewayErrorFrom(() => flatPromptMessages({ messages: part(p) }, 'Acme', testDeployment()));
      expect([error.status, error.param, error.code]).toEqual([400, `messages[0].content[1].${name}`, 'unsupported_parameter']);
      expect(flatPromptMessages({ messages: part(p) }, 'Acme', testDeployment({ dropParams: true }))).toHaveLength(1);
    }
  });
});
