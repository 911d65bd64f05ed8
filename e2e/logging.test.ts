/** --debug logs one line per request; --detailed_debug adds the upstream request as curl with the secret masked. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseConfig } from '../server/config/index.ts';
import { createGateway, type Gateway } from '../server/gateway.ts';
import { createLogger } from '../server/observe/logger.ts';
import { startMockProviders, type MockProviders } from './mock-providers/index.ts';

const SECRET = 'sk-upstream-secret-0123456789';
let mock: MockProviders;
let gateway: Gateway;
let url: string;
const { logger, ring } = createLogger({ level: 'trace', destination: null });

beforeAll(async () => {
  mock = await startMockProviders();
  const yaml =
    `model_list:\n  - model_name: gpt-4o\n    litellm_params: { model: openai/gpt-4o, api_base: "${mock.url}/v1", api_key: os.environ/KEY }\n` +
    `  - model_name: failing\n    litellm_params: { model: openai/gpt-4o-error-500, api_base: "${mock.url}/v1", api_key: os.environ/KEY }\n` +
    `router_settings:\n  fallbacks: [{ failing: [gpt-4o] }]\n`;
  const loaded = parseConfig(yaml, 'config.yaml', { env: { KEY: SECRET } });
  gateway = await createGateway({ config: loaded.resolved, env: loaded.env, port: 0, logger, ring });
  url = await gateway.listen();
});
afterAll(async () => {
  await gateway?.close();
  await mock?.close();
});

it('logs each request once, the upstream call as a masked curl command, and never the secret', async () => {
  const res = await fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'log me' }] }),
  });
  expect(res.status).toBe(200);
  const lines = ring.tail().map((l) => JSON.parse(l) as { msg: string; status?: number; deployment?: string; prompt_tokens?: number });
  const requestLines = lines.filter((l) => l.msg === 'request');
  expect(requestLines).toHaveLength(1);
  expect(requestLines[0]).toMatchObject({ status: 200, deployment: 'openai/gpt-4o' });
  expect(requestLines[0]?.prompt_tokens).toBeGreaterThan(0);
  const curl = lines.find((l) => l.msg.includes('curl -X POST'));
  expect(curl?.msg).toContain(`${mock.url}/v1/chat/completions`);
  expect(curl?.msg).toContain('authorization: Bearer sk-…6789');
  expect(ring.tail().join('\n')).not.toContain(SECRET);
});

it('logs why a request was served elsewhere: the failed attempt, then the fallback', async () => {
  const res = await fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'failing', messages: [{ role: 'user', content: 'fall back' }] }),
  });
  expect(res.status).toBe(200);
  const requestId = res.headers.get('x-litellm-call-id');
  const lines = ring
    .tail()
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((l) => l.requestId === requestId);
  expect(lines.find((l) => l.msg === 'attempt failed')).toMatchObject({
    model: 'failing',
    deployment: 'openai/gpt-4o-error-500',
    status: 502,
    failure: 'deployment',
    retrying: false,
  });
  expect(lines.find((l) => l.msg === 'falling back')).toMatchObject({ from: 'failing', to: 'gpt-4o' });
  expect(lines.find((l) => l.msg === 'request')).toMatchObject({ status: 200, deployment: 'openai/gpt-4o' });
});
