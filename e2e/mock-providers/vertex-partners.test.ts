/** The Vertex mock's partner-model routes check what the real ones check: a token, the MaaS model name, Mistral's body. */
import { createSign } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MockProviders, startMockProviders } from './index.ts';
import { testServiceAccount } from './vertex-token.ts';

let mock: MockProviders;
let headers: Record<string, string>;

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

beforeAll(async () => {
  mock = await startMockProviders();
  const sa = testServiceAccount(mock.url);
  const now = Math.floor(Date.now() / 1000);
  const unsigned = `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64({ iss: sa.clientEmail, scope: 'x', aud: `${mock.url}/vertex/token`, iat: now, exp: now + 600 })}`;
  const jwt = `${unsigned}.${createSign('RSA-SHA256')
    .update(unsigned)
    .sign(sa.keyFile.private_key ?? '')
    .toString('base64url')}`;
  const res = await fetch(`${mock.url}/vertex/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: jwt }),
  });
  const { access_token } = (await res.json()) as { access_token: string };
  headers = { authorization: `Bearer ${access_token}`, 'content-type': 'application/json' };
});
afterAll(() => mock.close());

const post = async (path: string, body: unknown, auth = true) => {
  const res = await fetch(`${mock.url}${path}`, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: auth ? headers : { 'content-type': 'application/json' },
  });
  return { status: res.status, json: (await res.json()) as Record<string, any> };
};

const messages = [{ role: 'user', content: 'hi' }];
const OPENAPI = '/v1beta1/projects/p/locations/us-east5/endpoints/openapi/chat/completions';
const MISTRAL = '/v1/projects/p/locations/us-central1/publishers/mistralai/models/mistral-large@2407';

describe('Vertex partner routes on the mock', () => {
  it('openapi: a token and a publisher/model name are required; the answer is an OpenAI chat completion', async () => {
    expect((await post(OPENAPI, { model: 'meta/llama-3.1-8b-instruct-maas', messages }, false)).status).toBe(401);
    expect((await post(OPENAPI, { model: 'llama-3.1-8b-instruct-maas', messages })).status).toBe(400);
    const ok = await post(OPENAPI, { model: 'meta/llama-3.1-8b-instruct-maas', messages });
    expect(ok).toMatchObject({
      status: 200,
      json: { object: 'chat.completion', model: 'meta/llama-3.1-8b-instruct-maas', choices: [{ message: { content: 'echo: hi' } }] },
    });
  });

  it('a deployed endpoint answers without a model', async () => {
    const ok = await post('/v1/projects/p/locations/us-east5/endpoints/123456/chat/completions', { messages });
    expect(ok).toMatchObject({ status: 200, json: { model: 'endpoint-123456' } });
  });

  it('Mistral: the unversioned model in the body, no extra fields, stream only at streamRawPredict', async () => {
    expect((await post(`${MISTRAL}:rawPredict`, { model: 'mistral-large@2407', messages })).status).toBe(422);
    expect((await post(`${MISTRAL}:rawPredict`, { model: 'mistral-large', messages, stream_options: { include_usage: true } })).json.message).toMatch(
      /stream_options: Extra inputs are not permitted/,
    );
    expect((await post(`${MISTRAL}:streamRawPredict`, { model: 'mistral-large', messages })).status).toBe(422);
    const ok = await post(`${MISTRAL}:rawPredict`, { model: 'mistral-large', messages, max_tokens: 20 });
    expect(ok).toMatchObject({ status: 200, json: { model: 'mistral-large', usage: { prompt_tokens: expect.any(Number) } } });
  });
});
