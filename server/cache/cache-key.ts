/**
 * The exact-match cache key: sha256 over a canonical JSON (object keys sorted at every depth) of the endpoint,
 * the model group and every request field that can change the answer.
 *
 * Fields are left out by name rather than picked by name, so a provider parameter the gateway does not know
 * (`top_k`, `reasoning_effort`, `thinking`, …) still separates answers: an unknown field costs a miss, never
 * a wrong hit. Left out are only the fields that change how the answer is delivered, routed or logged
 * (`stream`, `stream_options`, `metadata`, cache controls, fallbacks, timeouts, `model` — replaced by the model
 * group). `user` stays in, as in LiteLLM: one end user never receives an answer cached for another.
 * Top-level nulls count as absent (LiteLLM skips None parameters).
 */
import { createHash } from 'node:crypto';
import type { Endpoint } from '../providers/types.ts';
import { GATEWAY_BODY_FIELDS } from '../proxy/call.ts';

/**
 * Request fields that never change the answer's content: those that steer the gateway and never reach the provider
 * (but `mock_response`, which is the answer), plus delivery, logging and OpenAI's storage and prompt-cache hints.
 */
export const KEY_EXCLUDED_FIELDS: ReadonlySet<string> = new Set([
  ...GATEWAY_BODY_FIELDS.filter((field) => field !== 'mock_response'),
  'model', // replaced by the model group the gateway resolved
  'stream',
  'stream_options',
  'metadata',
  'store',
  'prompt_cache_key',
]);

/** JSON with object keys sorted at every depth; undefined members dropped as JSON.stringify does. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((item) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`;
  const entries = Object.keys(value)
    .sort()
    .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
    .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
  return `{${entries.join(',')}}`;
}

/** The fields of a request body that take part in its key. */
export function keyFields(body: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(body)) {
    if (value === null || value === undefined || KEY_EXCLUDED_FIELDS.has(field)) continue;
    out[field] = value;
  }
  return out;
}

/** sha256 hex of the request's canonical form. `modelGroup`: the model name the gateway serves it from. */
export function cacheKeyOf(endpoint: Endpoint, body: Record<string, unknown>, modelGroup: string): string {
  const canonical = canonicalJson({ endpoint, model: modelGroup, request: keyFields(body) });
  return createHash('sha256').update(canonical).digest('hex');
}
