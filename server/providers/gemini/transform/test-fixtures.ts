/** Deployment and call-context builders shared by the Gemini transform tests. */
import { testCallContext, testDeployment } from '../../../test-support/fixtures.ts';
import type { CallContext, Deployment } from '../../types.ts';

const GEMINI: Partial<Deployment> = {
  id: 'dep-gemini',
  modelName: 'gemini',
  provider: 'gemini',
  upstreamModel: 'gemini-2.5-flash',
  apiBase: 'https://generativelanguage.googleapis.com/v1beta',
  apiKey: 'AIza-test',
  params: { model: 'gemini/gemini-2.5-flash' },
};

export function geminiDeployment(overrides: Partial<Deployment> = {}): Deployment {
  return testDeployment({ ...GEMINI, ...overrides });
}

export function geminiContext(body: Record<string, unknown>, options: { stream?: boolean; deployment?: Partial<Deployment> } = {}): CallContext {
  const ctx = testCallContext({ model: 'gemini', ...body }, { stream: options.stream, deployment: { ...GEMINI, ...options.deployment } });
  return { ...ctx, requestId: 'req-1' };
}
