import { describe, expect, it } from 'vitest';
import { bundledPriceEntries, LivePriceTable, loadPriceTable } from '../prices/price-table.ts';
import { ModelRouter } from '../router/model-router.ts';
import { PriceBook, undatedAlias } from './price-book.ts';
import { testDeployment } from './test-deployment.ts';

// Prices as they stand in resources/model_prices_and_context_window.json.
const table = loadPriceTable();
const book = () => new PriceBook(table);

describe('PriceBook', () => {
  it('prices gpt-4o from the table, cache writes defaulting to the input price', () => {
    const prices = book().priceOf(testDeployment({ provider: 'openai', upstreamModel: 'gpt-4o' }));
    expect(prices).toEqual({
      inputPerToken: 2.5e-6,
      outputPerToken: 1e-5,
      cacheReadPerToken: 1.25e-6,
      cacheCreationPerToken: 2.5e-6,
      known: true,
      source: 'price_table',
      tiers: [],
    });
  });

  it('prices claude-sonnet-4-5 with its cache rates and its long-context tier', () => {
    const prices = book().priceOf(testDeployment({ provider: 'anthropic', upstreamModel: 'claude-sonnet-4-5' }));
    expect(prices.inputPerToken).toBe(3e-6);
    expect(prices.outputPerToken).toBe(1.5e-5);
    expect(prices.cacheReadPerToken).toBe(3e-7);
    expect(prices.cacheCreationPerToken).toBe(3.75e-6);
    expect(prices.tiers).toEqual([
      { aboveTokens: 200_000, inputPerToken: 6e-6, outputPerToken: 2.25e-5, cacheReadPerToken: 6e-7, cacheCreationPerToken: 7.5e-6 },
    ]);
  });

  it('prices each model a wildcard deployment serves at its own price, whichever is asked first', () => {
    // `claude-*` → `anthropic/claude-*`, as the README sets up Claude Code: one configured deployment, many models.
    const wildcard = testDeployment({ id: 'claude-wildcard', modelName: 'claude-*', provider: 'anthropic', upstreamModel: 'claude-*' });
    const router = new ModelRouter([wildcard]);
    const prices = book();
    const priceOf = (model: string) => prices.priceOf(router.resolve(model).deployments[0]!);
    // Haiku 3 $0.25 / $1.25, Opus 3 $15 / $75 per million tokens.
    expect(priceOf('claude-3-haiku-20240307')).toMatchObject({ inputPerToken: 2.5e-7, outputPerToken: 1.25e-6 });
    expect(priceOf('claude-3-opus-20240229')).toMatchObject({ inputPerToken: 1.5e-5, outputPerToken: 7.5e-5 });
    expect(priceOf('claude-3-haiku-20240307')).toMatchObject({ inputPerToken: 2.5e-7, outputPerToken: 1.25e-6 });
  });

  it('prices text-embedding-3-small', () => {
    const prices = book().priceOf(testDeployment({ provider: 'openai', upstreamModel: 'text-embedding-3-small' }));
    expect(prices.inputPerToken).toBe(2e-8);
    expect(prices.outputPerToken).toBe(0);
    expect(prices.cacheReadPerToken).toBe(2e-8);
  });

  it('prefers `provider/model` to the bare name (azure/gpt-4o-mini costs more than gpt-4o-mini)', () => {
    const prices = book().priceOf(testDeployment({ provider: 'azure', upstreamModel: 'gpt-4o-mini' }));
    expect(prices.inputPerToken).toBe(1.65e-7);
  });

  it('prefers model_info.base_model to everything else (Azure deployments with made-up names)', () => {
    const azure = testDeployment({ provider: 'azure', upstreamModel: 'prod-east-1', modelInfo: { base_model: 'azure/gpt-4o-mini' } });
    expect(book().priceOf(azure).inputPerToken).toBe(1.65e-7);
    // Without a prefix, the bare name wins over `provider/base_model`.
    const bare = testDeployment({ provider: 'azure', upstreamModel: 'prod-east-1', modelInfo: { base_model: 'gpt-4o-mini' } });
    expect(book().priceOf(bare).inputPerToken).toBe(1.5e-7);
    // base_model beats a name that has its own price.
    const groq = testDeployment({ provider: 'groq', upstreamModel: 'llama-3.1-8b-instant', modelInfo: { base_model: 'gpt-4o' } });
    expect(book().priceOf(groq).inputPerToken).toBe(2.5e-6);
  });

  it('falls back to the raw litellm_params.model', () => {
    const d = testDeployment({ provider: 'custom', upstreamModel: 'whatever', params: { model: 'gpt-4o-mini' } });
    expect(book().priceOf(d).inputPerToken).toBe(1.5e-7);
  });

  it('lets litellm_params and model_info override the table, litellm_params first, strings included', () => {
    const d = testDeployment({
      provider: 'anthropic',
      upstreamModel: 'claude-sonnet-4-5',
      params: { model: 'anthropic/claude-sonnet-4-5', input_cost_per_token: 1e-6, cache_read_input_token_cost: '1e-7' },
      modelInfo: { input_cost_per_token: 9, output_cost_per_token: 2e-6 },
    });
    const prices = book().priceOf(d);
    expect(prices.source).toBe('deployment');
    expect(prices.inputPerToken).toBe(1e-6);
    expect(prices.outputPerToken).toBe(2e-6);
    expect(prices.cacheReadPerToken).toBe(1e-7);
    expect(prices.cacheCreationPerToken).toBe(3.75e-6); // not overridden: the table's
    expect(prices.tiers).toEqual([]); // an override is the whole price
  });

  it('prices a model the table does not know from overrides alone, cache prices defaulting to input', () => {
    const d = testDeployment({
      provider: 'hosted_vllm',
      upstreamModel: 'my-llama',
      params: { model: 'hosted_vllm/my-llama', input_cost_per_token: 2e-7, output_cost_per_token: 4e-7 },
    });
    expect(book().priceOf(d)).toMatchObject({ inputPerToken: 2e-7, outputPerToken: 4e-7, cacheReadPerToken: 2e-7, cacheCreationPerToken: 2e-7, known: true });
  });

  it('prices the built-in mock (which answers in process) at 0, as a price of its own', () => {
    expect(book().priceOf(testDeployment({ provider: 'mock', upstreamModel: 'echo' }))).toMatchObject({ known: true, source: 'deployment', inputPerToken: 0 });
  });

  it('marks a model without a price as unknown (cost 0)', () => {
    const prices = book().priceOf(testDeployment({ provider: 'openai', upstreamModel: 'gpt-brand-new' }));
    expect(prices.known).toBe(false);
    expect(prices.source).toBe('unpriced');
    expect(prices.inputPerToken).toBe(0);
  });

  it('ignores negative and non-numeric overrides', () => {
    const d = testDeployment({
      provider: 'openai',
      upstreamModel: 'gpt-4o',
      params: { model: 'openai/gpt-4o', input_cost_per_token: -1, output_cost_per_token: 'free' as unknown as number },
    });
    expect(book().priceOf(d)).toMatchObject({ inputPerToken: 2.5e-6, outputPerToken: 1e-5 });
  });

  it('looks each deployment up once, by id', () => {
    const prices = book();
    const first = prices.priceOf(testDeployment({ id: 'dep-1', provider: 'openai', upstreamModel: 'gpt-4o' }));
    const again = prices.priceOf(testDeployment({ id: 'dep-1', provider: 'openai', upstreamModel: 'gpt-4o-mini' }));
    expect(again).toBe(first);
  });

  it('names the table entry a deployment is priced from', () => {
    expect(book().tableEntryOf(testDeployment({ provider: 'azure', upstreamModel: 'gpt-4o-mini' }))).toBe('azure/gpt-4o-mini');
    expect(book().tableEntryOf(testDeployment({ provider: 'mock', upstreamModel: 'echo' }))).toBeUndefined();
  });

  it('prices a wildcard copy from overrides on the wildcard deployment (model_info and litellm_params)', () => {
    const wildcard = testDeployment({
      id: 'claude-any',
      modelName: 'claude-*',
      provider: 'anthropic',
      upstreamModel: 'claude-*',
      params: { model: 'anthropic/claude-*', output_cost_per_token: 4e-6 },
      modelInfo: { input_cost_per_token: 1e-6 },
    });
    const copy = new ModelRouter([wildcard]).resolve('claude-new-model-x').deployments[0]!;
    expect(book().priceOf(copy)).toMatchObject({ inputPerToken: 1e-6, outputPerToken: 4e-6, source: 'deployment', known: true });
  });
});

describe('dated snapshots', () => {
  it('strips a trailing -YYYYMMDD, -YYYY-MM-DD or @YYYYMMDD, nothing else', () => {
    expect(undatedAlias('claude-opus-4-8-20261101')).toBe('claude-opus-4-8');
    expect(undatedAlias('gpt-5.5-2026-09-01')).toBe('gpt-5.5');
    expect(undatedAlias('claude-opus-4-8@20261101')).toBe('claude-opus-4-8');
    expect(undatedAlias('anthropic/claude-opus-4-8-20261101')).toBe('anthropic/claude-opus-4-8');
    expect(undatedAlias('gpt-4-0613')).toBeUndefined();
    expect(undatedAlias('claude-opus-4-8')).toBeUndefined();
    expect(undatedAlias('20261101')).toBeUndefined();
  });

  it('prices a snapshot the table does not know as its undated alias', () => {
    expect(table.has('claude-opus-4-8-20261101')).toBe(false);
    const claude = book().priceOf(testDeployment({ provider: 'anthropic', upstreamModel: 'claude-opus-4-8-20261101' }));
    expect(claude).toMatchObject({ known: true, source: 'price_table', inputPerToken: table.get('claude-opus-4-8')!.input_cost_per_token });
    const gpt = testDeployment({ provider: 'openai', upstreamModel: 'gpt-5.5-2026-09-01' });
    expect(book().priceOf(gpt)).toMatchObject({ known: true, inputPerToken: table.get('gpt-5.5')!.input_cost_per_token });
    expect(book().tableEntryOf(gpt)).toBe('gpt-5.5');
  });

  it('prefers an exact entry to the alias, and never guesses across model names', () => {
    // The table has this snapshot itself.
    expect(book().tableEntryOf(testDeployment({ provider: 'anthropic', upstreamModel: 'claude-opus-4-5-20251101' }))).toBe('claude-opus-4-5-20251101');
    // No date to strip: a near name (claude-opus-4-8 exists) is not a price.
    expect(book().priceOf(testDeployment({ provider: 'anthropic', upstreamModel: 'claude-opus-4-8-turbo' })).source).toBe('unpriced');
    // An alias that is not in the table either.
    expect(book().priceOf(testDeployment({ provider: 'anthropic', upstreamModel: 'claude-nonesuch-20261101' })).source).toBe('unpriced');
  });
});

describe('a table updated while the gateway runs', () => {
  it('reprices every deployment from the next lookup', () => {
    const live = new LivePriceTable();
    const prices = new PriceBook(live);
    const d = testDeployment({ provider: 'openai', upstreamModel: 'gpt-4o' });
    expect(prices.priceOf(d).inputPerToken).toBe(2.5e-6);
    const updated = new Map(bundledPriceEntries());
    updated.set('gpt-4o', { litellm_provider: 'openai', input_cost_per_token: 3e-6, output_cost_per_token: 1.2e-5 });
    live.replace(updated, { source: 'updated', from: 'test', updatedAt: '2026-12-03T00:00:00.000Z' });
    expect(prices.priceOf(d)).toMatchObject({ inputPerToken: 3e-6, outputPerToken: 1.2e-5 });
    live.revert();
    expect(prices.priceOf(d).inputPerToken).toBe(2.5e-6);
    expect(live.origin.source).toBe('bundled');
  });
});
