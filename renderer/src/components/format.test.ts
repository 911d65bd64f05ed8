import { describe, expect, it } from 'vitest';
import { formatCount, formatMs, formatPercent, formatRelative, formatUsd } from './format.ts';

describe('formatUsd', () => {
  it('shows cents, and more places for sub-cent amounts, without trailing zeros', () => {
    expect(formatUsd(12)).toBe('$12.00');
    expect(formatUsd(0.5)).toBe('$0.50');
    expect(formatUsd(0.0123)).toBe('$0.0123');
    expect(formatUsd(0.005)).toBe('$0.005');
    expect(formatUsd(0.00012345)).toBe('$0.000123');
    expect(formatUsd(0)).toBe('$0.00');
    expect(formatUsd(-1.5)).toBe('-$1.50');
    expect(formatUsd(null)).toBe('—');
  });
});

describe('other formats', () => {
  it('reads naturally', () => {
    expect(formatPercent(0.25)).toBe('25.0%');
    expect(formatMs(123.4)).toBe('123 ms');
    expect(formatMs(12_345)).toBe('12.3 s');
    const now = Date.parse('2026-01-01T00:10:00Z');
    expect(formatRelative('2026-01-01T00:07:00Z', now)).toBe('3 min ago');
    expect(formatRelative('2026-01-01T02:10:00Z', now)).toBe('in 2 h');
    expect(formatRelative(null, now)).toBe('—');
  });
});

describe('formatCount', () => {
  it('agrees the noun with the number', () => {
    expect(formatCount(1, 'request')).toBe('1 request');
    expect(formatCount(0, 'request')).toBe('0 requests');
    expect(formatCount(1234, 'request')).toBe('1,234 requests');
    expect(formatCount(2, 'entry', 'entries')).toBe('2 entries');
  });
});
