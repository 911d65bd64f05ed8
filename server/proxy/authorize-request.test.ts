/**
 * call.ts's `authorized()`: a descriptor's authorizeRequest that fails with something other than a GatewayError (a
 * credential source or token exchange failing with a plain Error, as a network failure does) is the deployment's
 * failure — a 502 upstream_auth_failed that the router falls back from — not a crash. Through a real gateway
 * (createGateway + inject) on the framed mock, with the real bedrock/ descriptor whose signer is made to fail for
 * one model (the registry is wrapped: no real credential source fails on demand).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { AWS_TEST_CREDENTIALS } from '../../e2e/mock-providers/bedrock-sigv4.ts';
import { type FramedMockProviders, startFramedMockProviders } from '../../e2e/mock-providers/framed-server.ts';
import { emptyConfig, type GatewayConfig } from '../core/config-types.ts';
import { createGateway, type Gateway } from '../gateway.ts';
import { createLogger } from '../observe/logger.ts';

/** What a credential lookup throws when the network is down: a plain Error, not a GatewayError. */
const NETWORK_FAILURE = 'connect ECONNREFUSED 169.254.169.254:80';

vi.mock('../providers/registry.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../providers/registry.ts')>();
  const bedrock = real.getProvider('bedrock')!;
  const failing = {
    ...bedrock,
    authorizeRequest: (req: Parameters<NonNullable<typeof bedrock.authorizeRequest>>[0], d: Parameters<NonNullable<typeof bedrock.authorizeRequest>>[1]) =>
      d.upstreamModel.includes('unsignable') ? Promise.reject(new Error(NETWORK_FAILURE)) : bedrock.authorizeRequest!(req, d),
  };
  return { ...real, getProvider: (prefix: string) => (prefix === 'bedrock' ? failing : real.getProvider(prefix)) };
});

const MASTER_KEY = 'sk-master-authorize-0123456789';
const { logger, ring } = createLogger({ level: 'silent', destination: null });

let framed: FramedMockProviders;
let g: Gateway;

beforeAll(async () => {
  framed = await startFramedMockProviders();
  const { accessKeyId, secretAccessKey } = AWS_TEST_CREDENTIALS;
  const bedrock = (model: string) => ({
    model: `bedrock/${model}`,
    api_base: framed.url,
    aws_access_key_id: accessKeyId,
    aws_secret_access_key: secretAccessKey,
    aws_region_name: 'us-east-1',
  });
  const config: GatewayConfig = emptyConfig();
  config.model_list.push(
    { model_name: 'claude', litellm_params: bedrock('anthropic.claude-3-haiku') },
    { model_name: 'unsignable', litellm_params: bedrock('anthropic.claude-unsignable') },
    { model_name: 'unsignable-alone', litellm_params: bedrock('anthropic.claude-unsignable-alone') },
  );
  config.litellm_settings = { num_retries: 0, fallbacks: [{ unsignable: ['claude'] }] };
  config.general_settings.master_key = MASTER_KEY;
  g = await createGateway({ config, logger, ring, env: {} });
});
afterAll(async () => {
  await g?.close();
  await framed?.close();
});
beforeEach(() => framed.reset());

const chat = (model: string, stream = false) =>
  g.app.inject({
    method: 'POST',
    url: '/v1/chat/completions',
    headers: { authorization: `Bearer ${MASTER_KEY}`, 'content-type': 'application/json' },
    payload: { model, stream, messages: [{ role: 'user', content: 'one two' }] },
  });

describe('an authorizeRequest that fails with a plain Error', () => {
  it('is a 502 upstream_auth_failed naming the provider and the cause; nothing is sent upstream', async () => {
    for (const stream of [false, true]) {
      const res = await chat('unsignable-alone', stream);
      expect(res.statusCode, `stream: ${stream}`).toBe(502);
      const { error } = res.json() as { error: { code: string; message: string } };
      expect(error.code).toBe('upstream_auth_failed');
      expect(error.message).toBe(`Could not authorize the request to bedrock: ${NETWORK_FAILURE}`);
    }
    expect(framed.requests).toHaveLength(0);
  });

  it('is the deployment’s failure: the request falls back', async () => {
    const res = await chat('unsignable');
    expect(res.statusCode).toBe(200);
    expect((res.json() as { choices: { message: { content: string } }[] }).choices[0]?.message.content).toBe('echo: one two');
    expect(framed.requests.map((r) => r.target)).toEqual(['anthropic.claude-3-haiku']);
  });
});
