import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../core/errors.ts';
import { gatewayErrorFrom, testCallContext } from '../../test-support/fixtures.ts';
import { buildGenerateRequest, generateParameters, promptOf } from './generate-request.ts';
import { createGenerateStreamTranslator, translateGenerate } from './generate-response.ts';

const deployment = {
  provider: 'huggingface',
  upstreamModel: 'text-generation-inference/mistralai/Mistral-7B-Instruct-v0.2',
  apiBase: 'https://xyz.endpoints.huggingface.cloud',
  apiKey: 'hf_test',
  params: { model: 'huggingface/text-generation-inference/mistralai/Mistral-7B-Instruct-v0.2' },
};
const messages = [
  { role: 'system', content: 'Be brief.' },
  { role: 'user', content: 'Hi' },
];
const ctx = (body: Record<string, unknown>, stream = false, overrides: Record<string, unknown> = {}) =>
  testCallContext({ model: 'm', messages, ...body }, { stream, deployment: { ...deployment, ...overrides } });

describe('buildGenerateRequest', () => {
  it('a flat prompt from the model name’s template and TGI’s parameter names', () => {
    const req = buildGenerateRequest(ctx({ max_tokens: 64, temperature: 0.7, top_p: 0.9, stop: ['</s>', 'END'], seed: 3, top_k: 5, n: 1 }));
    expect(req.url).toBe('https://xyz.endpoints.huggingface.cloud/generate');
    expect(req.headers).toEqual({ 'content-type': 'application/json', authorization: 'Bearer hf_test' });
    expect(JSON.parse(req.body ?? '')).toEqual({
      inputs: '<s>[INST] Be brief.\n\nHi [/INST]',
      parameters: {
        max_new_tokens: 64,
        temperature: 0.7,
        top_p: 0.9,
        stop: ['</s>', 'END'],
        seed: 3,
        top_k: 5,
        details: true,
        return_full_text: false,
        decoder_input_details: true,
      },
    });
  });

  it('streams go to /generate_stream without decoder_input_details; temperature 0 is greedy (left out)', () => {
    const req = buildGenerateRequest(ctx({ temperature: 0, stream: true, stream_options: { include_usage: true } }, true));
    expect(req.url).toBe('https://xyz.endpoints.huggingface.cloud/generate_stream');
    expect(JSON.parse(req.body ?? '').parameters).toEqual({ details: true, return_full_text: false });
  });

  it('an endpoint given with /v1 still has /generate at its root; deployment headers apply', () => {
    const req = buildGenerateRequest(ctx({}, false, { apiBase: 'http://tgi:8080/v1', headers: { 'x-extra': '1' } }));
    expect(req.url).toBe('http://tgi:8080/generate');
    expect(req.headers['x-extra']).toBe('1');
  });

  it('tools are refused (they need the Messages API) unless drop_params', () => {
    const tools = [{ type: 'function', function: { name: 'f' } }];
    const error = gatewayErrorFrom(() => buildGenerateRequest(ctx({ tools })));
    expect([error.status, error.param, error.code]).toEqual([400, 'tools', 'unsupported_parameter']);
    const dropped = buildGenerateRequest(ctx({ tools }, false, { dropParams: true }));
    expect(JSON.parse(dropped.body ?? '').parameters.tools).toBeUndefined();
  });

  it('an image or audio part: a 400 naming the part and the provider (SageMaker’s TGI containers too), or left out with drop_params', () => {
    const withImage = [
      {
        role: 'user',
        content: [
          { type: 'text', text: 'what is this' },
          { type: 'image_url', image_url: { url: 'https://example.com/cat.png' } },
        ],
      },
    ];
    const error = gatewayErrorFrom(() => buildGenerateRequest(ctx({ messages: withImage })));
    expect([error.status, error.param, error.code]).toEqual([400, 'messages[0].content[1].image_url', 'unsupported_parameter']);
    expect(error.message).toMatch(/^Hugging Face does not support/);
    const audio = [{ role: 'user', content: [{ type: 'input_audio', input_audio: { data: 'AAAA', format: 'wav' } }] }];
    const onSageMaker = { provider: 'sagemaker', upstreamModel: 'my-tgi-endpoint' };
    const sagemakerError = gatewayErrorFrom(() => promptOf(ctx({ messages: audio }, false, onSageMaker)));
    expect([sagemakerError.param, sagemakerError.message]).toEqual([
      'messages[0].content[0].input_audio',
      expect.stringMatching(/^SageMaker does not support/),
    ]);
    const dropped = buildGenerateRequest(ctx({ messages: withImage }, false, { dropParams: true }));
    expect(JSON.parse(dropped.body ?? '').inputs).toBe('<s>[INST] what is this [/INST]');
  });

  it('SageMaker’s TGI containers name SageMaker when they refuse a parameter', () => {
    const tools = [{ type: 'function', function: { name: 'f' } }];
    const error = gatewayErrorFrom(() => generateParameters(ctx({ tools }, false, { provider: 'sagemaker', upstreamModel: 'my-tgi-endpoint' })));
    expect([error.param, error.message]).toEqual(['tools', expect.stringMatching(/^SageMaker does not support the parameter `tools`/)]);
  });

  it('a custom template in litellm_params wins over the model name', () => {
    const params = { ...deployment.params, roles: { user: { pre_message: 'Q: ', post_message: '\n' } }, final_prompt_value: 'A:' };
    const req = buildGenerateRequest(ctx({ messages: [{ role: 'user', content: 'Hi' }] }, false, { params }));
    expect(JSON.parse(req.body ?? '').inputs).toBe('Q: Hi\nA:');
  });
});

describe('translateGenerate', () => {
  it('generated_text and details → chat.completion with the server’s token counts', () => {
    const body = translateGenerate(
      { generated_text: 'Hello', details: { finish_reason: 'eos_token', generated_tokens: 2, prefill: [{ id: 1 }, { id: 2 }, { id: 3 }] } },
      ctx({}),
    );
    expect(body).toMatchObject({
      object: 'chat.completion',
      choices: [{ index: 0, message: { role: 'assistant', content: 'Hello' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
    });
  });

  it('length; the pipeline’s array answer; no usage when the prompt count is missing (estimated by the gateway)', () => {
    const body = translateGenerate([{ generated_text: 'Hi', details: { finish_reason: 'length', generated_tokens: 1 } }], ctx({}));
    expect(body).toMatchObject({ choices: [{ finish_reason: 'length', message: { content: 'Hi' } }] });
    expect(body.usage).toBeUndefined();
  });

  it('an answer without generated_text is a 502', () => {
    expect(gatewayErrorFrom(() => translateGenerate({ foo: 1 }, ctx({}))).status).toBe(502);
  });
});

describe('createGenerateStreamTranslator', () => {
  const frame = (data: unknown) => ({ data: JSON.stringify(data) });
  const token = (text: string, special = false) => ({ token: { id: 1, text, logprob: -1, special }, generated_text: null, details: null });

  it('tokens → content chunks; the special end token is left out; details → finish and usage when counted', () => {
    const t = createGenerateStreamTranslator(ctx({}, true));
    const out = [
      ...t.push(frame(token('Hel'))),
      ...t.push(frame(token('lo'))),
      ...t.push(frame({ ...token('</s>', true), generated_text: 'Hello', details: { finish_reason: 'eos_token', generated_tokens: 3, input_length: 7 } })),
      ...t.end(),
    ];
    expect(out.map((c) => (c.choices as { delta: { content?: string } }[])[0]?.delta.content)).toEqual(['', 'Hel', 'lo', undefined, undefined]);
    expect(out[3]).toMatchObject({ choices: [{ finish_reason: 'stop' }] });
    expect(out[4]).toMatchObject({ choices: [], usage: { prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 } });
  });

  it('no usage chunk without the prompt count', () => {
    const t = createGenerateStreamTranslator(ctx({}, true));
    const out = t.push(frame({ ...token('x'), details: { finish_reason: 'length', generated_tokens: 1 } }));
    expect(out.some((c) => c.usage)).toBe(false);
    expect(out.at(-1)).toMatchObject({ choices: [{ finish_reason: 'length' }] });
  });

  it('an in-band error event throws; a stream without details ended early', () => {
    const t = createGenerateStreamTranslator(ctx({}, true));
    expect(() => t.push(frame({ error: 'Request failed during generation', error_type: 'generation' }))).toThrow(GatewayError);
    const early = createGenerateStreamTranslator(ctx({}, true));
    early.push(frame(token('a')));
    expect(() => early.end()).toThrow(/ended early/);
  });
});
