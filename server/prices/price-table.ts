/**
 * The bundled price table (LiteLLM's public model cost map, MIT), loaded once from resources/.
 * Used to resolve a bare model name's provider and, later, to price usage.
 */
import { readFileSync } from 'node:fs';
import { appPath } from '../core/app-root.ts';

export interface PriceEntry {
  litellm_provider?: string;
  input_cost_per_token?: number;
  output_cost_per_token?: number;
  cache_read_input_token_cost?: number;
  cache_creation_input_token_cost?: number;
  max_input_tokens?: number;
  max_output_tokens?: number;
  max_tokens?: number;
  mode?: string;
  [key: string]: unknown;
}

export type PriceTable = ReadonlyMap<string, PriceEntry>;

export const BUNDLED_PRICE_TABLE_PATH = appPath('resources', 'model_prices_and_context_window.json');

let bundled: PriceTable | undefined;

export function loadPriceTable(path: string = BUNDLED_PRICE_TABLE_PATH): PriceTable {
  if (path === BUNDLED_PRICE_TABLE_PATH && bundled) return bundled;
  const json = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  const table = new Map<string, PriceEntry>();
  for (const [name, entry] of Object.entries(json)) {
    // `sample_spec` documents the format; it is not a model.
    if (name === 'sample_spec' || typeof entry !== 'object' || entry === null) continue;
    table.set(name, entry as PriceEntry);
  }
  if (path === BUNDLED_PRICE_TABLE_PATH) bundled = table;
  return table;
}
