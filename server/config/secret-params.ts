/**
 * Which litellm_params hold secrets, and what to do with them: config.yaml keeps references (`os.environ/VAR`,
 * `keychain/NAME`), never values, and answers show references as written and literal values masked.
 */
import { maskHeaders, maskSecret } from '../observe/mask.ts';
import { ENV_PREFIX, isPlainObject, parseReference, type ReferenceResolvers } from './resolve.ts';

/** The keychain scheme (secrets/secret-resolvers.ts), known here so it counts as a reference even without a resolver. */
const KEYCHAIN_SCHEME = 'keychain/';

/** litellm_params keys whose values are credentials (`api_key`, `azure_ad_token`, `aws_secret_access_key`, …). */
const SECRET_KEY = /(^|_)(api_key|apikey|secret|secret_key|password|credentials|access_key|access_key_id|session_token|ad_token|auth_token|bearer_token)$/i;

/** Header names whose values are credentials (as observe/mask.ts masks them). */
const SECRET_HEADER = /^(authorization|api-key|x-api-key|proxy-authorization|x-goog-api-key|cookie)$/i;

const HEADER_KEYS = ['headers', 'extra_headers'];

export function isSecretParamKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

/** `*_credentials` keys (Vertex's `vertex_credentials`) take a key file's contents or the path of the file. */
const CREDENTIALS_KEY = /(^|_)credentials$/i;

/** One line shaped like a file path: absolute, home- or dot-relative, a Windows drive or share, or a `.json` name. */
const FILE_PATH = /^(?:[/~]|\.{1,2}[/\\]|[A-Za-z]:[/\\]|\\\\)[^\n]*$|^[^\n{]*\.json$/;

/**
 * Whether `value` at `key` is a credential. A key file's path is not: it says where the secret is (a file
 * the gateway reads, whose permissions protect it), so it stays in config.yaml as written; its contents are.
 */
function isSecretValue(key: string, value: string): boolean {
  if (!isSecretParamKey(key)) return false;
  return !(CREDENTIALS_KEY.test(key) && FILE_PATH.test(value.trim()));
}

/** True when `value` is written as a reference (`os.environ/X`, `keychain/X`, or any extra scheme). */
export function isReference(value: string, resolvers: ReferenceResolvers = {}): boolean {
  const schemes = { ...resolvers, [ENV_PREFIX]: () => undefined, [KEYCHAIN_SCHEME]: () => undefined };
  return parseReference(value, schemes) !== undefined;
}

/** Where a literal secret sits in litellm_params: `['api_key']` or `['headers', 'Authorization']`. */
export interface LiteralSecret {
  path: [string] | [string, string];
  value: string;
}

/** Every secret in `params` written as a value rather than a reference. */
export function literalSecrets(params: Record<string, unknown>, resolvers: ReferenceResolvers = {}): LiteralSecret[] {
  const found: LiteralSecret[] = [];
  const literal = (value: unknown): value is string => typeof value === 'string' && value !== '' && !isReference(value, resolvers);
  for (const [key, value] of Object.entries(params)) {
    if (literal(value) && isSecretValue(key, value)) found.push({ path: [key], value });
    if (HEADER_KEYS.includes(key) && isPlainObject(value)) {
      for (const [name, header] of Object.entries(value)) if (SECRET_HEADER.test(name) && literal(header)) found.push({ path: [key, name], value: header });
    }
  }
  return found;
}

/**
 * litellm_params as an answer may show them: references as written, literal secrets masked (`sk-…abcd`).
 * Returns a copy; `params` is not changed.
 */
export function maskParams(params: Record<string, unknown>, resolvers: ReferenceResolvers = {}): Record<string, unknown> {
  const out: Record<string, unknown> = { ...params };
  for (const { path, value } of literalSecrets(params, resolvers)) {
    const [key, header] = path;
    if (header === undefined) out[key] = maskSecret(value);
    else out[key] = { ...(out[key] as Record<string, unknown>), [header]: maskHeaders({ [header]: value })[header] };
  }
  return out;
}
