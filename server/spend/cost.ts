/**
 * What a request cost, in integer nano-dollars (1e-9 USD), from the provider's usage and the
 * deployment's prices.
 *
 * Exactness: prices are per-token decimals like 2.5e-6 that binary floating point cannot hold, so each
 * price is read as the decimal it prints as and scaled to an integer number of femto-dollars (1e-15 USD,
 * finer than any price in LiteLLM's cost map). Tokens × femto prices are summed as BigInt, and the total
 * is rounded to nano-dollars once per request (half up). Sums of the stored integers are then exact.
 */
import type { SpendEndpoint } from '../core/admin-api.ts';
import type { Usage } from '../providers/types.ts';
import type { PriceTier, TokenPrices } from './price-book.ts';

export const NANOS_PER_USD = 1_000_000_000;
const FEMTOS_PER_NANO = 1_000_000n;

/** Integer nano-dollars → USD: the double nearest the exact decimal value (one correctly rounded division). */
export function nanosToUsd(nanos: number): number {
  return nanos / NANOS_PER_USD;
}

/**
 * USD → integer nano-dollars, from the decimal digits the number prints as (so 0.1 is exactly 100,000,000
 * and 1.0000000005 rounds to 1,000,000,001), rounded half away from zero. For budgets typed in config.
 */
export function usdToNanos(usd: number): number {
  const nanos = Number(scaledDecimal(usd, 9));
  if (!Number.isSafeInteger(nanos)) throw new RangeError(`Dollar amount too large: ${usd}`);
  return nanos;
}

/** A rerank call's usage also counts the search units it was billed (LiteLLM's `meta.billed_units.search_units`). */
export type RerankUsage = Usage & { search_units?: number };

export interface TokenCounts {
  promptTokens: number;
  completionTokens: number;
  /** Prompt tokens served from the provider's prompt cache. */
  cachedTokens: number;
  /** Prompt tokens written to the provider's prompt cache. */
  cacheCreationTokens: number;
  totalTokens: number;
}

/** The counts a spend row stores, read defensively (providers omit fields or send garbage). */
export function tokenCounts(usage: Usage): TokenCounts {
  const promptTokens = count(usage.prompt_tokens);
  const completionTokens = count(usage.completion_tokens);
  return {
    promptTokens,
    completionTokens,
    cachedTokens: count(usage.prompt_tokens_details?.cached_tokens) || count(usage.cache_read_input_tokens),
    cacheCreationTokens: count(usage.cache_creation_input_tokens),
    totalTokens: count(usage.total_tokens) || promptTokens + completionTokens,
  };
}

/**
 * The cost of one request. `usage` is OpenAI-shaped: prompt_tokens counts every prompt token, cache reads
 * and writes included (the Anthropic adapters already add them in). Chat, completions and `messages` are
 * priced alike; embeddings are prompt tokens at the input price; a rerank call is its search units at the per-query
 * price when the model has one (Cohere's rerank models), else its tokens.
 */
export function costNanos(usage: RerankUsage, prices: TokenPrices, endpoint: SpendEndpoint): number {
  if (!prices.known) return 0;
  if (endpoint === 'rerank' && prices.perQuery !== undefined) return femtosToNanosRounded(big(count(usage.search_units)) * scaledDecimal(prices.perQuery, 15));
  const t = tokenCounts(usage);
  const rates = femtoRates(prices, t.promptTokens);
  if (endpoint === 'embeddings') return femtosToNanosRounded(big(t.promptTokens) * rates.input);

  // Never count a token twice, even if a provider reports more cache tokens than prompt tokens.
  const cached = Math.min(t.cachedTokens, t.promptTokens);
  const creation = Math.min(t.cacheCreationTokens, t.promptTokens - cached);
  const uncached = t.promptTokens - cached - creation;
  const femtos = big(uncached) * rates.input + big(cached) * rates.cacheRead + big(creation) * rates.cacheCreation + big(t.completionTokens) * rates.output;
  return femtosToNanosRounded(femtos);
}

/**
 * The most a request can cost, for budget reservations: every prompt token at the dearer of the input and
 * cache-write prices, and `maxTokens` completion tokens; rounded up.
 */
export function worstCaseNanos(promptTokens: number, maxTokens: number, prices: TokenPrices): number {
  if (!prices.known) return 0;
  const prompt = count(promptTokens);
  const rates = femtoRates(prices, prompt);
  // biome-ignore lint/complexity/useMathMinMax: bigint rates, which Math.max does not take
  const input = rates.cacheCreation > rates.input ? rates.cacheCreation : rates.input;
  const femtos = big(prompt) * input + big(count(maxTokens)) * rates.output;
  return Number((femtos + FEMTOS_PER_NANO - 1n) / FEMTOS_PER_NANO);
}

/**
 * What a rerank call may cost, for its budget reservation. A model priced per query (input_cost_per_query) is billed
 * its search units, one query at least (as LiteLLM bills a call), so that much is certain; any token price the model
 * has is reserved on top for the query and documents. A rerank produces no output tokens.
 */
export function rerankCostNanos(promptTokens: number, prices: TokenPrices): { worstCaseNanos: number; certainNanos: number } {
  if (!prices.known) return { worstCaseNanos: 0, certainNanos: 0 };
  const perQuery = prices.perQuery === undefined ? 0n : scaledDecimal(prices.perQuery, 15);
  const tokens = big(count(promptTokens)) * femtoRates(prices, count(promptTokens)).input;
  const up = (femtos: bigint) => Number((femtos + FEMTOS_PER_NANO - 1n) / FEMTOS_PER_NANO);
  return { worstCaseNanos: up(perQuery + tokens), certainNanos: up(perQuery) };
}

interface FemtoRates {
  input: bigint;
  output: bigint;
  cacheRead: bigint;
  cacheCreation: bigint;
}

/** Scaled prices are computed once per TokenPrices object (the PriceBook hands out the same object per deployment). */
const femtoCache = new WeakMap<TokenPrices, { base: FemtoRates; tiers: { aboveTokens: number; rates: FemtoRates }[] }>();

function femtoRates(prices: TokenPrices, promptTokens: number): FemtoRates {
  let scaled = femtoCache.get(prices);
  if (!scaled) {
    scaled = { base: toFemto(prices), tiers: prices.tiers.map((tier) => ({ aboveTokens: tier.aboveTokens, rates: toFemto(tier) })) };
    femtoCache.set(prices, scaled);
  }
  let rates = scaled.base;
  for (const tier of scaled.tiers) if (promptTokens > tier.aboveTokens) rates = tier.rates;
  return rates;
}

function toFemto(p: TokenPrices | PriceTier): FemtoRates {
  return {
    input: scaledDecimal(p.inputPerToken, 15),
    output: scaledDecimal(p.outputPerToken, 15),
    cacheRead: scaledDecimal(p.cacheReadPerToken, 15),
    cacheCreation: scaledDecimal(p.cacheCreationPerToken, 15),
  };
}

function femtosToNanosRounded(femtos: bigint): number {
  return Number((femtos + FEMTOS_PER_NANO / 2n) / FEMTOS_PER_NANO);
}

/**
 * `x × 10^scale` as an exact integer, computed on the decimal digits `x` prints as (the shortest
 * round-trip form), rounded half away from zero.
 */
export function scaledDecimal(x: number, scale: number): bigint {
  if (!Number.isFinite(x)) throw new RangeError(`Not a finite amount: ${x}`);
  const [mantissa = '0', exponent = '0'] = Math.abs(x).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const integerDigits = 1 + Number(exponent) + scale;
  let whole: bigint;
  let roundUp: boolean;
  if (integerDigits <= 0) {
    whole = 0n;
    roundUp = integerDigits === 0 && digits[0]! >= '5';
  } else if (integerDigits >= digits.length) {
    whole = BigInt(digits + '0'.repeat(integerDigits - digits.length));
    roundUp = false;
  } else {
    whole = BigInt(digits.slice(0, integerDigits));
    roundUp = digits[integerDigits]! >= '5';
  }
  if (roundUp) whole += 1n;
  return x < 0 ? -whole : whole;
}

const count = (n: unknown): number => (typeof n === 'number' && Number.isFinite(n) && n > 0 ? Math.floor(n) : 0);
const big = (n: number): bigint => BigInt(n);
