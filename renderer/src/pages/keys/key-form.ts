/**
 * The key form's text fields → a KeyRequest body, with a message per field for bad input.
 * Durations are LiteLLM's ("1d", "30d"); an empty budget or limit means "none".
 */
import type { KeyObject, KeyRequest } from '../../api/types.ts';

export const BUDGET_PERIODS = [
  { value: '', label: 'None' },
  { value: '1d', label: 'Daily' },
  { value: '7d', label: 'Weekly' },
  { value: '30d', label: 'Monthly' },
] as const;

export const DURATIONS = [
  { value: '', label: 'Never expires' },
  { value: '1d', label: '1 day' },
  { value: '7d', label: '7 days' },
  { value: '30d', label: '30 days' },
  { value: '90d', label: '90 days' },
  { value: '365d', label: '1 year' },
] as const;

/** "Daily", "Weekly", "Monthly", or the raw duration for periods set through the API ("every 2w"). */
export function budgetPeriodLabel(duration: string | null): string | null {
  if (!duration) return null;
  const known = BUDGET_PERIODS.find((p) => p.value === duration);
  return known ? known.label : `Every ${duration}`;
}

export interface KeyFormValues {
  alias: string;
  models: string[];
  budget: string;
  budgetPeriod: string;
  duration: string;
  rpm: string;
  tpm: string;
  metadata: string;
}

export type KeyFormErrors = Partial<Record<'budget' | 'rpm' | 'tpm' | 'metadata', string>>;

export const emptyKeyForm = (): KeyFormValues => ({ alias: '', models: [], budget: '', budgetPeriod: '', duration: '', rpm: '', tpm: '', metadata: '' });

export function keyFormFrom(key: KeyObject): KeyFormValues {
  return {
    alias: key.key_alias ?? '',
    models: [...key.models],
    budget: key.max_budget === null ? '' : String(key.max_budget),
    budgetPeriod: key.budget_duration ?? '',
    duration: '',
    rpm: key.rpm_limit === null ? '' : String(key.rpm_limit),
    tpm: key.tpm_limit === null ? '' : String(key.tpm_limit),
    metadata: Object.keys(key.metadata ?? {}).length ? JSON.stringify(key.metadata, null, 2) : '',
  };
}

function dollars(text: string): { value: number | null; error?: string } {
  const t = text.trim().replace(/^\$/, '');
  if (t === '') return { value: null };
  const n = Number(t);
  if (!Number.isFinite(n) || n < 0) return { value: null, error: 'Enter a dollar amount of 0 or more, e.g. 5 or 0.50.' };
  if (n > 9_000_000) return { value: null, error: 'The gateway counts budgets up to $9,000,000.' };
  return { value: n };
}

function wholeNumber(text: string, what: string): { value: number | null; error?: string } {
  const t = text.trim().replace(/[,_\s]/g, '');
  if (t === '') return { value: null };
  if (!/^\d+$/.test(t) || !Number.isSafeInteger(Number(t)))
    return { value: null, error: `Enter ${what} as a whole number of 0 or more, or leave it empty for no limit.` };
  return { value: Number(t) };
}

function metadataObject(text: string): { value: Record<string, unknown> | null; error?: string } {
  if (text.trim() === '') return { value: null };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    return { value: null, error: `Not valid JSON: ${(cause as Error).message}` };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    return { value: null, error: 'Metadata must be a JSON object, e.g. {"team": "web"}.' };
  return { value: parsed as Record<string, unknown> };
}

export interface ParsedKeyForm {
  errors: KeyFormErrors;
  alias: string | null;
  models: string[];
  maxBudget: number | null;
  budgetPeriod: string | null;
  duration: string | null;
  rpm: number | null;
  tpm: number | null;
  metadata: Record<string, unknown> | null;
}

export function parseKeyForm(values: KeyFormValues): ParsedKeyForm {
  const budget = dollars(values.budget);
  const rpm = wholeNumber(values.rpm, 'the RPM limit');
  const tpm = wholeNumber(values.tpm, 'the TPM limit');
  const metadata = metadataObject(values.metadata);
  const errors: KeyFormErrors = {};
  if (budget.error) errors.budget = budget.error;
  if (rpm.error) errors.rpm = rpm.error;
  if (tpm.error) errors.tpm = tpm.error;
  if (metadata.error) errors.metadata = metadata.error;
  return {
    errors,
    alias: values.alias.trim() || null,
    models: values.models,
    maxBudget: budget.value,
    budgetPeriod: values.budgetPeriod || null,
    duration: values.duration || null,
    rpm: rpm.value,
    tpm: tpm.value,
    metadata: metadata.value,
  };
}

/** POST /key/generate's body: only what was filled in (empty models = every model). */
export function createBody(p: ParsedKeyForm): KeyRequest {
  const body: KeyRequest = {};
  if (p.alias) body.key_alias = p.alias;
  if (p.models.length) body.models = p.models;
  if (p.maxBudget !== null) body.max_budget = p.maxBudget;
  if (p.budgetPeriod) body.budget_duration = p.budgetPeriod;
  if (p.duration) body.duration = p.duration;
  if (p.rpm !== null) body.rpm_limit = p.rpm;
  if (p.tpm !== null) body.tpm_limit = p.tpm;
  if (p.metadata) body.metadata = p.metadata;
  return body;
}

/**
 * POST /key/update's fields: every editable one, so clearing a field removes that setting. The budget period
 * is sent only when it changed, since setting it (even to the same value) restarts the period.
 */
export function updateBody(p: ParsedKeyForm, key: KeyObject): KeyRequest {
  const body: KeyRequest = {
    key_alias: p.alias,
    models: p.models,
    max_budget: p.maxBudget,
    rpm_limit: p.rpm,
    tpm_limit: p.tpm,
  };
  if ((p.budgetPeriod ?? null) !== (key.budget_duration ?? null)) body.budget_duration = p.budgetPeriod;
  return body;
}
