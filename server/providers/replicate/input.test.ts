import { describe, expect, it } from 'vitest';
import { gatewayErrorFrom, testCallContext } from '../../test-support/fixtures.ts';
import { predictionBody, predictionTarget, promptInputs } from './input.ts';

const deployment = {
  provider: 'replicate',
  upstreamModel: 'meta/llama-3-70b-instruct',
  apiBase: 'https://api.replicate.com/v1',
  apiKey: 'r8_test',
  params: { model: 'replicate/meta/llama-3-70b-instruct' },
};
const ctx = (body: Record<string, unknown>, overrides: Record<string, unknown> = {}, stream = false) =>
  testCallContext({ model: 'x', messages: [{ role: 'user', content: 'Hi' }], ...body }, { stream, deployment: { ...deployment, ...overrides } });

describe('predictionTarget', () => {
  it('an official model: POST models/{owner}/{name}/predictions', () => {
    expect(predictionTarget(deployment)).toEqual({ url: 'https://api.replicate.com/v1/models/meta/llama-3-70b-instruct/predictions' });
  });
  it('owner/name:version and a bare version id: POST predictions with the version', () => {
    const hex = 'a'.repeat(64);
    expect(predictionTarget({ ...deployment, upstreamModel: `acme/m:${hex}` })).toEqual({ url: 'https://api.replicate.com/v1/predictions', version: hex });
    expect(predictionTarget({ ...deployment, upstreamModel: hex })).toEqual({ url: 'https://api.replicate.com/v1/predictions', version: hex });
  });
});

describe('promptInputs', () => {
  it('a lone request is its text; system messages go to system_prompt', () => {
    expect(
      promptInputs(
        [
          { role: 'system', content: 'A' },
          { role: 'developer', content: 'B' },
          { role: 'user', content: 'Hi' },
        ],
        deployment,
      ),
    ).toEqual({ prompt: 'Hi', system_prompt: 'A\n\nB' });
  });
  it('a conversation in the built-in format of the model name (version ignored)', () => {
    const messages = [
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Yo' },
      { role: 'user', content: 'Bye' },
    ];
    expect(promptInputs(messages, { ...deployment, upstreamModel: `mistralai/mixtral-8x7b-instruct-v0.1:${'b'.repeat(64)}` })).toEqual({
      prompt: '<s>[INST] Hi [/INST] Yo</s>[INST] Bye [/INST]',
    });
  });
  it('a custom template renders everything, system included', () => {
    const params = { ...deployment.params, roles: { system: { pre_message: 'S:' }, user: { pre_message: 'U:' } }, bos_token: '<s>' };
    expect(
      promptInputs(
        [
          { role: 'system', content: 'a' },
          { role: 'user', content: 'b' },
        ],
        { ...deployment, params },
      ),
    ).toEqual({ prompt: '<s>S:aU:b' });
  });
});

describe('predictionBody', () => {
  it("OpenAI's parameters under Replicate's input names; native inputs pass through", () => {
    expect(predictionBody(ctx({ max_tokens: 9, temperature: 0.2, stop: ['a', 'b'], top_k: 3, seed: 1, prompt_template: '{prompt}', n: 1, user: 'u' }))).toEqual(
      {
        input: { prompt: 'Hi', max_new_tokens: 9, temperature: 0.2, stop_sequences: 'a,b', top_k: 3, seed: 1, prompt_template: '{prompt}' },
      },
    );
  });
  it('streams ask for a stream URL; versions go in the body', () => {
    const hex = 'c'.repeat(64);
    expect(predictionBody(ctx({ stream: true, stream_options: { include_usage: true } }, { upstreamModel: `a/b:${hex}` }, true))).toEqual({
      version: hex,
      input: { prompt: 'Hi' },
      stream: true,
    });
  });
  it('tools: a 400 naming them, or left out with drop_params', () => {
    const tools = [{ type: 'function', function: { name: 'f' } }];
    expect(gatewayErrorFrom(() => predictionBody(ctx({ tools }))).param).toBe('tools');
    expect(predictionBody(ctx({ tools }, { dropParams: true }))).toEqual({ input: { prompt: 'Hi' } });
  });
  it('an image part: a 400 naming the part and Replicate (a flat prompt has no place for it), or left out with drop_params', () => {
    const messages = [
      { role: 'system', content: 'Be brief.' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'what is this' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
        ],
      },
    ];
    const error = gatewayErrorFrom(() => predictionBody(ctx({ messages })));
    expect([error.status, error.param, error.code]).toEqual([400, 'messages[1].content[1].image_url', 'unsupported_parameter']);
    expect(error.message).toMatch(/^Replicate does not support/);
    expect(predictionBody(ctx({ messages }, { dropParams: true }))).toEqual({ input: { prompt: 'what is this', system_prompt: 'Be brief.' } });
  });
});
