/** A Bedrock deployment and call context for the unit tests (SigV4 credentials in litellm_params). */
import type { CallContext, Deployment } from '../types.ts';
import { testCallContext, testDeployment } from '../../test-support/fixtures.ts';

export const BEDROCK_MODEL = 'anthropic.claude-3-haiku-20240307-v1:0';

export function bedrockDeployment(overrides: Partial<Deployment> = {}): Deployment {
  return testDeployment({
    provider: 'bedrock',
    upstreamModel: BEDROCK_MODEL,
    apiBase: 'https://bedrock-runtime.us-east-1.amazonaws.com',
    apiKey: undefined,
    params: { model: `bedrock/${BEDROCK_MODEL}`, aws_access_key_id: 'AKIDEXAMPLE', aws_secret_access_key: 'secret', aws_region_name: 'us-east-1' },
    ...overrides,
  });
}

export function bedrockCall(
  body: Record<string, unknown>,
  options: { stream?: boolean; deployment?: Partial<Deployment>; endpoint?: 'chat' | 'embeddings' } = {},
): CallContext {
  return { ...testCallContext(body, { stream: options.stream, endpoint: options.endpoint }), deployment: bedrockDeployment(options.deployment) };
}
