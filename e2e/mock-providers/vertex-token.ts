/**
 * Google's OAuth token endpoint as Vertex AI clients meet it (`token_uri` of a service-account key file), served by
 * the mock at POST /vertex/token:
 * - `grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=<JWT>` — the JWT is checked as Google does:
 *   RS256 signature against the public key of the trusted service account named by `iss`, `aud` = this endpoint's
 *   URL, a `scope`, `iat`/`exp` around now (at most an hour apart);
 * - `grant_type=refresh_token` with a trusted authorized user's client_id / client_secret / refresh_token.
 * Answers `{access_token, expires_in, token_type: "Bearer"}`, or 400 `{error: "invalid_grant", error_description}`.
 * Only tokens it issued open the Vertex routes (vertex.ts).
 * https://developers.google.com/identity/protocols/oauth2/service-account#httprest
 * https://datatracker.ietf.org/doc/html/rfc7523#section-3
 */
import { createVerify, generateKeyPairSync, randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { MockReply } from './http.ts';

export const VERTEX_TOKEN_PATH = '/vertex/token';
const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const CLOCK_SKEW_S = 300;

interface TrustedAccount {
  publicKeyPem: string;
  expiresInS: number;
}

interface TrustedUser {
  clientSecret: string;
  refreshToken: string;
  expiresInS: number;
}

/** Process-wide, as Google's own directory is: every mock server trusts the accounts a test registered. */
const accounts = new Map<string, TrustedAccount>();
const users = new Map<string, TrustedUser>();
const issued = new Set<string>();
/** Every exchange the endpoint answered with a token, oldest first (tests count refreshes with it). */
export const vertexTokenGrants: { grantType: string; subject: string; token: string }[] = [];

/** Trust a service account: assertions signed by the private half of `publicKeyPem` and naming `clientEmail` get tokens. */
export function trustServiceAccount(clientEmail: string, publicKeyPem: string, expiresInS = 3600): void {
  accounts.set(clientEmail, { publicKeyPem, expiresInS });
}

export function trustAuthorizedUser(clientId: string, clientSecret: string, refreshToken: string, expiresInS = 3600): void {
  users.set(clientId, { clientSecret, refreshToken, expiresInS });
}

/** Whether `authorization` carries a token this endpoint issued. */
export function isIssuedToken(authorization: string | undefined): boolean {
  const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  return token !== undefined && issued.has(token);
}

export interface TestServiceAccount {
  clientEmail: string;
  /** The key file's JSON contents, as `vertex_credentials` takes them. */
  keyFile: Record<string, string>;
  publicKeyPem: string;
}

/**
 * A fresh RSA key pair and the key file Google would hand out for it, its `token_uri` this mock's endpoint; trusted
 * by the mock at once (`trusted: false` to get one the mock refuses).
 */
export function testServiceAccount(mockUrl: string, options: { clientEmail?: string; trusted?: boolean; expiresInS?: number } = {}): TestServiceAccount {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const clientEmail = options.clientEmail ?? `gateway-${randomBytes(4).toString('hex')}@mock-project.iam.gserviceaccount.com`;
  if (options.trusted !== false) trustServiceAccount(clientEmail, publicKeyPem, options.expiresInS);
  return {
    clientEmail,
    publicKeyPem,
    keyFile: {
      type: 'service_account',
      project_id: 'mock-project',
      private_key_id: randomBytes(20).toString('hex'),
      private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      client_email: clientEmail,
      client_id: '100000000000000000001',
      token_uri: `${mockUrl}${VERTEX_TOKEN_PATH}`,
    },
  };
}

const refuse = (description: string): MockReply => ({ kind: 'json', status: 400, body: { error: 'invalid_grant', error_description: description } });

function grant(expiresInS: number, grantType: string, subject: string): MockReply {
  const token = `ya29.mock-${randomBytes(16).toString('hex')}`;
  issued.add(token);
  vertexTokenGrants.push({ grantType, subject, token });
  return { kind: 'json', status: 200, body: { access_token: token, expires_in: expiresInS, token_type: 'Bearer' } };
}

function decodePart(part: string | undefined): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(part ?? '', 'base64url').toString('utf8'));
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function jwtBearer(assertion: string, audience: string): MockReply {
  const [headerPart, claimsPart, signaturePart] = assertion.split('.');
  const header = decodePart(headerPart);
  const claims = decodePart(claimsPart);
  if (!header || !claims || signaturePart === undefined)
    return refuse('Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe.');
  if (header.alg !== 'RS256') return refuse(`Invalid JWT: unsupported algorithm ${String(header.alg)}.`);
  const account = typeof claims.iss === 'string' ? accounts.get(claims.iss) : undefined;
  if (!account) return refuse('Invalid grant: account not found');
  const signed = createVerify('RSA-SHA256').update(`${headerPart}.${claimsPart}`).verify(account.publicKeyPem, Buffer.from(signaturePart, 'base64url'));
  if (!signed) return refuse('Invalid JWT Signature.');
  if (claims.aud !== audience) return refuse(`Invalid JWT: audience ${String(claims.aud)} is not ${audience}.`);
  if (typeof claims.scope !== 'string' || claims.scope === '') return refuse('Invalid OAuth scope or ID token audience provided.');
  const now = Date.now() / 1000;
  const { iat, exp } = claims;
  if (typeof iat !== 'number' || typeof exp !== 'number' || iat > now + CLOCK_SKEW_S || exp < now || exp - iat > 3600) {
    return refuse('Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.');
  }
  return grant(account.expiresInS, JWT_BEARER_GRANT, claims.iss as string);
}

/** POST /vertex/token with its form body (the mock records it as raw text). */
export function vertexTokenReply(req: IncomingMessage, rawBody: unknown): MockReply {
  const form = new URLSearchParams(typeof rawBody === 'string' ? rawBody : '');
  const grantType = form.get('grant_type');
  if (grantType === JWT_BEARER_GRANT) return jwtBearer(form.get('assertion') ?? '', `http://${req.headers.host}${VERTEX_TOKEN_PATH}`);
  if (grantType === 'refresh_token') {
    const user = users.get(form.get('client_id') ?? '');
    if (!user || user.clientSecret !== form.get('client_secret'))
      return { kind: 'json', status: 401, body: { error: 'invalid_client', error_description: 'The OAuth client was not found.' } };
    if (user.refreshToken !== form.get('refresh_token')) return refuse('Bad Request');
    return grant(user.expiresInS, 'refresh_token', form.get('client_id') ?? '');
  }
  return { kind: 'json', status: 400, body: { error: 'unsupported_grant_type', error_description: `Invalid grant_type: ${grantType ?? ''}` } };
}
