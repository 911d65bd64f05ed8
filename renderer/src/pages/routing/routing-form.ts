/**
 * The Routing form as plain data: a draft made from GET /admin/routing, its checks, and the PUT body with
 * only what changed (compared with the draft the answer itself makes, so an untouched setting is never sent).
 */
import type { FallbackRule, RoutingSettings, RoutingStrategy } from '../../api/types.ts';

export type ChainKind = 'fallbacks' | 'context_window_fallbacks' | 'content_policy_fallbacks';
export const CHAIN_KINDS: readonly ChainKind[] = ['fallbacks', 'context_window_fallbacks', 'content_policy_fallbacks'];

export interface Chain {
  /** Stable identity for React while chains are added and removed. */
  key: number;
  source: string;
  targets: string[];
}

export type NumberField = 'num_retries' | 'retry_after' | 'allowed_fails' | 'cooldown_time' | 'request_timeout' | 'stream_timeout';

export interface RoutingDraft extends Record<ChainKind, Chain[]>, Record<NumberField, string> {
  default_fallbacks: string[];
  routing_strategy: RoutingStrategy;
  cache: { enabled: boolean; type: 'local' | 'redis'; ttl: string; host: string; port: string };
}

/** Problems by place: a number field, `cache.ttl` / `cache.port`, or `<kind>:<chain key>`. */
export type RoutingErrors = Record<string, string>;

interface NumberSpec {
  label: string;
  integer?: boolean;
  /** 0 is not allowed (a timeout of 0 would fail every request). */
  positive?: boolean;
  /** Empty means "none" (sent as null). */
  optional?: boolean;
  hint: string;
}

export const NUMBER_FIELDS: Record<NumberField, NumberSpec> = {
  num_retries: { label: 'Retries', integer: true, hint: 'Retries on the same model group before its fallbacks.' },
  retry_after: { label: 'Retry after (s)', hint: 'Smallest wait before a retry.' },
  allowed_fails: { label: 'Allowed fails per minute', integer: true, hint: 'Failures a deployment may have in a minute before it cools down.' },
  cooldown_time: { label: 'Cooldown (s)', hint: 'How long a failing deployment is left out.' },
  request_timeout: { label: 'Request timeout (s)', positive: true, hint: 'For a whole request, retries included.' },
  stream_timeout: {
    label: 'Stream timeout (s)',
    positive: true,
    optional: true,
    hint: 'Until a stream’s first chunk; empty: none (the request timeout applies).',
  },
};

export const STRATEGIES: readonly { value: RoutingStrategy; label: string }[] = [
  { value: 'simple-shuffle', label: 'Simple shuffle (weighted random)' },
  { value: 'least-busy', label: 'Least busy (fewest requests in flight)' },
  { value: 'latency-based-routing', label: 'Lowest latency' },
  { value: 'usage-based-routing', label: 'Lowest usage (rpm/tpm headroom)' },
];

let nextChainKey = 1;
export const newChain = (source = '', targets: string[] = []): Chain => ({ key: nextChainKey++, source, targets });

const text = (value: number | string | null | undefined) => (value === null || value === undefined ? '' : String(value));

function chainsOf(rules: FallbackRule[] | undefined): Chain[] {
  const chains: Chain[] = [];
  for (const rule of rules ?? []) for (const [source, targets] of Object.entries(rule)) chains.push(newChain(source, [...(targets ?? [])]));
  return chains;
}

export function draftFrom(answer: RoutingSettings): RoutingDraft {
  return {
    fallbacks: chainsOf(answer.fallbacks),
    context_window_fallbacks: chainsOf(answer.context_window_fallbacks),
    content_policy_fallbacks: chainsOf(answer.content_policy_fallbacks),
    default_fallbacks: [...(answer.default_fallbacks ?? [])],
    num_retries: text(answer.num_retries),
    retry_after: text(answer.retry_after),
    allowed_fails: text(answer.allowed_fails),
    cooldown_time: text(answer.cooldown_time),
    request_timeout: text(answer.request_timeout),
    stream_timeout: text(answer.stream_timeout),
    routing_strategy: answer.routing_strategy,
    cache: {
      enabled: Boolean(answer.cache?.enabled),
      type: answer.cache?.type === 'redis' ? 'redis' : 'local',
      ttl: text(answer.cache?.ttl),
      host: text(answer.cache?.host),
      port: text(answer.cache?.port),
    },
  };
}

function numberError(raw: string, spec: NumberSpec): string | undefined {
  const value = raw.trim();
  if (value === '') return spec.optional ? undefined : 'Enter a number.';
  const n = Number(value);
  if (!Number.isFinite(n)) return 'Enter a number.';
  if (n < 0) return 'Must be 0 or more.';
  if (spec.integer && !Number.isInteger(n)) return 'Enter a whole number.';
  if (spec.positive && n === 0) return 'Must be more than 0.';
  return undefined;
}

export function validateDraft(draft: RoutingDraft): RoutingErrors {
  const errors: RoutingErrors = {};
  for (const [field, spec] of Object.entries(NUMBER_FIELDS) as [NumberField, NumberSpec][]) {
    const message = numberError(draft[field], spec);
    if (message) errors[field] = message;
  }
  if (draft.cache.enabled) {
    const ttl = numberError(draft.cache.ttl, { label: 'TTL (s)', positive: true, optional: true, hint: '' });
    if (ttl) errors['cache.ttl'] = ttl;
    if (draft.cache.type === 'redis' && draft.cache.port.trim() !== '') {
      const port = Number(draft.cache.port.trim());
      if (!Number.isInteger(port) || port < 1 || port > 65535) errors['cache.port'] = 'Enter a port from 1 to 65535.';
    }
  }
  for (const kind of CHAIN_KINDS) {
    const seen = new Set<string>();
    for (const chain of draft[kind]) {
      const problems: string[] = [];
      if (!chain.source) problems.push('Choose the model this chain is for.');
      else if (seen.has(chain.source)) problems.push(`${chain.source} already has a chain in this section.`);
      if (chain.targets.length === 0) problems.push('Add at least one target.');
      else if (chain.source && chain.targets.includes(chain.source)) problems.push(`${chain.source} cannot fall back to itself.`);
      if (chain.source) seen.add(chain.source);
      if (problems.length) errors[`${kind}:${chain.key}`] = problems.join(' ');
    }
  }
  return errors;
}

const rulesOf = (chains: Chain[]): FallbackRule[] => chains.map((c) => ({ [c.source]: [...c.targets] }));
const numberOf = (raw: string): number | null => (raw.trim() === '' ? null : Number(raw.trim()));

/** The settings a valid draft stands for (number fields that are required are never null here). */
export function settingsOf(draft: RoutingDraft): RoutingSettings {
  const cache: RoutingSettings['cache'] = { enabled: draft.cache.enabled, type: draft.cache.type, ttl: numberOf(draft.cache.ttl) };
  if (draft.cache.type === 'redis') {
    cache.host = draft.cache.host.trim() || null;
    cache.port = numberOf(draft.cache.port);
  }
  return {
    routing_strategy: draft.routing_strategy,
    num_retries: numberOf(draft.num_retries) ?? 0,
    retry_after: numberOf(draft.retry_after) ?? 0,
    allowed_fails: numberOf(draft.allowed_fails) ?? 0,
    cooldown_time: numberOf(draft.cooldown_time) ?? 0,
    request_timeout: numberOf(draft.request_timeout) ?? 0,
    stream_timeout: numberOf(draft.stream_timeout),
    fallbacks: rulesOf(draft.fallbacks),
    context_window_fallbacks: rulesOf(draft.context_window_fallbacks),
    content_policy_fallbacks: rulesOf(draft.content_policy_fallbacks),
    default_fallbacks: [...draft.default_fallbacks],
    cache,
  };
}

/** How a draft compares, setting by setting, ignoring chain identities and surrounding spaces. */
function comparable(draft: RoutingDraft): Record<keyof RoutingSettings, string> {
  const chains = (list: Chain[]) => JSON.stringify(list.map((c) => [c.source, c.targets]));
  const { cache } = draft;
  return {
    routing_strategy: draft.routing_strategy,
    num_retries: draft.num_retries.trim(),
    retry_after: draft.retry_after.trim(),
    allowed_fails: draft.allowed_fails.trim(),
    cooldown_time: draft.cooldown_time.trim(),
    request_timeout: draft.request_timeout.trim(),
    stream_timeout: draft.stream_timeout.trim(),
    fallbacks: chains(draft.fallbacks),
    context_window_fallbacks: chains(draft.context_window_fallbacks),
    content_policy_fallbacks: chains(draft.content_policy_fallbacks),
    default_fallbacks: JSON.stringify(draft.default_fallbacks),
    cache: JSON.stringify([cache.enabled, cache.type, cache.ttl.trim(), ...(cache.type === 'redis' ? [cache.host.trim(), cache.port.trim()] : [])]),
  };
}

/** The settings the draft changes compared with `base` (both drafts). */
export function changedKeys(draft: RoutingDraft, base: RoutingDraft): (keyof RoutingSettings)[] {
  const now = comparable(draft);
  const before = comparable(base);
  return (Object.keys(now) as (keyof RoutingSettings)[]).filter((key) => now[key] !== before[key]);
}

/** PUT /admin/routing's body: only what changed. */
export function changeBody(draft: RoutingDraft, base: RoutingDraft): Partial<RoutingSettings> {
  const settings = settingsOf(draft);
  const body: Partial<Record<keyof RoutingSettings, unknown>> = {};
  for (const key of changedKeys(draft, base)) body[key] = settings[key];
  return body as Partial<RoutingSettings>;
}
