/**
 * LiteLLM's durations: key lifetimes (`duration`) and budget periods (`budget_duration`). LiteLLM documents
 * "30s", "30m", "30h", "30d", and its parser also takes weeks ("2w") and calendar months ("1mo"). Its parser
 * matches only a prefix, so "30min" (used in its own docs) means 30 minutes; the spelled-out units below keep
 * such values working while anything else is a clear 400 instead of a silent guess.
 */
import { badRequest } from '../core/errors.ts';

export type DurationUnit = 's' | 'm' | 'h' | 'd' | 'w' | 'mo';

export interface Duration {
  amount: number;
  unit: DurationUnit;
}

const UNITS: Record<string, DurationUnit> = {
  s: 's',
  sec: 's',
  secs: 's',
  second: 's',
  seconds: 's',
  m: 'm',
  min: 'm',
  mins: 'm',
  minute: 'm',
  minutes: 'm',
  h: 'h',
  hr: 'h',
  hrs: 'h',
  hour: 'h',
  hours: 'h',
  d: 'd',
  day: 'd',
  days: 'd',
  w: 'w',
  wk: 'w',
  week: 'w',
  weeks: 'w',
  mo: 'mo',
  month: 'mo',
  months: 'mo',
};

const UNIT_MS: Record<Exclude<DurationUnit, 'mo'>, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** JavaScript's latest representable date; a duration reaching past it is a typo, not a wish. */
const MAX_TIME_MS = 8.64e15;

/** Values LiteLLM reads as "no duration" (its UI sends the strings). */
export function isNoDuration(text: string | null | undefined): boolean {
  return text == null || ['', 'none', 'null'].includes(text.trim().toLowerCase());
}

/** Parses "30d" and friends; throws a 400 naming `param` on anything else. */
export function parseDuration(text: string, param: string): Duration {
  const match = /^\s*(\d+)\s*([a-z]+)\s*$/i.exec(text);
  const unit = match ? UNITS[match[2]!.toLowerCase()] : undefined;
  if (!match || !unit) {
    throw badRequest(
      `Invalid ${param} "${text}": use a whole number and a unit — seconds ("30s"), minutes ("30m"), hours ("30h"), days ("30d"), weeks ("2w") or months ("1mo").`,
      param,
      'invalid_duration',
    );
  }
  return { amount: Number(match[1]), unit };
}

/** `start` plus the duration, in ms. Months are calendar months (UTC), the day clamped to the month's end as LiteLLM does. */
export function addDuration(startMs: number, duration: Duration, param: string): number {
  let end: number;
  if (duration.unit === 'mo') {
    const start = new Date(startMs);
    const target = new Date(startMs);
    target.setUTCDate(1);
    target.setUTCMonth(start.getUTCMonth() + duration.amount);
    const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
    target.setUTCDate(Math.min(start.getUTCDate(), lastDay));
    end = target.getTime();
  } else {
    end = startMs + duration.amount * UNIT_MS[duration.unit];
  }
  if (!Number.isFinite(end) || end > MAX_TIME_MS)
    throw badRequest(`Invalid ${param}: ${duration.amount}${duration.unit} reaches past the year 275000.`, param, 'invalid_duration');
  return end;
}

/** Parse and add in one step: when a duration that starts now ends. */
export function endOfDuration(startMs: number, text: string, param: string): number {
  return addDuration(startMs, parseDuration(text, param), param);
}
