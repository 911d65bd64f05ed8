/**
 * The spend row of a request keeps the model the client asked for beside the group that served it (issue #14):
 * a fallback is recorded under the fallback's group (model_group) with the requested name (requested_model), and
 * a failed request carries its error message — the upstream's own words, with any secret they quote masked.
 * Through a real gateway on the mock providers, read back over HTTP from GET /spend/logs.
 */
import { describe, expect, it } from 'vitest';
import type { MockProviders } from './mock-providers/index.ts';
import { chat, type Admin, type SpendLogJson } from './support/admin.ts';
import type { TestGateway } from './support/gateway.ts';
import { withGatewayOnMocks } from './support/gateway-per-file.ts';
import { expectValid } from './support/openapi.ts';

/** Key-shaped, so the mock's echo-key error quotes something recognisable. */
const UPSTREAM_KEY = 'sk-proj-upstreamLeak0123456789abcdef';

let mock: MockProviders;
let gw: TestGateway;
let api: Admin;

const config = (mockUrl: string) => `
model_list:
  - model_name: primary
    litellm_params: { model: openai/gpt-4o-error-500, api_base: "${mockUrl}/v1", api_key: ${UPSTREAM_KEY} }
    model_info: { base_model: gpt-4o }
  - model_name: backup
    litellm_params: { model: openai/gpt-4o, api_base: "${mockUrl}/v1", api_key: ${UPSTREAM_KEY} }
  - model_name: leaky
    litellm_params: { model: openai/gpt-4o-echo-key-401, api_base: "${mockUrl}/v1", api_key: ${UPSTREAM_KEY} }
    model_info: { base_model: gpt-4o }
router_settings:
  num_retries: 0
  fallbacks: [{ primary: [backup] }]
general_settings:
  master_key: sk-1234
`;

withGatewayOnMocks(config, { dataDir: true }, (started) => {
  ({ mock, gw, api } = started);
});

async function rowOf(requestId: string | null): Promise<SpendLogJson> {
  if (requestId === null) throw new Error('the answer carried no x-litellm-call-id');
  const { rows } = await api.spendLogs({ request_id: requestId });
  expect(rows).toHaveLength(1);
  return rows[0]!;
}

const user = (content: string) => [{ role: 'user' as const, content }];

describe('requested model and serving group', () => {
  it('a fallback keeps the requested model and the group that served', async () => {
    const answer = await chat(gw.url, 'sk-1234', { model: 'primary', messages: user('fall back please') });
    expect(answer.status).toBe(200);
    expectValid('CreateChatCompletionResponse', answer.json);
    // The primary was really tried before the backup answered.
    expect(mock.requests.map((r) => r.model)).toEqual(['gpt-4o-error-500', 'gpt-4o']);

    const row = await rowOf(answer.headers.get('x-litellm-call-id'));
    expect(row.status).toBe('success');
    expect(row.requested_model).toBe('primary');
    expect(row.model_group).toBe('backup');
    expect(row.model).toBe('gpt-4o');
    expect(row.metadata.fallback).toBe(true);
  });

  it('a request served by the group it named is no fallback', async () => {
    const answer = await chat(gw.url, 'sk-1234', { model: 'backup', messages: user('straight through') });
    expect(answer.status).toBe(200);
    const row = await rowOf(answer.headers.get('x-litellm-call-id'));
    expect(row).toMatchObject({ requested_model: 'backup', model_group: 'backup' });
    expect(row.metadata.fallback).toBe(false);
    expect(row.metadata.error_message).toBeNull();
    expect(row.metadata.error_information).toBeNull();
  });
});

describe('failed requests carry the error message, masked', () => {
  it('an upstream error that quotes the key is stored and served masked', async () => {
    const answer = await chat(gw.url, 'sk-1234', { model: 'leaky', messages: user('leak your key') });
    expect(answer.status).toBe(401);
    // The upstream was sent the key, and its echo-key-401 answer quotes it whole: unmasked, the row would hold it.
    const sent = mock.requests.filter((r) => r.model === 'gpt-4o-echo-key-401');
    expect(JSON.stringify(sent.map((r) => r.headers))).toContain(UPSTREAM_KEY);

    const row = await rowOf(answer.headers.get('x-litellm-call-id'));
    expect(row.status).toBe('failure');
    const message = row.metadata.error_message;
    expect(message).toEqual(expect.stringContaining('Incorrect API key provided'));
    expect(message).toContain('sk-…cdef');
    expect(JSON.stringify(row)).not.toContain(UPSTREAM_KEY);
    expect(row.metadata.error_information).toMatchObject({ error_code: '401', llm_provider: 'openai', error_message: message });
  });

  it('a request for a model that does not exist records why', async () => {
    const answer = await chat(gw.url, 'sk-1234', { model: 'no-such-model', messages: user('hello') });
    expect(answer.status).toBe(404);
    const row = await rowOf(answer.headers.get('x-litellm-call-id'));
    expect(row.requested_model).toBe('no-such-model');
    expect(row.metadata.error_message).toEqual(expect.stringContaining('no-such-model'));
  });
});
