/**
 * What a price table must be before it replaces the one in force (POST /admin/prices, `--update-prices`): a
 * mistyped URL, an HTML error page, a truncated download or a hand-edited file with a negative price must never
 * reprice the gateway. A rejected table changes nothing, and the reason names the first thing wrong.
 */
import { bundledPriceEntries, modelCount, priceEntriesOf, type PriceEntry } from './price-table.ts';

/** The fewest models an accepted table may price, whatever the bundled table holds. */
export const MIN_MODELS = 100;

export class PriceTableRejected extends Error {
  constructor(reason: string) {
    super(`Price table rejected: ${reason}`);
    this.name = 'PriceTableRejected';
  }
}

/**
 * The fewest models an update must price: 100, and at least half the bundled table's, so a table cut short or
 * meant for something else is refused rather than silently unpricing most models.
 */
export function minimumModels(): number {
  return Math.max(MIN_MODELS, Math.floor(modelCount(bundledPriceEntries()) / 2));
}

/** Parses JSON text as a price table; throws PriceTableRejected. */
export function parsePriceTableText(text: string): Map<string, PriceEntry> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new PriceTableRejected(`not JSON (${(err as Error).message}).`);
  }
  return validatePriceTable(json);
}

/** Checks a parsed cost map (LiteLLM's model_prices_and_context_window.json shape); throws PriceTableRejected. */
export function validatePriceTable(json: unknown): Map<string, PriceEntry> {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new PriceTableRejected(
      `expected a JSON object of model name → prices, got ${Array.isArray(json) ? 'an array' : json === null ? 'null' : typeof json}.`,
    );
  }
  const entries = priceEntriesOf(json as Record<string, unknown>);
  for (const [name, entry] of entries) checkEntry(name, entry);
  const models = modelCount(entries);
  const needed = minimumModels();
  if (models < needed) {
    throw new PriceTableRejected(
      `it prices ${models} model${models === 1 ? '' : 's'} (entries with a litellm_provider); at least ${needed} are needed (half the bundled table's), so a partial or unrelated file cannot replace it.`,
    );
  }
  return entries;
}

/** A model entry: litellm_provider a string when present (required with any price), every cost a finite number ≥ 0. */
function checkEntry(name: string, entry: PriceEntry): void {
  const provider = entry.litellm_provider;
  if (provider !== undefined && typeof provider !== 'string') throw new PriceTableRejected(`"${name}".litellm_provider is not a string.`);
  let priced = false;
  for (const [field, value] of Object.entries(entry)) {
    if (!isCostField(field)) continue;
    priced = true;
    checkCost(`"${name}".${field}`, value);
  }
  if (priced && typeof provider !== 'string') throw new PriceTableRejected(`"${name}" has prices but no litellm_provider.`);
}

/** LiteLLM's cost fields: `*_cost_per_*`, `*_cost` (cache_read_input_token_cost) and `cost_per_*`. */
function isCostField(field: string): boolean {
  return /(^|_)cost(_|$)/.test(field);
}

/** A number, or an object of numbers (search_context_cost_per_query's sizes). */
function checkCost(path: string, value: unknown): void {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    for (const [key, inner] of Object.entries(value)) checkCost(`${path}.${key}`, inner);
    return;
  }
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new PriceTableRejected(`${path} is ${JSON.stringify(value) ?? String(value)}; a price must be a finite number ≥ 0.`);
  }
}
