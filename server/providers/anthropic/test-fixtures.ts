/** Deployment and call-context builders shared by this adapter's tests. */
import type { CallContext, Deployment } from '../types.ts';

export function anthropicDeployment(overrides: Partial<Deployment> = {}): Deployment {
  return {
    id: 'dep-claude',
    modelName: 'claude',
    provider: 'anthropic',
    upstreamModel: 'claude-sonnet-4-5',
    apiBase: 'https://api.anthropic.com',
    apiKey: 'sk-ant-test',
    params: { model: 'anthropic/claude-sonnet-4-5' },
    timeoutMs: 600_000,
    streamTimeoutMs: 60_000,
    dropParams: false,
    defaults: {},
    headers: {},
    modelInfo: {},
    ...overrides,
  };
}

export function chatContext(
  body: Record<string, unknown>,
  options: { stream?: boolean; deployment?: Partial<Deployment> } = {},
): CallContext {
  return {
    endpoint: 'chat',
    body: { model: 'claude', ...body },
    deployment: anthropicDeployment(options.deployment),
    stream: options.stream ?? false,
    requestId: 'req-1',
  };
}
