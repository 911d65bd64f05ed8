/**
 * The price table (LiteLLM's public model cost map, MIT): the copy bundled in resources/, or one the operator
 * updated without a release (prices/price-store.ts). Used to resolve a bare model name's provider and to price usage.
 *
 * A gateway holds one LivePriceTable for its whole life: every config state's PriceBook reads through it, so an
 * update (POST /admin/prices, `--update-prices`) swaps the entries in one place and the next call is priced from
 * them; `version` tells a PriceBook to forget the prices it resolved from the old entries.
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

/** Where the entries in force came from. */
export interface PriceTableOrigin {
  source: 'bundled' | 'updated';
  /** The URL or file an update was read from; the bundled file's path otherwise. */
  from: string;
  /** ISO time of the update; null for the bundled table. */
  updatedAt: string | null;
}

let bundled: ReadonlyMap<string, PriceEntry> | undefined;

/** The bundled table's entries, read once per process. */
export function bundledPriceEntries(): ReadonlyMap<string, PriceEntry> {
  bundled ??= priceEntriesOf(JSON.parse(readFileSync(BUNDLED_PRICE_TABLE_PATH, 'utf8')) as Record<string, unknown>);
  return bundled;
}

/** The model entries of a cost map: objects other than `sample_spec` (which documents the format, it is not a model). */
export function priceEntriesOf(json: Record<string, unknown>): Map<string, PriceEntry> {
  const table = new Map<string, PriceEntry>();
  for (const [name, entry] of Object.entries(json)) {
    if (name === 'sample_spec' || typeof entry !== 'object' || entry === null || Array.isArray(entry)) continue;
    table.set(name, entry as PriceEntry);
  }
  return table;
}

let bundledAsOf: string | null | undefined;

/** The bundled table's own `last_updated` (ISO), if it has one. */
export function bundledPriceTableAsOf(): string | null {
  if (bundledAsOf === undefined) {
    const json = JSON.parse(readFileSync(BUNDLED_PRICE_TABLE_PATH, 'utf8')) as { last_updated?: unknown };
    bundledAsOf = typeof json.last_updated === 'string' ? json.last_updated : null;
  }
  return bundledAsOf;
}

/** How many entries name a provider: the models a table prices (metadata entries do not count). */
export function modelCount(table: PriceTable): number {
  let n = 0;
  for (const entry of table.values()) if (typeof entry.litellm_provider === 'string') n++;
  return n;
}

export const BUNDLED_ORIGIN: PriceTableOrigin = Object.freeze({ source: 'bundled', from: BUNDLED_PRICE_TABLE_PATH, updatedAt: null });

/** A price table whose entries can be swapped while the gateway runs. */
export class LivePriceTable implements ReadonlyMap<string, PriceEntry> {
  private current: ReadonlyMap<string, PriceEntry>;
  private currentOrigin: PriceTableOrigin;
  /** Bumped on every swap. */
  version = 0;

  constructor(entries: ReadonlyMap<string, PriceEntry> = bundledPriceEntries(), origin: PriceTableOrigin = BUNDLED_ORIGIN) {
    this.current = entries;
    this.currentOrigin = origin;
  }

  get origin(): PriceTableOrigin {
    return this.currentOrigin;
  }

  replace(entries: ReadonlyMap<string, PriceEntry>, origin: PriceTableOrigin): void {
    this.current = entries;
    this.currentOrigin = origin;
    this.version++;
  }

  revert(): void {
    this.replace(bundledPriceEntries(), BUNDLED_ORIGIN);
  }

  get size(): number {
    return this.current.size;
  }
  get(name: string): PriceEntry | undefined {
    return this.current.get(name);
  }
  has(name: string): boolean {
    return this.current.has(name);
  }
  forEach(callback: (value: PriceEntry, key: string, map: ReadonlyMap<string, PriceEntry>) => void, thisArg?: unknown): void {
    for (const [key, value] of this.current) callback.call(thisArg, value, key, this);
  }
  entries(): MapIterator<[string, PriceEntry]> {
    return this.current.entries();
  }
  keys(): MapIterator<string> {
    return this.current.keys();
  }
  values(): MapIterator<PriceEntry> {
    return this.current.values();
  }
  [Symbol.iterator](): MapIterator<[string, PriceEntry]> {
    return this.current[Symbol.iterator]();
  }
}

/**
 * The bundled table, as a LivePriceTable of its own (each gateway may update its own), or the table in a file.
 */
export function loadPriceTable(path: string = BUNDLED_PRICE_TABLE_PATH): PriceTable {
  if (path === BUNDLED_PRICE_TABLE_PATH) return new LivePriceTable();
  return priceEntriesOf(JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>);
}
