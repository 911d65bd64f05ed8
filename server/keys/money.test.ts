import { describe, expect, it } from 'vitest';
import { usdToNanos } from '../spend/cost.ts';
import { formatUsd } from './money.ts';

describe('formatUsd', () => {
  it('shows at least four decimals and every nano-dollar that matters', () => {
    expect(formatUsd(usdToNanos(1))).toBe('$1.0000');
    expect(formatUsd(usdToNanos(0.123456))).toBe('$0.123456');
    expect(formatUsd(1)).toBe('$0.000000001');
    expect(formatUsd(0)).toBe('$0.0000');
  });
});
