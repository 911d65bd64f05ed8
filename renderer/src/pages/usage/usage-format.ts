/** Usage page formatting: exact costs from nano-dollars, short ids, day labels. */
import type { SpendLogRow } from '../../api/types.ts';

/** Nano-dollars to an exact dollar figure: 123450 → "$0.000123450" (integer arithmetic, no float rounding). */
export function formatNanosUsd(nanos: number): string {
  if (!Number.isFinite(nanos)) return '—';
  const sign = nanos < 0 ? '-' : '';
  const abs = BigInt(Math.round(Math.abs(nanos)));
  const whole = abs / 1_000_000_000n;
  const frac = (abs % 1_000_000_000n).toString().padStart(9, '0');
  return `${sign}$${whole.toString()}.${frac}`;
}

/** The request's exact cost: metadata.spend_nanos when present, else the dollar figure to nine places. */
export function exactCost(row: Pick<SpendLogRow, 'spend' | 'metadata'>): string {
  const nanos = row.metadata?.spend_nanos;
  return typeof nanos === 'number' ? formatNanosUsd(nanos) : `$${row.spend.toFixed(9)}`;
}

export const shortId = (id: string | null | undefined, length = 8): string => (!id ? '—' : id.length > length + 1 ? `${id.slice(0, length)}…` : id);

/** How a request's key reads: its alias, else its masked name (`sk-…abcd`, while the key exists), else the start of its hash. */
export function requestKeyName(row: Pick<SpendLogRow, 'key_alias' | 'api_key' | 'metadata'>, maskedNames?: ReadonlyMap<string, string>): string {
  if (row.key_alias) return row.key_alias;
  const masked = row.metadata?.key_id ? maskedNames?.get(row.metadata.key_id) : undefined;
  return masked ?? (row.api_key ? shortId(row.api_key) : 'No key');
}

/** "2024-04-03" → "Apr 3" (the dates are UTC days). */
export function dayLabel(date: string): string {
  const at = new Date(`${date}T00:00:00Z`);
  if (Number.isNaN(at.getTime())) return date;
  return at.toLocaleDateString('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });
}

/**
 * Axis ticks: "$0.05", "$1.2k", "$0.00045" — short, since the tooltip and table carry exact figures. The axis
 * is as wide as its longest label (width="auto": recharts measures the rendered ticks), so a sub-cent label
 * is never cut at the card's edge.
 */
export function axisUsd(value: number): string {
  if (value === 0) return '$0';
  if (value >= 1000) return `$${(value / 1000).toFixed(1)}k`;
  if (value >= 1) return `$${value.toFixed(value >= 10 ? 0 : 1)}`;
  // Two significant digits in plain decimals ("$0.00045", never "$4.5e-4"), trailing zeros dropped.
  const places = Math.min(20, Math.max(2, 1 - Math.floor(Math.log10(value))));
  return `$${value.toFixed(places).replace(/\.?0+$/, '')}`;
}

/** Which model the client asked for and which group served it; `fallback` when those differ. */
export interface RequestRouting {
  requested: string;
  served: string;
  fallback: boolean;
}

export function requestRouting(row: Pick<SpendLogRow, 'model_group' | 'requested_model' | 'metadata'>): RequestRouting {
  const served = row.model_group || '';
  // requested_model is null in rows recorded before the gateway kept it: those read as served by what was asked.
  const asked = row.requested_model;
  const requested = asked || served;
  const fallback = row.metadata?.fallback === true || (Boolean(asked) && Boolean(served) && asked !== served);
  return { requested, served, fallback };
}

/** Token-shaped values (`sk-proj-…`, `AIza…`, a bearer token): a second guard behind the gateway's own masking. */
const TOKEN_LIKE = /\b(sk-|pk-|rk-|AIza|Bearer\s+)([A-Za-z0-9_-]{12,})/g;

/** Masks token-shaped values the way the gateway does: their prefix and last four characters (`sk-…abcd`). */
export function maskTokens(text: string): string {
  return text.replace(TOKEN_LIKE, (_whole, prefix: string, rest: string) => `${prefix}…${rest.slice(-4)}`);
}

/** A failed request's error message as its client was told it (masked), or null when the row has none (older rows). */
export function requestErrorMessage(row: Pick<SpendLogRow, 'metadata'>): string | null {
  const m = row.metadata;
  const message = m?.error_message ?? m?.error_information?.error_message ?? null;
  return message ? maskTokens(message) : null;
}
