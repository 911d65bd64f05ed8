/**
 * LiteLLM's /key/* JSON: its request fields become KeySettings (dollars → nano-dollars), and a VirtualKey
 * becomes LiteLLM's key object (spend and max_budget in dollars, times as ISO strings, `token` = the hash).
 * The raw key appears only in generate/regenerate answers, never in these objects.
 */
import type { IssuedKey, KeyObject, KeyRequestBody } from '../core/admin-api.ts';
import { badRequest } from '../core/errors.ts';
import type { KeySettings } from './key-settings.ts';
import { nanosToUsd, usdToNanos } from '../spend/cost.ts';
import type { VirtualKey } from './virtual-key.ts';

/** What /key/generate, /key/update and /key/regenerate take: the admin API's wire shape (core/admin-api.ts). */
export type { KeyRequestBody };

const nullable = (type: string, extra: Record<string, unknown> = {}) => ({ type: [type, 'null'], ...extra });

/** Fields LiteLLM takes on generate, update and regenerate. Others (config, permissions, tags…) pass unchecked and unused. */
export const KEY_FIELDS_SCHEMA = {
  key: nullable('string'),
  new_key: nullable('string'),
  key_alias: nullable('string'),
  duration: nullable('string'),
  models: nullable('array', { items: { type: 'string', minLength: 1 } }),
  aliases: nullable('object', { additionalProperties: { type: 'string', minLength: 1 } }),
  metadata: nullable('object'),
  max_budget: nullable('number', { minimum: 0 }),
  budget_duration: nullable('string'),
  rpm_limit: nullable('integer', { minimum: 0 }),
  tpm_limit: nullable('integer', { minimum: 0 }),
  max_parallel_requests: nullable('integer', { minimum: 0 }),
  user_id: nullable('string'),
  team_id: nullable('string'),
  blocked: nullable('boolean'),
  spend: nullable('number', { minimum: 0 }),
} as const;

/** With no required fields the body may be left out entirely (`curl -X POST /key/generate`), as LiteLLM allows. */
export function keyBodySchema(required: string[] = []) {
  return { type: required.length > 0 ? 'object' : ['object', 'null'], required, properties: KEY_FIELDS_SCHEMA };
}

function nanos(usd: number, param: string): number {
  if (!(usd >= 0)) throw badRequest(`\`${param}\` must be a non-negative dollar amount.`, param);
  try {
    return usdToNanos(usd);
  } catch {
    throw badRequest(`\`${param}\` is larger than the gateway can count ($9,000,000).`, param);
  }
}

/** Present fields only: absent means "default" on generate and "unchanged" on update. */
export function settingsFromBody(body: KeyRequestBody): KeySettings {
  const s: KeySettings = {};
  if (body.key_alias !== undefined) s.keyAlias = body.key_alias;
  if (body.duration !== undefined) s.duration = body.duration;
  if (body.models !== undefined) s.models = body.models;
  if (body.aliases !== undefined) s.aliases = body.aliases;
  if (body.metadata !== undefined) s.metadata = body.metadata;
  if (body.max_budget !== undefined) s.maxBudgetNanos = body.max_budget === null ? null : nanos(body.max_budget, 'max_budget');
  if (body.budget_duration !== undefined) s.budgetDuration = body.budget_duration;
  if (body.rpm_limit !== undefined) s.rpmLimit = body.rpm_limit;
  if (body.tpm_limit !== undefined) s.tpmLimit = body.tpm_limit;
  if (body.max_parallel_requests !== undefined) s.maxParallelRequests = body.max_parallel_requests;
  if (body.user_id !== undefined) s.userId = body.user_id;
  if (body.team_id !== undefined) s.teamId = body.team_id;
  if (body.blocked != null) s.blocked = body.blocked;
  if (body.spend != null) s.spendNanos = nanos(body.spend, 'spend');
  return s;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** LiteLLM's key object (/key/info `info`, /key/list full objects, /key/update). */
export function keyObject(key: VirtualKey): KeyObject {
  return {
    token: key.keyHash,
    key_id: key.id,
    key_name: key.keyName,
    key_alias: key.keyAlias,
    spend: nanosToUsd(key.spendNanos),
    total_spend: nanosToUsd(key.totalSpendNanos),
    max_budget: key.maxBudgetNanos === null ? null : nanosToUsd(key.maxBudgetNanos),
    budget_duration: key.budgetDuration,
    budget_reset_at: iso(key.budgetResetAt),
    expires: iso(key.expiresAt),
    models: key.models,
    aliases: key.aliases,
    config: {},
    metadata: key.metadata,
    user_id: key.userId,
    team_id: key.teamId,
    rpm_limit: key.rpmLimit,
    tpm_limit: key.tpmLimit,
    max_parallel_requests: key.maxParallelRequests,
    blocked: key.blocked,
    created_at: iso(key.createdAt),
    updated_at: iso(key.updatedAt),
    last_active: iso(key.lastUsedAt),
  };
}

/**
 * LiteLLM's GenerateKeyResponse: `key` is the raw key, shown this once; `token_id` its hash. (LiteLLM's own
 * `token` field here has meant the raw key, so it is left out rather than given a second meaning.)
 */
export function issuedKeyJson(rawKey: string, key: VirtualKey, duration: string | null | undefined): IssuedKey {
  const { token, ...rest } = keyObject(key);
  return { key: rawKey, token_id: token, ...rest, duration: duration ?? null };
}
