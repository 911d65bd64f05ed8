/**
 * Log lines as the dashboard gets them (GET /admin/logs, /admin/logs/stream): pino's JSON parsed, with
 * every secret masked once more on the way out. The logger already censors the fields it knows
 * (`headers.authorization`, `api_key`, `master_key`, …, see logger.ts); this pass also catches
 *  - the gateway's own secrets (master key, deployment keys and headers) anywhere, even inside a message;
 *  - values of fields whose name says secret (`token`, `password`, `authorization`, …), at any depth;
 *  - anything shaped like a provider key (`sk-…`, `AIza…`, `AKIA…`, long opaque tokens) in free text.
 */
import type { LogLine } from '../core/admin-api.ts';
import type { Deployment } from '../core/call.ts';
import { maskSecret, redactSecrets } from './mask.ts';
import { maskKeysIn } from './mask-keys.ts';

/** One pino line, parsed: the admin API's wire shape (core/admin-api.ts). */
export type { LogLine };

const SECRET_FIELD = /authorization|api[-_]?key|master[-_]?key|secret|password|passwd|token|cookie|credential/i;
/** The gateway's own identifiers (sha256-derived deployment ids, request ids): never secrets, kept readable. */
const ID_FIELD = /^(requestId|deploymentId|deployment|request_id|model_id|key_id|keyId|id|path|url)$/;
const PINO_CENSOR = '[masked]';
const MAX_DEPTH = 8;

/** What knownSecrets reads of the gateway's current state (the whole state object, so the cache follows reloads). */
export interface SecretHolder {
  masterKey?: string | undefined;
  router: { deployments: readonly Deployment[] };
}

/** Secrets the gateway itself holds right now (cached per config state). */
const secretsByState = new WeakMap<SecretHolder, string[]>();

export function knownSecrets(state: SecretHolder): string[] {
  let secrets = secretsByState.get(state);
  if (!secrets) {
    const found = new Set<string>();
    const add = (value: unknown) => {
      if (typeof value === 'string' && value.length >= 6) found.add(value);
    };
    add(state.masterKey);
    for (const d of state.router.deployments) {
      add(d.apiKey);
      add(d.params.azure_ad_token);
      for (const value of Object.values(d.headers)) add(value);
    }
    // Longest first, so a secret that contains another is masked whole.
    secrets = [...found].sort((a, b) => b.length - a.length);
    secretsByState.set(state, secrets);
  }
  return secrets;
}

function maskString(value: string, field: string | undefined, secrets: readonly string[]): string {
  if (value === PINO_CENSOR) return value;
  if (field !== undefined && SECRET_FIELD.test(field) && !ID_FIELD.test(field)) return value.includes('…') ? value : maskSecret(value);
  const known = redactSecrets(value, secrets);
  return field !== undefined && ID_FIELD.test(field) ? known : maskKeysIn(known);
}

function maskValue(value: unknown, field: string | undefined, secrets: readonly string[], depth: number): unknown {
  if (typeof value === 'string') return maskString(value, field, secrets);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '[…]';
  if (Array.isArray(value)) return value.map((item) => maskValue(item, field, secrets, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [name, item] of Object.entries(value as Record<string, unknown>)) out[name] = maskValue(item, name, secrets, depth + 1);
  return out;
}

/** One ring line → the masked LogLine. A line that is not pino JSON becomes an info line carrying it as `msg`. */
export function toLogLine(line: string, secrets: readonly string[]): LogLine {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    parsed = undefined;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return { level: 30, time: Date.now(), msg: maskString(line, undefined, secrets) };
  }
  const masked = maskValue(parsed, undefined, secrets, 0) as Record<string, unknown>;
  return {
    ...masked,
    level: typeof masked.level === 'number' ? masked.level : 30,
    time: typeof masked.time === 'number' ? masked.time : Date.now(),
  } as LogLine;
}
