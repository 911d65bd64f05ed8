/**
 * The settings of a key (alias, models, budget, limits, lifetime) and how a change is applied: on a copy,
 * validated before anything is written, so a bad value leaves both the row and the cache untouched.
 */
import { randomUUID } from 'node:crypto';
import { badRequest } from '../core/errors.ts';
import { endOfDuration, isNoDuration } from './duration.ts';
import { hashKey, maskKey, type VirtualKey } from './virtual-key.ts';

/** What a key is created or updated with, in the gateway's units. Absent = default (generate) or unchanged (update). */
export interface KeySettings {
  keyAlias?: string | null;
  models?: string[] | null;
  aliases?: Record<string, string> | null;
  metadata?: Record<string, unknown> | null;
  userId?: string | null;
  teamId?: string | null;
  maxBudgetNanos?: number | null;
  /** "30d" and friends; null or "" clears the period and its reset. */
  budgetDuration?: string | null;
  rpmLimit?: number | null;
  tpmLimit?: number | null;
  maxParallelRequests?: number | null;
  /** Lifetime from now. null/"" = never expires (generate) or unchanged (update); "-1" = never expires. */
  duration?: string | null;
  blocked?: boolean | null;
  /** Sets the current period's spend (LiteLLM's `spend`). */
  spendNanos?: number | null;
}

export function blankKey(rawKey: string, now: number): VirtualKey {
  return {
    id: randomUUID(),
    keyHash: hashKey(rawKey),
    keyName: maskKey(rawKey),
    keyAlias: null,
    models: [],
    aliases: {},
    metadata: {},
    userId: null,
    teamId: null,
    maxBudgetNanos: null,
    budgetDuration: null,
    budgetResetAt: null,
    spendNanos: 0,
    totalSpendNanos: 0,
    rpmLimit: null,
    tpmLimit: null,
    maxParallelRequests: null,
    expiresAt: null,
    blocked: false,
    createdAt: now,
    updatedAt: now,
    lastUsedAt: null,
  };
}

/** A copy of `key` with the settings applied; validation happens here, before anything is written. */
export function withSettings(key: VirtualKey, s: KeySettings, now: number): VirtualKey {
  const next: VirtualKey = { ...key, updatedAt: now };
  if (s.keyAlias !== undefined) next.keyAlias = s.keyAlias || null;
  if (s.models !== undefined) next.models = [...(s.models ?? [])];
  if (s.aliases !== undefined) next.aliases = { ...(s.aliases ?? {}) };
  if (s.metadata !== undefined) next.metadata = { ...(s.metadata ?? {}) };
  if (s.userId !== undefined) next.userId = s.userId;
  if (s.teamId !== undefined) next.teamId = s.teamId;
  if (s.maxBudgetNanos !== undefined) next.maxBudgetNanos = count(s.maxBudgetNanos, 'max_budget');
  if (s.rpmLimit !== undefined) next.rpmLimit = count(s.rpmLimit, 'rpm_limit');
  if (s.tpmLimit !== undefined) next.tpmLimit = count(s.tpmLimit, 'tpm_limit');
  if (s.maxParallelRequests !== undefined) next.maxParallelRequests = count(s.maxParallelRequests, 'max_parallel_requests');
  if (s.blocked != null) next.blocked = s.blocked;
  if (s.spendNanos != null) next.spendNanos = count(s.spendNanos, 'spend')!;
  if (s.budgetDuration !== undefined) {
    const period = isNoDuration(s.budgetDuration) ? null : s.budgetDuration!.trim();
    next.budgetResetAt = period === null ? null : endOfDuration(now, period, 'budget_duration');
    next.budgetDuration = period;
  }
  if (s.duration?.trim() === '-1') next.expiresAt = null;
  else if (!isNoDuration(s.duration)) next.expiresAt = endOfDuration(now, s.duration!, 'duration');
  return next;
}

function count(value: number | null, param: string): number | null {
  if (value === null) return null;
  if (!Number.isSafeInteger(value) || value < 0) throw badRequest(`\`${param}\` must be a non-negative number.`, param);
  return value;
}
