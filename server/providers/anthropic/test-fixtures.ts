/** Deployment and call-context builders shared by this adapter's tests: the shared test fixtures, made Anthropic. */
import { testCallContext, testDeployment } from '../../test-support/fixtures.ts';
import type { CallContext, Deployment } from '../types.ts';

const ANTHROPIC: Partial<Deployment> = {
  id: 'dep-claude',
  modelName: 'claude',
  provider: 'anthropic',
  upstreamModel: 'claude-sonnet-4-5',
  apiBase: 'https://api.anthropic.com',
  apiKey: 'sk-ant-test',
  params: { model: 'anthropic/claude-sonnet-4-5' },
  streamTimeoutMs: 60_000,
};

export function anthropicDeployment(overrides: Partial<Deployment> = {}): Deployment {
  return testDeployment({ ...ANTHROPIC, ...overrides });
}

export function chatContext(body: Record<string, unknown>, options: { stream?: boolean; deployment?: Partial<Deployment> } = {}): CallContext {
  const ctx = testCallContext({ model: 'claude', ...body }, { stream: options.stream, deployment: { ...ANTHROPIC, ...options.deployment } });
  return { ...ctx, requestId: 'req-1' };
}
