import { afterEach, describe, expect, it } from 'vitest';
import type { GatewayError } from '../core/errors.ts';
import { openDatabase, type Db } from '../store/database.ts';
import { BudgetReservations } from './budget-reservations.ts';
import { KeyStore, type NewKeyInput } from './key-store.ts';
import { gatewayErrorFrom } from '../test-support/fixtures.ts';

const T0 = Date.UTC(2025, 5, 1);
const dbs: Db[] = [];

function setup(input: NewKeyInput) {
  const db = openDatabase(':memory:');
  dbs.push(db);
  const keys = new KeyStore(db, () => T0);
  const budgets = new BudgetReservations(keys);
  const { key } = keys.generate(input);
  return { keys, budgets, key };
}

afterEach(() => {
  for (const db of dbs.splice(0)) db.close();
});

const refusal = gatewayErrorFrom;

describe('reserve and release', () => {
  it('holds the worst case while the call runs; release frees it once', () => {
    const { budgets, key } = setup({ maxBudgetNanos: 1000 });
    const hold = budgets.reserve(key, 600);
    expect(hold.reservedNanos).toBe(600);
    expect(budgets.snapshot(key.id)).toEqual({ reservedNanos: 600, calls: 1 });
    hold.release();
    hold.release();
    expect(hold.reservedNanos).toBe(0);
    expect(budgets.snapshot(key.id)).toEqual({ reservedNanos: 0, calls: 0 });
  });

  it('a key without a budget reserves nothing', () => {
    const { budgets, key } = setup({});
    expect(budgets.reserve(key, 10 ** 12).reservedNanos).toBe(0);
    expect(budgets.snapshot(key.id)).toEqual({ reservedNanos: 0, calls: 0 });
  });

  it('refuses with 429 insufficient_quota and x-should-retry: false when spend and reservations claim the budget', () => {
    const { keys, budgets, key } = setup({ maxBudgetNanos: 1000 });
    keys.commitSpend(key.id, 1000);
    const error = refusal(() => budgets.reserve(key, 0));
    expect(error.status).toBe(429);
    expect(error.code).toBe('insufficient_quota');
    expect(error.headers['x-should-retry']).toBe('false');
    expect(error.message).toMatch(/^Budget has been exceeded! Current cost: \$0\.000001/);
  });
});

describe('move: a retry or fallback reserves at its new deployment', () => {
  it('frees the old worst case and reserves the new one', () => {
    const { budgets, key } = setup({ maxBudgetNanos: 1000 });
    const hold = budgets.reserve(key, 100);
    hold.move(700);
    expect(hold.reservedNanos).toBe(700);
    expect(budgets.snapshot(key.id)).toEqual({ reservedNanos: 700, calls: 1 });
  });

  it('refuses a move whose worst case no longer fits beside another call in flight, and then holds nothing', () => {
    const { budgets, key } = setup({ maxBudgetNanos: 1000 });
    budgets.reserve(key, 500);
    const moving = budgets.reserve(key, 100);
    expect(refusal(() => moving.move(600)).code).toBe('insufficient_quota');
    expect(moving.reservedNanos).toBe(0);
    expect(budgets.snapshot(key.id)).toEqual({ reservedNanos: 500, calls: 1 });
  });
});

describe('a worst case larger than what is left', () => {
  it('runs when no other call of the key is in flight, reserving what is left', () => {
    const { budgets, key } = setup({ maxBudgetNanos: 1000 });
    const alone = budgets.reserve(key, 5000);
    expect(alone.reservedNanos).toBe(1000);
    // The budget is claimed in full: nothing else runs until it settles.
    expect(refusal(() => budgets.reserve(key, 1)).code).toBe('insufficient_quota');
  });

  it('is refused even alone when the call is certain to cost more than what is left (a rerank query’s price)', () => {
    const { budgets, key } = setup({ maxBudgetNanos: 1000 });
    expect(refusal(() => budgets.reserve(key, { worstCaseNanos: 1500, certainNanos: 1200 })).code).toBe('insufficient_quota');
    expect(budgets.snapshot(key.id)).toEqual({ reservedNanos: 0, calls: 0 });
    // Certain to cost what is left, possibly more: it runs alone, as any call whose worst case does not fit.
    expect(budgets.reserve(key, { worstCaseNanos: 1500, certainNanos: 1000 }).reservedNanos).toBe(1000);
  });

  it('is refused while another call of the key is in flight', () => {
    const { budgets, key } = setup({ maxBudgetNanos: 1000 });
    budgets.reserve(key, 300);
    expect(refusal(() => budgets.reserve(key, 800)).code).toBe('insufficient_quota');
    expect(budgets.reserve(key, 700).reservedNanos).toBe(700);
  });

  it('sequential calls spend until the budget is reached; the refusal comes after it, over by less than one call', () => {
    const { keys, budgets, key } = setup({ maxBudgetNanos: 1000 });
    let answered = 0;
    for (;;) {
      let hold: ReturnType<BudgetReservations['reserve']>;
      try {
        hold = budgets.reserve(key, 5000);
      } catch (err) {
        expect((err as GatewayError).code).toBe('insufficient_quota');
        break;
      }
      keys.commitSpend(key.id, 300);
      hold.release();
      answered++;
    }
    expect(answered).toBe(4);
    expect(key.spendNanos).toBe(1200);
  });

  it('a move to a pricier deployment runs alone on what is left', () => {
    const { budgets, key } = setup({ maxBudgetNanos: 1000 });
    const hold = budgets.reserve(key, 100);
    hold.move(5000);
    expect(hold.reservedNanos).toBe(1000);
  });
});
