import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServiceAccount, trustAuthorizedUser, vertexTokenReply, isIssuedToken } from '../../../e2e/mock-providers/vertex-token.ts';
import { GatewayError } from '../../core/errors.ts';
import { credentialsFromJson, type GoogleCredentials } from './credentials.ts';
import { CLOUD_PLATFORM_SCOPE, TokenCache, fetchAccessToken, signedAssertion } from './oauth-token.ts';

/** The mock's token endpoint alone, on a port of its own. */
let server: Server;
let url: string;
let exchanges = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      exchanges++;
      const reply = vertexTokenReply(req, Buffer.concat(chunks).toString('utf8'));
      if (reply.kind !== 'json') throw new Error('token endpoint streams nothing');
      res.writeHead(reply.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const decode = (part: string | undefined) => JSON.parse(Buffer.from(part ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;

describe('service-account JWT', () => {
  it('is an RS256 JWT from the client email to the token_uri, for the cloud-platform scope, valid one hour', () => {
    const account = testServiceAccount(url);
    const creds = credentialsFromJson(account.keyFile);
    const [header, claims] = signedAssertion(creds as Extract<GoogleCredentials, { type: 'service_account' }>, [CLOUD_PLATFORM_SCOPE], 1_700_000_000).split(
      '.',
    );
    expect(decode(header)).toEqual({ alg: 'RS256', typ: 'JWT', kid: account.keyFile.private_key_id });
    expect(decode(claims)).toEqual({
      iss: account.clientEmail,
      scope: CLOUD_PLATFORM_SCOPE,
      aud: `${url}/vertex/token`,
      iat: 1_700_000_000,
      exp: 1_700_003_600,
    });
  });

  it('is exchanged for a token the mock issued (the mock verifies the signature with the public key)', async () => {
    const account = testServiceAccount(url);
    const token = await fetchAccessToken(credentialsFromJson(account.keyFile), [CLOUD_PLATFORM_SCOPE], Date.now());
    expect(isIssuedToken(`Bearer ${token.token}`)).toBe(true);
    expect(token.expiresAt).toBeGreaterThan(Date.now() + 3500_000);
  });

  it('signed by another key is refused as a 401 naming Google’s reason', async () => {
    const trusted = testServiceAccount(url);
    const impostor = testServiceAccount(url, { trusted: false });
    const forged = credentialsFromJson({ ...impostor.keyFile, client_email: trusted.clientEmail });
    const err = await fetchAccessToken(forged, [CLOUD_PLATFORM_SCOPE]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GatewayError);
    expect((err as GatewayError).status).toBe(401);
    expect((err as GatewayError).message).toContain('Invalid JWT Signature');
  });

  it('an unreachable token endpoint is a 502', async () => {
    const account = testServiceAccount('http://127.0.0.1:1');
    const err = await fetchAccessToken(credentialsFromJson(account.keyFile), [CLOUD_PLATFORM_SCOPE]).catch((e: unknown) => e);
    expect((err as GatewayError).status).toBe(502);
  });
});

describe('authorized user (ADC refresh token)', () => {
  it('trades its refresh token', async () => {
    trustAuthorizedUser('client-1.apps.googleusercontent.com', 'secret-1', 'refresh-1');
    const creds = credentialsFromJson({
      type: 'authorized_user',
      client_id: 'client-1.apps.googleusercontent.com',
      client_secret: 'secret-1',
      refresh_token: 'refresh-1',
      token_uri: `${url}/vertex/token`,
    });
    const token = await fetchAccessToken(creds, [CLOUD_PLATFORM_SCOPE]);
    expect(isIssuedToken(`Bearer ${token.token}`)).toBe(true);
    const revoked = { ...creds, refreshToken: 'refresh-2' };
    expect(((await fetchAccessToken(revoked, [CLOUD_PLATFORM_SCOPE]).catch((e: unknown) => e)) as GatewayError).status).toBe(401);
  });
});

describe('TokenCache', () => {
  it('exchanges once for concurrent calls and reuses the token until shortly before it expires', async () => {
    let now = 1_000_000;
    const creds = credentialsFromJson(testServiceAccount(url).keyFile);
    // Real exchanges (the mock checks iat against its clock); the cache reads a clock of the test's.
    const cache = new TokenCache(
      async (c, s) => ({ ...(await fetchAccessToken(c, s)), expiresAt: now + 3600_000 }),
      () => now,
    );
    const before = exchanges;
    const tokens = await Promise.all([1, 2, 3, 4].map(() => cache.token(creds, [CLOUD_PLATFORM_SCOPE])));
    expect(new Set(tokens).size).toBe(1);
    expect(exchanges - before).toBe(1);
    now += 54 * 60_000; // 6 minutes left: still fresh
    expect(await cache.token(creds, [CLOUD_PLATFORM_SCOPE])).toBe(tokens[0]);
    expect(exchanges - before).toBe(1);
    now += 2 * 60_000; // 4 minutes left: refreshed
    const refreshed = await cache.token(creds, [CLOUD_PLATFORM_SCOPE]);
    expect(refreshed).not.toBe(tokens[0]);
    expect(exchanges - before).toBe(2);
  });

  it('a failed refresh is not cached: the next call tries again', async () => {
    let calls = 0;
    const creds = credentialsFromJson(testServiceAccount(url).keyFile);
    const cache = new TokenCache(async () => {
      calls++;
      if (calls === 1) throw new GatewayError(502, 'down');
      return { token: 'ya29.second', expiresAt: Date.now() + 3600_000 };
    });
    await expect(cache.token(creds, [CLOUD_PLATFORM_SCOPE])).rejects.toThrow('down');
    expect(await cache.token(creds, [CLOUD_PLATFORM_SCOPE])).toBe('ya29.second');
  });
});
