import { describe, expect, it } from 'vitest';
import { SlidingWindow } from './sliding-window.ts';

const SPAN = 60_000;

describe('SlidingWindow', () => {
  it('counts only what is inside the span and tells how long until the total falls', () => {
    const window = new SlidingWindow(SPAN);
    window.add(0, 3);
    window.add(10_000, 4);
    expect(window.total(59_999)).toBe(7);
    expect(window.msUntilAtMost(4, 59_999)).toBe(1);
    expect(window.total(60_000)).toBe(4);
    expect(window.total(70_000)).toBe(0);
  });

  it('holds nothing once every entry has aged out, however few there were', () => {
    const window = new SlidingWindow(SPAN);
    for (let i = 0; i < 10; i++) window.add(i, 1);
    expect(window.retainedEntries).toBe(10);
    expect(window.total(SPAN + 10)).toBe(0);
    expect(window.retainedEntries).toBe(0);
  });

  it('keeps handles valid across pruning: an adjust after a reset settles the right entry', () => {
    const window = new SlidingWindow(SPAN);
    const old = window.add(0, 5);
    expect(window.total(SPAN)).toBe(0);
    const fresh = window.add(SPAN, 10);
    window.adjust(old, 100); // aged out: nothing to correct
    window.adjust(fresh, 2);
    expect(window.total(SPAN)).toBe(2);
  });
});
