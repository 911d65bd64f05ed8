/**
 * The admin API's wire types for the price table (master key only):
 *
 * - GET /admin/prices → PriceTableStatus: which table prices calls (the bundled one or an update), how many models
 *   it prices, when and from where it was updated, and the running deployments it cannot price.
 * - POST /admin/prices with PriceTableUpdate (`{ "url": "https://…" }` or `{ "table": { …LiteLLM's cost map… } }`)
 *   → PriceTableStatus; a table that fails validation is a 400 `price_table_rejected` naming the reason, and
 *   changes nothing. On success the running gateway prices every call from then on with it.
 * - DELETE /admin/prices → PriceTableStatus: back to the bundled table.
 */

/**
 * Where a deployment's price comes from, as GET /model/info reports it in model_info.cost_source (next to
 * model_info.price_table_entry): `unpriced` — its calls cost $0 and keys with a budget are refused them;
 * `per_model` — a wildcard, priced per model it serves.
 */
export type ModelCostSource = 'price_table' | 'deployment' | 'unpriced' | 'per_model';

export interface UnpricedDeployment {
  /** The deployment's id. */
  id: string;
  model_name: string;
  /** `provider/upstream-model`. */
  model: string;
}

export interface PriceTableStatus {
  source: 'bundled' | 'updated';
  /** Entries that name a provider (litellm_provider): the models the table prices. */
  models: number;
  /** Every entry of the table. */
  entries: number;
  /** ISO time of the update; null for the bundled table. */
  updated_at: string | null;
  /** The URL or file an update came from (or "upload"); the bundled file's path for the bundled table. */
  from: string;
  /** Where "Update from URL" fetches by default: LiteLLM's public cost map. */
  default_url: string;
  /** false: this gateway was given a fixed table, so POST and DELETE answer 409. */
  updatable: boolean;
  /** false: there is no data dir, so an update lasts until the gateway stops. */
  persistent: boolean;
  /** The fewest models an update must price. */
  min_models: number;
  /** Running deployments with no price anywhere: their calls cost $0 (flagged `unpriced`). */
  unpriced_deployments: UnpricedDeployment[];
}

/** Exactly one of the two. */
export interface PriceTableUpdate {
  url?: string;
  table?: Record<string, unknown>;
}
