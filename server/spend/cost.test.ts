import { describe, expect, it } from 'vitest';
import { loadPriceTable } from '../prices/price-table.ts';
import type { Usage } from '../providers/types.ts';
import { costNanos, nanosToUsd, scaledDecimal, tokenCounts, usdToNanos, worstCaseNanos } from './cost.ts';
import { PriceBook, type TokenPrices } from './price-book.ts';
import { testDeployment } from './test-deployment.ts';

const book = new PriceBook(loadPriceTable());
const gpt4o = book.priceOf(testDeployment({ provider: 'openai', upstreamModel: 'gpt-4o' }));
const gpt4oMini = book.priceOf(testDeployment({ provider: 'openai', upstreamModel: 'gpt-4o-mini' }));
const sonnet = book.priceOf(testDeployment({ provider: 'anthropic', upstreamModel: 'claude-sonnet-4-5' }));
const embedding = book.priceOf(testDeployment({ provider: 'openai', upstreamModel: 'text-embedding-3-small' }));

const usage = (prompt: number, completion: number, extra: Partial<Usage> = {}): Usage => ({
  prompt_tokens: prompt,
  completion_tokens: completion,
  total_tokens: prompt + completion,
  ...extra,
});

const flat = (perToken: number): TokenPrices => ({
  inputPerToken: perToken,
  outputPerToken: perToken,
  cacheReadPerToken: perToken,
  cacheCreationPerToken: perToken,
  source: 'price_table',
  known: true,
  tiers: [],
});

describe('costNanos', () => {
  it('prices plain prompt and completion tokens (gpt-4o: $2.50 / $10 per million)', () => {
    expect(costNanos(usage(1000, 500), gpt4o, 'chat')).toBe(1000 * 2500 + 500 * 10_000);
  });

  it('prices OpenAI cached tokens at the cache-read price', () => {
    const u = usage(1000, 500, { prompt_tokens_details: { cached_tokens: 200 } });
    // 800 uncached × 2500 + 200 cached × 1250 + 500 × 10,000
    expect(costNanos(u, gpt4o, 'chat')).toBe(7_250_000);
  });

  it('prices Anthropic cache reads and writes (claude-sonnet-4-5: $3 in, $0.30 read, $3.75 write, $15 out)', () => {
    const u = usage(10_000, 1000, { prompt_tokens_details: { cached_tokens: 3000 }, cache_read_input_tokens: 3000, cache_creation_input_tokens: 2000 });
    expect(costNanos(u, sonnet, 'messages')).toBe(5000 * 3000 + 3000 * 300 + 2000 * 3750 + 1000 * 15_000);
    expect(costNanos(u, sonnet, 'chat')).toBe(38_400_000);
  });

  it('reads cache_read_input_tokens when prompt_tokens_details is absent', () => {
    const u = usage(1000, 0, { cache_read_input_tokens: 1000 });
    expect(costNanos(u, sonnet, 'chat')).toBe(1000 * 300);
  });

  it('never counts a token twice when a provider reports more cache tokens than prompt tokens', () => {
    const u = usage(100, 0, { cache_read_input_tokens: 80, cache_creation_input_tokens: 80 });
    expect(costNanos(u, sonnet, 'chat')).toBe(80 * 300 + 20 * 3750);
  });

  it('applies the long-context tier to every token once the prompt passes 200k', () => {
    expect(costNanos(usage(200_000, 100), sonnet, 'chat')).toBe(200_000 * 3000 + 100 * 15_000);
    expect(costNanos(usage(250_000, 100), sonnet, 'chat')).toBe(250_000 * 6000 + 100 * 22_500);
  });

  it('prices embeddings on prompt tokens only (text-embedding-3-small: $0.02 per million)', () => {
    expect(costNanos(usage(1234, 99), embedding, 'embeddings')).toBe(1234 * 20);
  });

  it('costs nothing without a known price', () => {
    expect(costNanos(usage(1000, 1000), { ...flat(1), known: false }, 'chat')).toBe(0);
  });

  it('rounds once per request, half up, on exact decimal prices', () => {
    expect(costNanos(usage(4, 0), flat(1e-10), 'chat')).toBe(0); // 0.4 nano
    expect(costNanos(usage(5, 0), flat(1e-10), 'chat')).toBe(1); // 0.5 nano
    expect(costNanos(usage(3, 2), flat(1e-10), 'chat')).toBe(1); // 0.5 nano over two kinds of token
    // 0.1 + 0.2 style float error would land just below or above; the decimal scaling does not.
    expect(costNanos(usage(1, 0), flat(3e-9), 'chat')).toBe(3);
  });

  it('sums a thousand tiny costs exactly', () => {
    let nanos = 0;
    let dollars = 0;
    for (let i = 0; i < 1000; i++) {
      nanos += costNanos(usage(1, 0), gpt4oMini, 'chat');
      dollars += 1.5e-7;
    }
    expect(nanos).toBe(150_000);
    expect(nanosToUsd(nanos)).toBe(0.00015);
    expect(dollars).not.toBe(0.00015); // what summing floats would have given
  });

  it('treats missing or garbage counts as zero', () => {
    const u = { prompt_tokens: Number.NaN, completion_tokens: -5, total_tokens: 0 } as Usage;
    expect(costNanos(u, gpt4o, 'chat')).toBe(0);
    expect(tokenCounts({ prompt_tokens: 10, completion_tokens: 5 } as Usage).totalTokens).toBe(15);
  });
});

describe('rerank cost', () => {
  const rerank = book.priceOf(testDeployment({ provider: 'cohere', upstreamModel: 'rerank-v3.5' }));

  it("prices a Cohere rerank call by its search units at the table's input_cost_per_query", () => {
    expect(rerank.perQuery).toBe(0.002);
    expect(costNanos({ ...usage(500, 0), search_units: 3 }, rerank, 'rerank')).toBe(3 * 2_000_000);
    // Tokens alone cost nothing on a per-query price; a rerank without search units is free, not guessed.
    expect(costNanos(usage(500, 0), rerank, 'rerank')).toBe(0);
  });

  it('prices a rerank model without a per-query price by its tokens, and search units elsewhere change nothing', () => {
    expect(costNanos({ ...usage(1000, 0), search_units: 1 }, flat(1e-6), 'rerank')).toBe(1000 * 1000);
    expect(costNanos({ ...usage(1000, 0), search_units: 5 }, { ...flat(1e-6), perQuery: 1 }, 'chat')).toBe(1000 * 1000);
  });
});

describe('worstCaseNanos', () => {
  it('charges every prompt token at the dearer of input and cache write, plus max_tokens of output, rounded up', () => {
    expect(worstCaseNanos(1000, 4096, sonnet)).toBe(1000 * 3750 + 4096 * 15_000);
    expect(worstCaseNanos(1000, 4096, gpt4o)).toBe(1000 * 2500 + 4096 * 10_000);
    expect(worstCaseNanos(3, 0, flat(1e-10))).toBe(1);
    expect(worstCaseNanos(1000, 1000, { ...flat(1), known: false })).toBe(0);
  });
});

describe('money conversions', () => {
  it('converts USD to nanos from the decimal the number prints as, half away from zero', () => {
    expect(usdToNanos(0.1)).toBe(100_000_000);
    expect(usdToNanos(1.0000000005)).toBe(1_000_000_001);
    expect(usdToNanos(2.5e-6)).toBe(2500);
    expect(usdToNanos(1e-10)).toBe(0);
    expect(usdToNanos(5e-10)).toBe(1);
    expect(usdToNanos(-1.5e-9)).toBe(-2);
    expect(usdToNanos(1234.5678)).toBe(1_234_567_800_000);
    expect(() => usdToNanos(Number.NaN)).toThrow(RangeError);
    expect(() => usdToNanos(1e10)).toThrow(RangeError);
  });

  it('converts nanos to the nearest double of the exact decimal', () => {
    expect(nanosToUsd(150_000)).toBe(0.00015);
    expect(nanosToUsd(7_250_000)).toBe(0.00725);
    expect(nanosToUsd(1)).toBe(1e-9);
  });

  it('scales decimals exactly', () => {
    expect(scaledDecimal(2.5e-6, 15)).toBe(2_500_000_000n);
    expect(scaledDecimal(3.75e-6, 15)).toBe(3_750_000_000n);
    expect(scaledDecimal(0, 15)).toBe(0n);
    expect(scaledDecimal(12, 3)).toBe(12_000n);
  });
});
