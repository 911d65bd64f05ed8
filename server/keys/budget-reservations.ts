/**
 * Budget reservations per virtual key, in memory. A call reserves its worst-case cost before it starts and
 * holds it until it settles; when the router moves it to another deployment (a retry or a fallback) the
 * hold moves with it, so a fallback to a pricier group is reserved at its own price. The gateway is one
 * Node process and nothing here awaits, so checking and reserving are one atomic step.
 *
 * Rule: a call is admitted while spend + what calls in flight have reserved is under max_budget, and it
 * reserves its worst case capped at what is left. A call whose worst case is more than what is left runs
 * only alone (no other call of the key holds a reservation): otherwise a key with a budget of a few calls'
 * worth could never make a call without max_tokens, whose worst case is the model's whole output window.
 * Guarantee: calls that fit cost at most their reservation, and a capped call claims the rest of the budget
 * until it settles, so however many calls run at once, spend passes the budget by at most one call's excess;
 * sequential calls run until spend reaches the budget, and the refusal comes after it.
 * A call whose cost is certain, not just possible, and more than what is left (a rerank query at its per-query price)
 * is refused even alone: running it would pass the budget for sure.
 */
import type { Deployment } from '../core/call.ts';
import { DeploymentRefusal, GatewayError } from '../core/errors.ts';
import type { KeyStore } from './key-store.ts';
import { formatUsd } from './money.ts';
import type { VirtualKey } from './virtual-key.ts';

export interface BudgetSnapshot {
  reservedNanos: number;
  /** Calls holding a reservation. */
  calls: number;
}

interface Held {
  reservedNanos: number;
  calls: number;
}

/**
 * What a call may cost: its worst case (a number alone), and what it costs at least whatever it answers (a rerank
 * call's one query at a per-query price; 0 for a call priced by the tokens it happens to produce).
 */
export type CallCost = number | { worstCaseNanos: number; certainNanos: number };

/** One call's reservation. */
export interface BudgetHold {
  readonly reservedNanos: number;
  /**
   * The call moved to a deployment where it may cost `cost`: frees the old reservation and reserves the new one,
   * or throws the budget's 429 (the call then holds nothing).
   */
  move(cost: CallCost, now?: number): void;
  /** The call is over (its cost recorded, or nothing spent): frees its reservation. Idempotent. */
  release(): void;
}

export class BudgetReservations {
  /** Only keys with calls in flight have an entry, so the map stays as small as the traffic. */
  private readonly held = new Map<string, Held>();

  /**
   * general_settings.allow_unpriced_models of the config in force: whether a key with a budget may call a
   * deployment with no price (its calls would count $0 against the budget). Read per call, so a reload applies.
   */
  allowUnpriced: () => boolean = () => false;

  constructor(private readonly keys: KeyStore) {}

  /**
   * Refuses (400 model_unpriced) a call of a key with a budget to a deployment with no price, unless
   * allow_unpriced_models is set: such a call would spend money upstream and $0 of the budget.
   */
  checkPriced(key: VirtualKey, deployment: Deployment, modelGroup: string, priced: boolean): void {
    if (priced || key.maxBudgetNanos === null || this.allowUnpriced()) return;
    throw unpricedModel(deployment, modelGroup);
  }

  /** Reserves the call's worst case against the key's budget, or throws 429 insufficient_quota. */
  reserve(key: VirtualKey, cost: CallCost, now = this.keys.now()): BudgetHold {
    let reservedNanos = this.claim(key, cost, now);
    const free = () => {
      this.unclaim(key.id, reservedNanos);
      reservedNanos = 0;
    };
    return {
      get reservedNanos() {
        return reservedNanos;
      },
      move: (next, at = this.keys.now()) => {
        free();
        reservedNanos = this.claim(key, next, at);
      },
      release: free,
    };
  }

  snapshot(keyId: string): BudgetSnapshot {
    const held = this.held.get(keyId);
    return { reservedNanos: held?.reservedNanos ?? 0, calls: held?.calls ?? 0 };
  }

  /** What the call reserves (0 for a key without a budget, or a call that cannot cost anything); throws the 429. */
  private claim(key: VirtualKey, cost: CallCost, now: number): number {
    const max = key.maxBudgetNanos;
    if (max === null) return 0;
    this.keys.resetBudgetIfDue(key, now);
    const worstCase = Math.max(0, Math.ceil(typeof cost === 'number' ? cost : cost.worstCaseNanos));
    const certain = typeof cost === 'number' ? 0 : Math.ceil(cost.certainNanos);
    const { reservedNanos, calls } = this.snapshot(key.id);
    const left = max - key.spendNanos - reservedNanos;
    if (left <= 0 || (worstCase > left && (calls > 0 || certain > left))) throw budgetExceeded(key, reservedNanos, worstCase, now);
    const share = Math.min(worstCase, left);
    if (share === 0) return 0;
    const held = this.held.get(key.id) ?? { reservedNanos: 0, calls: 0 };
    held.reservedNanos += share;
    held.calls++;
    this.held.set(key.id, held);
    return share;
  }

  private unclaim(keyId: string, nanos: number): void {
    if (nanos === 0) return;
    const held = this.held.get(keyId);
    if (!held) return;
    held.reservedNanos -= nanos;
    held.calls--;
    if (held.calls === 0) this.held.delete(keyId);
  }
}

/** The refusal names every way out: a price on the deployment, a newer price table, or the setting that allows it. */
export function unpricedModel(deployment: Deployment, modelGroup: string): DeploymentRefusal {
  const upstream = `${deployment.provider}/${deployment.upstreamModel}`;
  return new DeploymentRefusal(
    400,
    `Model ${modelGroup} (deployment ${deployment.id}, ${upstream}) has no price: its calls would cost $0 against this key's budget. ` +
      'Set model_info.input_cost_per_token / output_cost_per_token for it, update the price table (npm start -- --update-prices, ' +
      'or Settings → Price table in the dashboard), or set general_settings.allow_unpriced_models: true.',
    { type: 'invalid_request_error', param: 'model', code: 'model_unpriced' },
  );
}

const retryAfterSeconds = (ms: number) => String(Math.max(1, Math.ceil(ms / 1000)));

function budgetExceeded(key: VirtualKey, reserved: number, worstCase: number, now: number): GatewayError {
  const resets = key.budgetResetAt !== null ? ` The budget resets at ${new Date(key.budgetResetAt).toISOString()}.` : '';
  const inFlight = reserved > 0 ? ` Calls in flight have reserved ${formatUsd(reserved)} more.` : '';
  const thisCall = worstCase > 0 ? ` This call could cost up to ${formatUsd(worstCase)}.` : '';
  return new GatewayError(
    429,
    `Budget has been exceeded! Current cost: ${formatUsd(key.spendNanos)}, Max budget: ${formatUsd(key.maxBudgetNanos ?? 0)} (key ${key.keyName}).${inFlight}${thisCall}${resets}`,
    {
      type: 'insufficient_quota',
      code: 'insufficient_quota',
      // OpenAI SDKs retry a 429 unless told not to; more calls cannot make the budget larger.
      headers: { 'x-should-retry': 'false', ...(key.budgetResetAt !== null ? { 'retry-after': retryAfterSeconds(key.budgetResetAt - now) } : {}) },
    },
  );
}
