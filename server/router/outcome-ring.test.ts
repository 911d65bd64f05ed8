import { describe, expect, it } from 'vitest';
import { OutcomeRing, percentile } from './outcome-ring.ts';

describe('percentile (nearest rank)', () => {
  it('picks the value at the rank', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 95)).toBe(95);
    expect(percentile(values, 100)).toBe(100);
    expect(percentile(values, 0)).toBe(1);
  });

  it('works on few values and none', () => {
    expect(percentile([7], 50)).toBe(7);
    expect(percentile([7], 95)).toBe(7);
    expect(percentile([10, 20], 50)).toBe(10);
    expect(percentile([10, 20], 95)).toBe(20);
    expect(percentile([], 50)).toBeUndefined();
  });
});

describe('OutcomeRing', () => {
  it('summarises the outcomes since a time: counts, sorted latencies of successes, newest', () => {
    const ring = new OutcomeRing(10);
    ring.push(1000, true, 30);
    ring.push(2000, false);
    ring.push(3000, true, 10);
    ring.push(4000, true, 20);
    expect(ring.summary(0)).toEqual({ requests: 4, errors: 1, latencies: [10, 20, 30], last: { at: 4000, ok: true } });
    expect(ring.summary(2500)).toEqual({ requests: 2, errors: 0, latencies: [10, 20], last: { at: 4000, ok: true } });
    expect(ring.summary(5000)).toEqual({ requests: 0, errors: 0, latencies: [], last: undefined });
  });

  it('keeps only the newest `capacity` outcomes', () => {
    const ring = new OutcomeRing(3);
    for (let i = 1; i <= 7; i++) ring.push(i, i % 2 === 0, i);
    // 5 (error), 6 (ok), 7 (error) remain.
    expect(ring.summary(0)).toEqual({ requests: 3, errors: 2, latencies: [6], last: { at: 7, ok: false } });
  });
});
