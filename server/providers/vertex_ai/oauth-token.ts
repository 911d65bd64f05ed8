/**
 * OAuth access tokens for Google APIs, the small part of google-auth-library Vertex needs: a service account signs
 * a JWT (RS256, node:crypto) and trades it at its `token_uri` (RFC 7523 JWT bearer grant); an authorized user
 * trades its refresh token. A token is kept until shortly before it expires and shared by every request of the
 * same credentials; while one refresh is under way, concurrent requests wait for it instead of starting their own.
 * https://developers.google.com/identity/protocols/oauth2/service-account#authorizingrequests
 */
import { createHash, createSign } from 'node:crypto';
import { GatewayError } from '../../core/errors.ts';
import type { AuthorizedUserCredentials, GoogleCredentials, ServiceAccountCredentials } from './credentials.ts';

export const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';
export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
/** Google's longest assertion lifetime. */
const ASSERTION_LIFETIME_S = 3600;
/** A token is refreshed this long before it expires, so a call never starts with one about to lapse. */
const REFRESH_MARGIN_MS = 5 * 60_000;
const TOKEN_TIMEOUT_MS = 30_000;

const base64url = (data: string | Buffer): string => Buffer.from(data).toString('base64url');

/** The signed JWT a service account presents to its token_uri. */
export function signedAssertion(sa: ServiceAccountCredentials, scopes: readonly string[], nowS: number): string {
  const header = { alg: 'RS256', typ: 'JWT', ...(sa.privateKeyId ? { kid: sa.privateKeyId } : {}) };
  const claims = { iss: sa.clientEmail, scope: scopes.join(' '), aud: sa.tokenUri, iat: nowS, exp: nowS + ASSERTION_LIFETIME_S };
  const unsigned = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
  let signature: Buffer;
  try {
    signature = createSign('RSA-SHA256').update(unsigned).sign(sa.privateKey);
  } catch (err) {
    throw new GatewayError(401, `Vertex AI: the service account's private_key cannot sign (${(err as Error).message}).`, { code: 'invalid_credentials' });
  }
  return `${unsigned}.${base64url(signature)}`;
}

function tokenRequestBody(creds: GoogleCredentials, scopes: readonly string[], nowS: number): URLSearchParams {
  if (creds.type === 'service_account') return new URLSearchParams({ grant_type: JWT_BEARER_GRANT, assertion: signedAssertion(creds, scopes, nowS) });
  const user: AuthorizedUserCredentials = creds;
  return new URLSearchParams({
    grant_type: 'refresh_token',
    client_id: user.clientId,
    client_secret: user.clientSecret,
    refresh_token: user.refreshToken,
  });
}

export interface AccessToken {
  token: string;
  /** Epoch ms. */
  expiresAt: number;
}

/** One token exchange. A refusal (bad key, revoked refresh token) is a 401; anything else is the token service failing. */
export async function fetchAccessToken(creds: GoogleCredentials, scopes: readonly string[], now = Date.now()): Promise<AccessToken> {
  const body = tokenRequestBody(creds, scopes, Math.floor(now / 1000));
  let res: Response;
  try {
    res = await fetch(creds.tokenUri, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
      signal: AbortSignal.timeout(TOKEN_TIMEOUT_MS),
    });
  } catch (err) {
    throw new GatewayError(502, `Vertex AI: cannot reach the token endpoint ${creds.tokenUri}: ${(err as Error).message}`, { code: 'token_exchange_failed' });
  }
  const text = await res.text();
  let parsed: Record<string, unknown> = {};
  try {
    const json: unknown = JSON.parse(text);
    if (typeof json === 'object' && json !== null) parsed = json as Record<string, unknown>;
  } catch {
    // Described from the status below.
  }
  if (!res.ok || typeof parsed.access_token !== 'string') {
    const why = [parsed.error, parsed.error_description].filter((s) => typeof s === 'string').join(': ') || `HTTP ${res.status}`;
    const refused = res.status === 400 || res.status === 401 || res.status === 403;
    throw new GatewayError(refused ? 401 : 502, `Vertex AI: the token endpoint refused the credentials (${why}).`, {
      code: refused ? 'invalid_credentials' : 'token_exchange_failed',
    });
  }
  const expiresIn = typeof parsed.expires_in === 'number' ? parsed.expires_in : ASSERTION_LIFETIME_S;
  return { token: parsed.access_token, expiresAt: now + expiresIn * 1000 };
}

type Fetcher = (creds: GoogleCredentials, scopes: readonly string[]) => Promise<AccessToken>;

/** Tokens per credentials (and scopes), refreshed one at a time. */
export class TokenCache {
  private readonly entries = new Map<string, { current?: AccessToken; refreshAt?: number; pending?: Promise<AccessToken> | undefined }>();

  constructor(
    private readonly fetcher: Fetcher = fetchAccessToken,
    private readonly clock: () => number = Date.now,
  ) {}

  async token(creds: GoogleCredentials, scopes: readonly string[]): Promise<string> {
    const key = cacheKey(creds, scopes);
    let entry = this.entries.get(key);
    if (!entry) {
      entry = {};
      this.entries.set(key, entry);
    }
    const { current, refreshAt } = entry;
    if (current && refreshAt !== undefined && this.clock() < refreshAt) return current.token;
    const slot = entry;
    const obtainedAt = this.clock();
    slot.pending ??= this.fetcher(creds, scopes)
      .then((fresh) => {
        slot.current = fresh;
        // A short-lived token is refreshed at half its life rather than never counting as fresh.
        slot.refreshAt = fresh.expiresAt - Math.min(REFRESH_MARGIN_MS, (fresh.expiresAt - obtainedAt) / 2);
        return fresh;
      })
      .finally(() => {
        slot.pending = undefined;
      });
    return (await slot.pending).token;
  }
}

/** Never the key itself: a hash of who the credentials are, so two deployments of one account share a token. */
function cacheKey(creds: GoogleCredentials, scopes: readonly string[]): string {
  const who = creds.type === 'service_account' ? `${creds.clientEmail}\0${creds.privateKey}` : `${creds.clientId}\0${creds.refreshToken}`;
  return createHash('sha256')
    .update(`${creds.tokenUri}\0${who}\0${scopes.join(' ')}`)
    .digest('hex');
}

/** The gateway's one cache: every Vertex deployment's calls share it. */
export const googleTokens = new TokenCache();
