/**
 * Masks whatever looks like a credential inside free text we did not write ourselves: upstream error
 * messages (some echo a key prefix, or the whole key) and configured api_base URLs (`user:pass@`,
 * `?key=`). Known secrets are masked with redactSecrets (mask.ts); this catches the ones we do not know.
 */
import { maskSecret, redactSecrets } from './mask.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Provider key shapes: OpenAI / Anthropic / … `sk-`, Google `AIza`, AWS access key ids, GitHub and Hugging Face tokens. */
const KEY_SHAPES = [
  /\b(?:sk|pk|rk)[-_][A-Za-z0-9_-]{4,}/g,
  /\bAIza[0-9A-Za-z_-]{20,}/g,
  /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g,
  /\b(?:ghp|gho|ghu|ghs|github_pat|hf)_[A-Za-z0-9_]{10,}/g,
];

/** `Bearer <token>`, `api_key=<value>`, `"token": "<value>"`: the value is masked, the name kept. */
const LABELLED = [
  /\b(Bearer|Basic)(\s+)([A-Za-z0-9._~+/=-]{6,})/gi,
  /\b(api[-_]?key|access[-_]?token|auth[-_]?token|token|secret|password)(["']?\s*[:=]\s*["']?)([^\s"',;&]{6,})/gi,
];

/** Long opaque tokens (32+ characters mixing letters and digits) that are not UUIDs. */
const OPAQUE = /\b[A-Za-z0-9_-]{32,}\b/g;

function looksOpaque(token: string): boolean {
  return /[A-Za-z]/.test(token) && /\d/.test(token) && !UUID.test(token);
}

export function maskKeysIn(text: string): string {
  let out = text;
  for (const shape of KEY_SHAPES) out = out.replace(shape, (key) => maskSecret(key));
  // A value already masked (a known secret, by maskSecretsIn) keeps its recognisable `abc…wxyz`.
  for (const labelled of LABELLED)
    out = out.replace(labelled, (_all, name: string, sep: string, value: string) => `${name}${sep}${value.includes('…') ? value : maskSecret(value)}`);
  return out.replace(OPAQUE, (token) => (looksOpaque(token) && !token.includes('…') ? maskSecret(token) : token));
}

/**
 * The one masking function for text that leaves the process (error messages, log lines): every secret the
 * gateway holds (`secrets`, see knownSecrets in log-lines.ts), then whatever has a provider key's shape.
 */
export function maskSecretsIn(text: string, secrets: Iterable<string | undefined>): string {
  return maskKeysIn(redactSecrets(text, secrets));
}

const SECRET_QUERY = /key|token|sig|secret|password|auth|code/i;

/** An api_base fit to show: no `user:password@`, credential-like query values masked. */
export function safeApiBase(apiBase: string): string {
  let url: URL;
  try {
    url = new URL(apiBase);
  } catch {
    return maskKeysIn(apiBase);
  }
  let changed = false;
  if (url.username || url.password) {
    url.username = '';
    url.password = '';
    changed = true;
  }
  for (const [name, value] of [...url.searchParams]) {
    if (SECRET_QUERY.test(name) && value) {
      url.searchParams.set(name, '****');
      changed = true;
    }
  }
  return changed ? url.toString() : maskKeysIn(apiBase);
}
