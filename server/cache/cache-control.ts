/**
 * What one request lets the cache do, from LiteLLM's per-request controls:
 *
 * - `caching: false` — no cache at all; `caching: true` (or `cache: {"use-cache": true}`) opts in when the
 *   cache is `default_off`;
 * - `cache: {"no-cache": true}` — do not answer from the cache (the fresh answer is still stored);
 * - `cache: {"no-store": true}` — do not store this answer;
 * - `cache: {"ttl": N}` — keep this answer N seconds instead of the configured ttl;
 * - `cache: {"s-maxage": N}` (or `s-max-age`) — accept only a cached answer at most N seconds old;
 * - `cache: {"namespace": "x"}` — read and write under this namespace instead of the configured one.
 */
import type { Endpoint } from '../providers/types.ts';
import type { CacheSettings } from './cache-settings.ts';

export interface CacheDecision {
  /** Answer from the cache when an acceptable entry exists. */
  read: boolean;
  /** Store the fresh answer. */
  write: boolean;
  /** How long a stored answer is kept. */
  ttlSeconds: number;
  /** Oldest acceptable entry, in seconds; none: any unexpired entry. */
  maxAgeSeconds?: number;
  namespace?: string;
}

function controlNumber(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

function flag(value: unknown): boolean {
  return value === true || value === 'true';
}

/** The request's cache decision, or undefined when it bypasses the cache (neither reads nor writes). */
export function cacheDecisionOf(settings: CacheSettings, endpoint: Endpoint, body: Record<string, unknown>): CacheDecision | undefined {
  if (!settings.endpoints.has(endpoint)) return undefined;
  const controls = typeof body.cache === 'object' && body.cache !== null && !Array.isArray(body.cache) ? (body.cache as Record<string, unknown>) : {};
  if (body.caching === false || body.caching === 'false') return undefined;
  const optedIn = flag(body.caching) || flag(controls['use-cache']);
  if (settings.mode === 'default_off' && !optedIn) return undefined;
  const read = !flag(controls['no-cache']);
  const write = !flag(controls['no-store']);
  if (!read && !write) return undefined;
  const ttl = controlNumber(controls.ttl);
  const maxAge = controlNumber(controls['s-maxage'] ?? controls['s-max-age']);
  const namespace = typeof controls.namespace === 'string' && controls.namespace !== '' ? controls.namespace : settings.namespace;
  return {
    read,
    write,
    ttlSeconds: ttl !== undefined && ttl > 0 ? ttl : settings.ttlSeconds,
    ...(maxAge !== undefined ? { maxAgeSeconds: maxAge } : {}),
    ...(namespace ? { namespace } : {}),
  };
}

/** A cached entry stored at `storedAt` (ms epoch) is acceptable at `now` under this decision. */
export function freshEnough(decision: CacheDecision, storedAt: number, now = Date.now()): boolean {
  return decision.maxAgeSeconds === undefined || now - storedAt <= decision.maxAgeSeconds * 1000;
}
