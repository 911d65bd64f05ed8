/** The Vertex mock: its token endpoint verifies service-account JWTs, and only its tokens open the model routes. */
import { createSign } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MockProviders, startMockProviders } from './index.ts';
import { testServiceAccount } from './vertex-token.ts';

let mock: MockProviders;
beforeAll(async () => {
  mock = await startMockProviders();
});
afterAll(() => mock.close());

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

function assertion(privateKey: string, claims: Record<string, unknown>): string {
  const unsigned = `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64(claims)}`;
  return `${unsigned}.${createSign('RSA-SHA256').update(unsigned).sign(privateKey).toString('base64url')}`;
}

async function token(body: Record<string, string>): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${mock.url}/vertex/token`, { method: 'POST', body: new URLSearchParams(body) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

const now = () => Math.floor(Date.now() / 1000);
const GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

describe('Vertex token endpoint', () => {
  it('issues a token for a JWT signed by the trusted key, refuses a tampered one, a wrong audience and an expired one', async () => {
    const sa = testServiceAccount(mock.url);
    const claims = {
      iss: sa.clientEmail,
      scope: 'https://www.googleapis.com/auth/cloud-platform',
      aud: `${mock.url}/vertex/token`,
      iat: now(),
      exp: now() + 3600,
    };
    const good = await token({ grant_type: GRANT, assertion: assertion(sa.keyFile.private_key ?? '', claims) });
    expect(good.status).toBe(200);
    expect(good.json).toMatchObject({ token_type: 'Bearer', expires_in: 3600, access_token: expect.stringMatching(/^ya29\.mock-/) });

    const [h, , s] = assertion(sa.keyFile.private_key ?? '', claims).split('.');
    const tampered = await token({ grant_type: GRANT, assertion: `${h}.${b64({ ...claims, scope: 'other' })}.${s}` });
    expect(tampered).toEqual({ status: 400, json: { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' } });
    const wrongAud = await token({ grant_type: GRANT, assertion: assertion(sa.keyFile.private_key ?? '', { ...claims, aud: 'https://elsewhere.test/token' }) });
    expect(wrongAud.json.error).toBe('invalid_grant');
    const expired = await token({ grant_type: GRANT, assertion: assertion(sa.keyFile.private_key ?? '', { ...claims, iat: now() - 7200, exp: now() - 3600 }) });
    expect(expired.json.error_description).toMatch(/iat and exp/);
  });
});

describe('Vertex model routes', () => {
  const path = '/v1/projects/p/locations/us-east5/publishers/anthropic/models/claude-sonnet-4-5:rawPredict';

  it('answer 401 UNAUTHENTICATED without an issued token, and check the Vertex anthropic_version', async () => {
    const body = JSON.stringify({ anthropic_version: 'vertex-2023-10-16', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] });
    const anonymous = await fetch(`${mock.url}${path}`, { method: 'POST', body, headers: { authorization: 'Bearer made-up' } });
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { error: { status: string } }).error.status).toBe('UNAUTHENTICATED');

    const sa = testServiceAccount(mock.url);
    const claims = { iss: sa.clientEmail, scope: 'x', aud: `${mock.url}/vertex/token`, iat: now(), exp: now() + 600 };
    const { json } = await token({ grant_type: GRANT, assertion: assertion(sa.keyFile.private_key ?? '', claims) });
    const headers = { authorization: `Bearer ${String(json.access_token)}`, 'content-type': 'application/json' };
    const answer = await fetch(`${mock.url}${path}`, { method: 'POST', body, headers });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({ type: 'message', content: [{ type: 'text', text: 'echo: hi' }], model: 'claude-sonnet-4-5' });
    const unversioned = await fetch(`${mock.url}${path}`, { method: 'POST', body: JSON.stringify({ max_tokens: 10, messages: [] }), headers });
    expect(unversioned.status).toBe(400);
  });
});
