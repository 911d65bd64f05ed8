/**
 * A virtual key as the gateway holds it in memory, and its `keys` row. The raw key exists only in the
 * response that shows it once; the row and the cache know it by its sha256 hex (as LiteLLM's `token`).
 */
import { createHash, randomBytes } from 'node:crypto';
import { maskSecret } from '../observe/mask.ts';

export interface VirtualKey {
  /** Stable across rotation: spend logs and limits follow the id, not the hash. */
  id: string;
  keyHash: string;
  /** Masked for display: sk-…abcd. */
  keyName: string;
  keyAlias: string | null;
  /** Model groups this key may call; empty = every model. */
  models: string[];
  /** Requested model name → model group, applied before the `models` check. */
  aliases: Record<string, string>;
  metadata: Record<string, unknown>;
  userId: string | null;
  teamId: string | null;
  maxBudgetNanos: number | null;
  budgetDuration: string | null;
  /** ms epoch of the next budget reset; null = the budget never resets. */
  budgetResetAt: number | null;
  /** Spend in the current budget period. */
  spendNanos: number;
  /** Spend over the key's whole life (never reset). */
  totalSpendNanos: number;
  rpmLimit: number | null;
  tpmLimit: number | null;
  maxParallelRequests: number | null;
  /** ms epoch; null = never expires. */
  expiresAt: number | null;
  blocked: boolean;
  createdAt: number;
  updatedAt: number;
  lastUsedAt: number | null;
}

export interface KeyRow {
  id: string;
  key_hash: string;
  key_name: string;
  key_alias: string | null;
  models: string;
  aliases: string;
  metadata: string;
  user_id: string | null;
  team_id: string | null;
  max_budget_nanos: number | null;
  budget_duration: string | null;
  budget_reset_at: number | null;
  spend_nanos: number;
  total_spend_nanos: number;
  rpm_limit: number | null;
  tpm_limit: number | null;
  max_parallel_requests: number | null;
  expires_at: number | null;
  blocked: number;
  created_at: number;
  updated_at: number;
  last_used_at: number | null;
}

export function rowToKey(row: KeyRow): VirtualKey {
  return {
    id: row.id,
    keyHash: row.key_hash,
    keyName: row.key_name,
    keyAlias: row.key_alias,
    models: JSON.parse(row.models) as string[],
    aliases: JSON.parse(row.aliases) as Record<string, string>,
    metadata: JSON.parse(row.metadata) as Record<string, unknown>,
    userId: row.user_id,
    teamId: row.team_id,
    maxBudgetNanos: row.max_budget_nanos,
    budgetDuration: row.budget_duration,
    budgetResetAt: row.budget_reset_at,
    spendNanos: row.spend_nanos,
    totalSpendNanos: row.total_spend_nanos,
    rpmLimit: row.rpm_limit,
    tpmLimit: row.tpm_limit,
    maxParallelRequests: row.max_parallel_requests,
    expiresAt: row.expires_at,
    blocked: row.blocked !== 0,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lastUsedAt: row.last_used_at,
  };
}

export function keyToRow(key: VirtualKey): KeyRow {
  return {
    id: key.id,
    key_hash: key.keyHash,
    key_name: key.keyName,
    key_alias: key.keyAlias,
    models: JSON.stringify(key.models),
    aliases: JSON.stringify(key.aliases),
    metadata: JSON.stringify(key.metadata),
    user_id: key.userId,
    team_id: key.teamId,
    max_budget_nanos: key.maxBudgetNanos,
    budget_duration: key.budgetDuration,
    budget_reset_at: key.budgetResetAt,
    spend_nanos: key.spendNanos,
    total_spend_nanos: key.totalSpendNanos,
    rpm_limit: key.rpmLimit,
    tpm_limit: key.tpmLimit,
    max_parallel_requests: key.maxParallelRequests,
    expires_at: key.expiresAt,
    blocked: key.blocked ? 1 : 0,
    created_at: key.createdAt,
    updated_at: key.updatedAt,
    last_used_at: key.lastUsedAt,
  };
}

/** sha256 hex, as LiteLLM hashes its keys, so a `token` means the same thing in both. */
export function hashKey(rawKey: string): string {
  return createHash('sha256').update(rawKey).digest('hex');
}

export const isKeyHash = (text: string): boolean => /^[0-9a-f]{64}$/.test(text);

export const maskKey = (rawKey: string): string => maskSecret(rawKey);

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const RAW_KEY_CHARS = 24; // 24 × log2(62) ≈ 143 bits

/** `sk-` and 24 crypto-random base62 characters (rejection sampling, so every character is equally likely). */
export function newRawKey(): string {
  let out = 'sk-';
  while (out.length < 3 + RAW_KEY_CHARS) {
    for (const byte of randomBytes(32)) {
      if (byte < 248 && out.length < 3 + RAW_KEY_CHARS) out += BASE62[byte % 62]; // 248 = 4 × 62
    }
  }
  return out;
}
