/**
 * Dollars in messages. The conversions themselves (dollars at the API edge, integer nano-dollars inside)
 * live with the cost arithmetic in server/spend/cost.ts.
 */
import { nanosToUsd } from '../spend/cost.ts';

/** `$0.0123`: at least four decimals, more when the amount needs them (down to the nano-dollar). */
export function formatUsd(nanos: number): string {
  const usd = nanosToUsd(nanos);
  const plain = usd.toFixed(9).replace(/0+$/, '');
  const decimals = Math.max(4, plain.length - plain.indexOf('.') - 1);
  return `$${usd.toFixed(decimals)}`;
}
