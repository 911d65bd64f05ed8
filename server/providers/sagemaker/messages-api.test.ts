import { describe, expect, it } from 'vitest';
import { testCallContext, testDeployment } from '../../test-support/fixtures.ts';
import type { AwsEventStreamFrame } from '../types.ts';
import { buildMessagesApiInvocation, createMessagesApiStreamTranslator } from './messages-api.ts';

const part = (bytes: Uint8Array): AwsEventStreamFrame => ({ headers: { ':message-type': 'event', ':event-type': 'PayloadPart' }, payload: bytes });
const deployment = testDeployment({
  provider: 'sagemaker_chat',
  upstreamModel: 'my-endpoint',
  apiBase: 'https://runtime.sagemaker.us-east-1.amazonaws.com',
  apiKey: undefined,
});

describe('the SageMaker Messages API', () => {
  it('sends the OpenAI body to the endpoint, asking a stream for its usage', () => {
    const req = buildMessagesApiInvocation({
      ...testCallContext({ messages: [{ role: 'user', content: 'Hi' }], stream_options: { include_usage: false } }, { stream: true }),
      deployment,
    });
    expect(req.url).toBe('https://runtime.sagemaker.us-east-1.amazonaws.com/endpoints/my-endpoint/invocations-response-stream');
    expect(JSON.parse(req.body!)).toEqual({
      messages: [{ role: 'user', content: 'Hi' }],
      model: 'my-endpoint',
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it('reads OpenAI chunks out of bytes cut anywhere, and fails a stream without a finish', () => {
    const sse = [
      { choices: [{ index: 0, delta: { content: 'Grüße' }, finish_reason: null }] },
      { choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] },
      { choices: [], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } },
    ]
      .map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`)
      .join('');
    const bytes = Buffer.from(`${sse}data: [DONE]\n\n`);
    const t = createMessagesApiStreamTranslator(testCallContext({}, { stream: true }));
    const chunks = [];
    for (let i = 0; i < bytes.length; i += 5) chunks.push(...t.push(part(bytes.subarray(i, i + 5))));
    chunks.push(...t.end());
    expect(chunks).toHaveLength(3);
    expect(chunks.at(-1)).toMatchObject({ usage: { total_tokens: 2 } });
    const cut = createMessagesApiStreamTranslator(testCallContext({}, { stream: true }));
    cut.push(part(Buffer.from(`data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: 'a' }, finish_reason: null }] })}\n\n`)));
    expect(() => cut.end()).toThrow(/ended before/);
  });
});
