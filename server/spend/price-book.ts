/**
 * Per-deployment token prices: the deployment's own overrides first, then the price table (LiteLLM's cost map,
 * bundled or updated). Each deployment is looked up once and remembered by id, so pricing a request is a Map
 * read; an update of the table (prices/price-table.ts, LivePriceTable) clears what was remembered. A wildcard
 * deployment's copy for one model has an id of its own (router/model-router.ts), so it is priced as that model.
 *
 * A dated snapshot the table does not know yet (`claude-opus-4-8-20261101`, `gpt-5.5-2026-09-01`,
 * `claude-opus-4-8@20261101`) is priced as its undated alias when the table has that. Nothing else is guessed:
 * a model with no price anywhere is `unpriced`, and says so (spend rows, /model/info, the dashboard, budgets).
 */
import type { CostSource } from '../core/admin-api.ts';
import { LivePriceTable, type PriceEntry, type PriceTable } from '../prices/price-table.ts';
import { answersInProcess } from '../providers/registry.ts';
import type { Deployment } from '../providers/types.ts';

export type { CostSource };

/** USD per token, as LiteLLM's cost map states them. */
export interface TokenPrices {
  inputPerToken: number;
  outputPerToken: number;
  /** Prompt tokens read from the provider's prompt cache. Defaults to the input price. */
  cacheReadPerToken: number;
  /** Prompt tokens written to the provider's prompt cache (Anthropic). Defaults to the input price. */
  cacheCreationPerToken: number;
  /** false: no price found anywhere; the request costs 0 and the caller may warn once. */
  known: boolean;
  /** USD per search unit of a rerank call (the cost map's `input_cost_per_query`), when the model is priced so. */
  perQuery?: number;
  /** price_table: the table's entry; deployment: the deployment's own prices (over the table's, if any); unpriced: none. */
  source: CostSource;
  /**
   * Long-context rates (`*_above_200k_tokens`, `*_above_272k_tokens` in the cost map), ascending by
   * threshold. As in LiteLLM, a request whose prompt exceeds a threshold pays that tier's rates for all
   * of its tokens. Empty when the deployment overrides its prices (an override is the whole price).
   */
  tiers: readonly PriceTier[];
}

export interface PriceTier {
  /** Applies when the prompt has more than this many tokens. */
  aboveTokens: number;
  inputPerToken: number;
  outputPerToken: number;
  cacheReadPerToken: number;
  cacheCreationPerToken: number;
}

/** The price fields LiteLLM accepts in litellm_params and model_info. */
const OVERRIDE_FIELDS = {
  input: 'input_cost_per_token',
  output: 'output_cost_per_token',
  cacheRead: 'cache_read_input_token_cost',
  cacheCreation: 'cache_creation_input_token_cost',
} as const;

type Field = keyof typeof OVERRIDE_FIELDS;

export const UNKNOWN_PRICES: TokenPrices = Object.freeze({
  inputPerToken: 0,
  outputPerToken: 0,
  cacheReadPerToken: 0,
  cacheCreationPerToken: 0,
  known: false,
  source: 'unpriced',
  tiers: Object.freeze([]) as readonly PriceTier[],
});

/** The built-in mock answers in process: it costs nothing, a price of its own rather than an unknown one. */
const IN_PROCESS_PRICES: TokenPrices = Object.freeze({ ...UNKNOWN_PRICES, known: true, source: 'deployment' });

export class PriceBook {
  private readonly byDeployment = new Map<string, TokenPrices>();
  /** The LivePriceTable version the remembered prices were resolved from. */
  private tableVersion: number | undefined;

  constructor(readonly table: PriceTable) {
    this.tableVersion = table instanceof LivePriceTable ? table.version : undefined;
  }

  priceOf(d: Deployment): TokenPrices {
    if (this.table instanceof LivePriceTable && this.table.version !== this.tableVersion) {
      this.byDeployment.clear();
      this.tableVersion = this.table.version;
    }
    let prices = this.byDeployment.get(d.id);
    if (!prices) {
      prices = resolvePrices(this.table, d);
      this.byDeployment.set(d.id, prices);
    }
    return prices;
  }

  /** The table entry name a deployment is priced from (for /model/info and warnings), if any. */
  tableEntryOf(d: Deployment): string | undefined {
    return tableEntryName(this.table, d);
  }

  /** The most output tokens the model can produce (model_info, else the table), if known. */
  maxOutputTokensOf(d: Deployment): number | undefined {
    const fromInfo = Number(d.modelInfo.max_output_tokens);
    if (Number.isFinite(fromInfo) && fromInfo > 0) return fromInfo;
    const name = this.tableEntryOf(d);
    const entry = name ? this.table.get(name) : undefined;
    const fromTable = Number(entry?.max_output_tokens ?? entry?.max_tokens);
    return Number.isFinite(fromTable) && fromTable > 0 ? fromTable : undefined;
  }
}

function resolvePrices(table: PriceTable, d: Deployment): TokenPrices {
  const override = (field: Field): number | undefined => priceValue(d.params[OVERRIDE_FIELDS[field]]) ?? priceValue(d.modelInfo[OVERRIDE_FIELDS[field]]);
  const overridden = (Object.keys(OVERRIDE_FIELDS) as Field[]).some((f) => override(f) !== undefined);

  const entryName = tableEntryName(table, d);
  const entry = entryName === undefined ? undefined : table.get(entryName);
  if (!entry && !overridden) return answersInProcess(d.provider) ? IN_PROCESS_PRICES : UNKNOWN_PRICES;

  const input = override('input') ?? priceValue(entry?.input_cost_per_token) ?? 0;
  const perQuery = priceValue(d.params.input_cost_per_query) ?? priceValue(d.modelInfo.input_cost_per_query) ?? priceValue(entry?.input_cost_per_query);
  return {
    ...(perQuery === undefined ? {} : { perQuery }),
    inputPerToken: input,
    outputPerToken: override('output') ?? priceValue(entry?.output_cost_per_token) ?? 0,
    cacheReadPerToken: override('cacheRead') ?? priceValue(entry?.cache_read_input_token_cost) ?? input,
    cacheCreationPerToken: override('cacheCreation') ?? priceValue(entry?.cache_creation_input_token_cost) ?? input,
    known: true,
    source: overridden ? 'deployment' : 'price_table',
    tiers: overridden || !entry ? [] : tiersOf(entry),
  };
}

/** The first candidate name the table prices; then the first whose undated alias it prices. */
function tableEntryName(table: PriceTable, d: Deployment): string | undefined {
  const names = candidateNames(d);
  const exact = names.find((name) => hasTokenPrice(table.get(name)));
  if (exact !== undefined) return exact;
  for (const name of names) {
    const alias = undatedAlias(name);
    if (alias !== undefined && hasTokenPrice(table.get(alias))) return alias;
  }
  return undefined;
}

/** A trailing snapshot date: `-YYYYMMDD`, `-YYYY-MM-DD` or `@YYYYMMDD` (Vertex AI's form). */
const SNAPSHOT_DATE = /(?:-\d{8}|-\d{4}-\d{2}-\d{2}|@\d{8})$/;

/** `claude-opus-4-8-20261101` → `claude-opus-4-8`; undefined for a name without a trailing date. */
export function undatedAlias(name: string): string | undefined {
  const alias = name.replace(SNAPSHOT_DATE, '');
  return alias !== name && alias !== '' && !alias.endsWith('/') ? alias : undefined;
}

/**
 * Where a deployment's price may be found, best first: model_info.base_model (how LiteLLM prices an
 * Azure deployment whose name says nothing), `provider/upstream`, the bare upstream name, and the raw
 * litellm_params.model.
 */
function candidateNames(d: Deployment): string[] {
  const names: string[] = [];
  const baseModel = d.modelInfo.base_model;
  if (typeof baseModel === 'string' && baseModel !== '') {
    names.push(baseModel);
    if (!baseModel.includes('/')) names.push(`${d.provider}/${baseModel}`);
  }
  names.push(`${d.provider}/${d.upstreamModel}`, d.upstreamModel);
  if (typeof d.params.model === 'string') names.push(d.params.model);
  return [...new Set(names)];
}

function hasTokenPrice(entry: PriceEntry | undefined): entry is PriceEntry {
  return entry !== undefined && (priceValue(entry.input_cost_per_token) !== undefined || priceValue(entry.output_cost_per_token) !== undefined);
}

/**
 * A price from config or the table. Strings are accepted because config.yaml is read as YAML 1.1, where
 * `1e-6` (no dot) is a string, not a number.
 */
function priceValue(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

const TIER_FIELD = /^input_cost_per_token_above_(\d+)k_tokens$/;

function tiersOf(entry: PriceEntry): PriceTier[] {
  const tiers: PriceTier[] = [];
  for (const key of Object.keys(entry)) {
    const match = TIER_FIELD.exec(key);
    const input = match ? priceValue(entry[key]) : undefined;
    if (!match || input === undefined) continue;
    const suffix = `_above_${match[1]}k_tokens`;
    const at = (field: string, fallback: number) => priceValue(entry[`${field}${suffix}`]) ?? fallback;
    tiers.push({
      aboveTokens: Number(match[1]) * 1000,
      inputPerToken: input,
      outputPerToken: at('output_cost_per_token', priceValue(entry.output_cost_per_token) ?? 0),
      // A tier without its own cache rates keeps the base cache rates rather than charging full price.
      cacheReadPerToken: at('cache_read_input_token_cost', priceValue(entry.cache_read_input_token_cost) ?? input),
      cacheCreationPerToken: at('cache_creation_input_token_cost', priceValue(entry.cache_creation_input_token_cost) ?? input),
    });
  }
  return tiers.sort((a, b) => a.aboveTokens - b.aboveTokens);
}
