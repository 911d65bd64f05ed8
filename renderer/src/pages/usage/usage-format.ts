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
