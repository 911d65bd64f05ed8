/**
 * A stream whose first upstream event is a failure: openStream and openChunkStream (which the OpenAI, Anthropic
 * Messages and Responses surfaces stream through) must reject before the client is answered, so the router sees a
 * plain HTTP error — not resolve with a stream that fails on its first frame. Real upstreams: the shared mock
 * providers (Gemini's safety block in streamGenerateContent's first event, a ConverseStream whose first message is
 * a throttlingException).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AWS_TEST_CREDENTIALS } from '../../e2e/mock-providers/bedrock-sigv4.ts';
import { type FramedMockProviders, startFramedMockProviders } from '../../e2e/mock-providers/framed-server.ts';
import { type MockProviders, startMockProviders } from '../../e2e/mock-providers/index.ts';
import { emptyConfig } from '../core/config-types.ts';
import { GatewayError } from '../core/errors.ts';
import { loadPriceTable } from '../prices/price-table.ts';
import type { Deployment } from '../providers/types.ts';
import { buildDeployments } from '../router/deployments.ts';
import { openStream, prepareCallFor } from './call.ts';
import { CallLifetime } from './call-lifetime.ts';
import { openChunkStream } from './chunk-stream.ts';

let mock: MockProviders;
let framed: FramedMockProviders;
let deployments: Map<string, Deployment>;

beforeAll(async () => {
  [mock, framed] = await Promise.all([startMockProviders(), startFramedMockProviders()]);
  const config = emptyConfig();
  const gemini = (model: string) => ({ model: `gemini/${model}`, api_base: `${mock.url}/v1beta`, api_key: 'AIza-upstream-key' });
  const { accessKeyId, secretAccessKey } = AWS_TEST_CREDENTIALS;
  const bedrock = (model: string) => ({
    model: `bedrock/${model}`,
    api_base: framed.url,
    aws_access_key_id: accessKeyId,
    aws_secret_access_key: secretAccessKey,
    aws_region_name: 'us-east-1',
  });
  config.model_list.push(
    { model_name: 'flash', litellm_params: gemini('gemini-2.5-flash') },
    { model_name: 'guarded', litellm_params: gemini('flash-content-policy') },
    { model_name: 'claude', litellm_params: bedrock('anthropic.claude-3-haiku') },
    { model_name: 'throttled', litellm_params: bedrock('anthropic.claude-first-exception') },
  );
  deployments = new Map(buildDeployments(config, {}, loadPriceTable()).map((d) => [d.modelName, d]));
});
afterAll(async () => {
  await Promise.all([mock?.close(), framed?.close()]);
});

const callFor = (modelName: string) =>
  prepareCallFor(deployments.get(modelName)!, modelName, 'chat', { model: modelName, stream: true, messages: [{ role: 'user', content: 'one two' }] }, 'req-1');
const policy = { includeUsage: false, onUsage: () => undefined };

async function text(frames: AsyncIterable<string>): Promise<string> {
  let out = '';
  for await (const frame of frames) out += frame;
  return out;
}

describe('a failure in the first event of a translated stream', () => {
  it('openStream rejects with Gemini’s safety block as a content-policy error', async () => {
    const opened = openStream(callFor('guarded'), new CallLifetime(), policy);
    await expect(opened).rejects.toBeInstanceOf(GatewayError);
    await expect(opened).rejects.toMatchObject({ status: 400, code: 'content_policy_violation' });
  });

  it('openChunkStream (the Messages and Responses surfaces’ chat path) rejects the same way', async () => {
    await expect(openChunkStream(callFor('guarded'), new CallLifetime())).rejects.toMatchObject({ status: 400, code: 'content_policy_violation' });
  });

  it('openStream rejects with a first-message throttlingException as a 429 that says when to retry', async () => {
    const opened = openStream(callFor('throttled'), new CallLifetime(), policy);
    await expect(opened).rejects.toMatchObject({ status: 429, code: 'throttlingException', headers: { 'retry-after': '1' } });
  });

  it('streams a stream that starts well whole: the first frame read early is sent first', async () => {
    for (const model of ['flash', 'claude']) {
      const opened = await openStream(callFor(model), new CallLifetime(), policy);
      const sent = await text(opened.frames);
      const contents = sent
        .split('\n\n')
        .filter(Boolean)
        .map((frame) => (JSON.parse(frame.slice('data: '.length)) as { choices: { delta: { content?: string } }[] }).choices[0]?.delta.content ?? '')
        .join('');
      expect(contents, model).toBe('echo: one two');
    }
  });
});
