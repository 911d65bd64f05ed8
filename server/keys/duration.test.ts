import { describe, expect, it } from 'vitest';
import { GatewayError } from '../core/errors.ts';
import { addDuration, endOfDuration, isNoDuration, parseDuration } from './duration.ts';

const T0 = Date.UTC(2025, 0, 31, 12, 0, 0);

describe('durations', () => {
  it('reads the units LiteLLM documents, plus weeks and months', () => {
    expect(endOfDuration(T0, '30s', 'duration') - T0).toBe(30_000);
    expect(endOfDuration(T0, '30m', 'duration') - T0).toBe(30 * 60_000);
    expect(endOfDuration(T0, '30h', 'duration') - T0).toBe(30 * 3_600_000);
    expect(endOfDuration(T0, '30d', 'duration') - T0).toBe(30 * 86_400_000);
    expect(endOfDuration(T0, '2w', 'duration') - T0).toBe(14 * 86_400_000);
  });

  it('keeps spelled-out units working ("30min" is in LiteLLM\'s own docs)', () => {
    expect(parseDuration('30min', 'duration')).toEqual({ amount: 30, unit: 'm' });
    expect(parseDuration('1 hour', 'duration')).toEqual({ amount: 1, unit: 'h' });
    expect(parseDuration('7days', 'duration')).toEqual({ amount: 7, unit: 'd' });
  });

  it('adds calendar months, clamping the day to the month end', () => {
    expect(new Date(endOfDuration(T0, '1mo', 'budget_duration')).toISOString()).toBe('2025-02-28T12:00:00.000Z');
    expect(new Date(endOfDuration(T0, '2mo', 'budget_duration')).toISOString()).toBe('2025-03-31T12:00:00.000Z');
    expect(new Date(endOfDuration(Date.UTC(2025, 10, 15), '3mo', 'budget_duration')).toISOString()).toBe('2026-02-15T00:00:00.000Z');
  });

  it('answers anything else with a 400 naming the parameter', () => {
    for (const bad of ['30', 'abc', '30x', '-1d', '1.5h', 'd30']) {
      let error: unknown;
      try {
        parseDuration(bad, 'budget_duration');
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(GatewayError);
      expect((error as GatewayError).status).toBe(400);
      expect((error as GatewayError).param).toBe('budget_duration');
      expect((error as GatewayError).code).toBe('invalid_duration');
      expect((error as GatewayError).message).toContain('"30d"');
    }
    expect(() => addDuration(T0, { amount: 20_000_000, unit: 'w' }, 'duration')).toThrow(/year 275000/);
  });

  it('treats LiteLLM\'s "no duration" spellings as none', () => {
    for (const none of [null, undefined, '', ' none ', 'NULL']) expect(isNoDuration(none)).toBe(true);
    expect(isNoDuration('30d')).toBe(false);
  });
});
