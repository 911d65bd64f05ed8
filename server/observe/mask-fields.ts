/**
 * Masks a parsed JSON value (a log line, an error body) field by field with maskSecretsIn (mask-keys.ts):
 *  - the gateway's own secrets (master key, deployment keys and headers) anywhere, even inside a message;
 *  - values of fields whose name says secret (`token`, `password`, `authorization`, …), at any depth;
 *  - anything shaped like a provider key (`sk-…`, `AIza…`, `AKIA…`, long opaque tokens) in free text —
 *    except in the gateway's own identifier fields (sha256-derived deployment ids look opaque).
 */
import { maskSecret, redactSecrets } from './mask.ts';
import { maskSecretsIn } from './mask-keys.ts';

const SECRET_FIELD = /authorization|api[-_]?key|master[-_]?key|secret|password|passwd|token|cookie|credential/i;
/** The gateway's own identifiers (sha256-derived deployment ids, request ids): never secrets, kept readable. */
const ID_FIELD = /^(requestId|deploymentId|deployment|request_id|model_id|key_id|keyId|id|path|url)$/;
/** What pino's own redaction (logger.ts) writes in place of a value. */
const PINO_CENSOR = '[masked]';
const MAX_DEPTH = 8;

export function maskString(value: string, field: string | undefined, secrets: readonly string[]): string {
  if (value === PINO_CENSOR) return value;
  if (field !== undefined && SECRET_FIELD.test(field) && !ID_FIELD.test(field)) return value.includes('…') ? value : maskSecret(value);
  return field !== undefined && ID_FIELD.test(field) ? redactSecrets(value, secrets) : maskSecretsIn(value, secrets);
}

/** `field` is the name the value sits under (undefined at the top). */
export function maskFields(value: unknown, secrets: readonly string[], field?: string, depth = 0): unknown {
  if (typeof value === 'string') return maskString(value, field, secrets);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '[…]';
  if (Array.isArray(value)) return value.map((item) => maskFields(item, secrets, field, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [name, item] of Object.entries(value as Record<string, unknown>)) out[name] = maskFields(item, secrets, name, depth + 1);
  return out;
}

/** JSON text (an error body on its way to a client) masked field by field; text that is not JSON, as free text. */
export function maskJsonText(text: string, secrets: readonly string[]): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return maskSecretsIn(text, secrets);
  }
  return JSON.stringify(maskFields(parsed, secrets));
}
