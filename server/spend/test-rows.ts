/** SpendRow factory for tests. */
import type { SpendRow } from './spend-log.ts';

export const DAY_MS = 86_400_000;
/** 2025-03-10T00:00:00Z */
export const MAR_10 = Date.UTC(2025, 2, 10);

let sequence = 0;

export function spendRow(overrides: Partial<SpendRow> = {}): SpendRow {
  const startTime = overrides.startTime ?? MAR_10 + 3_600_000;
  return {
    requestId: `req-${++sequence}`,
    keyId: 'key-a',
    keyHash: 'a'.repeat(64),
    keyAlias: 'alice',
    endpoint: 'chat',
    modelGroup: 'gpt-4o',
    requestedModel: 'gpt-4o',
    deploymentId: 'dep-1',
    provider: 'openai',
    apiBase: 'https://api.openai.com/v1',
    model: 'gpt-4o',
    promptTokens: 10,
    completionTokens: 5,
    cachedTokens: 0,
    cacheCreationTokens: 0,
    totalTokens: 15,
    costNanos: 75_000,
    startTime,
    endTime: startTime + 250,
    durationMs: 250.5,
    ttftMs: null,
    stream: false,
    status: 'success',
    httpStatus: 200,
    errorType: null,
    endUser: null,
    usageSource: 'provider',
    cacheHit: false,
    costSource: 'price_table',
    errorMessage: null,
    ...overrides,
  };
}
