/**
 * Updating the price table without a release, one implementation for the CLI (`--update-prices`) and the admin
 * API (POST/DELETE /admin/prices): read, validate, store in the data dir, then swap the running gateway's table.
 * A rejected table leaves both the stored file and the table in force as they were.
 */
import { BUNDLED_PRICE_TABLE_PATH, bundledPriceTableAsOf, modelCount, type LivePriceTable, type PriceEntry, type PriceTableOrigin } from './price-table.ts';
import { readPriceTableSource } from './price-source.ts';
import { readStoredPriceTable, removeStoredPriceTable, storedPriceTablePath, writeStoredPriceTable } from './price-store.ts';
import { parsePriceTableText, validatePriceTable } from './validate-table.ts';

export interface AcceptedPriceTable {
  entries: Map<string, PriceEntry>;
  origin: PriceTableOrigin;
}

/**
 * Reads `source` (URL or file), validates it and stores it in `dataDir` (when there is one); throws
 * PriceTableRejected. The caller swaps it into a running table (or the next start loads it).
 */
export async function acceptPriceTableFrom(source: string, dataDir: string | null): Promise<AcceptedPriceTable> {
  const text = await readPriceTableSource(source);
  const entries = parsePriceTableText(text);
  return store(JSON.parse(text) as Record<string, unknown>, entries, source, dataDir);
}

/** The same for a table sent as JSON (POST /admin/prices `{ "table": … }`). */
export function acceptPriceTable(json: unknown, from: string, dataDir: string | null): AcceptedPriceTable {
  const entries = validatePriceTable(json);
  return store(json as Record<string, unknown>, entries, from, dataDir);
}

function store(json: Record<string, unknown>, entries: Map<string, PriceEntry>, from: string, dataDir: string | null): AcceptedPriceTable {
  const origin: PriceTableOrigin = dataDir ? writeStoredPriceTable(dataDir, json, from) : { source: 'updated', from, updatedAt: new Date().toISOString() };
  return { entries, origin };
}

/** Back to the bundled table: the stored one is removed and the running table reverted. */
export function revertToBundled(table: LivePriceTable, dataDir: string | null): void {
  if (dataDir) removeStoredPriceTable(dataDir);
  table.revert();
}

/**
 * At startup: the stored table over the bundled one — unless the bundled table is newer (a release shipped after
 * the update was made), in which case the bundled one is used and the stored file is left alone, said in the log.
 * An update made after that (POST /admin/prices, --update-prices) applies as always.
 */
export function loadStoredPriceTableAtStart(table: LivePriceTable, dataDir: string, log: { warn: (m: string) => void; info: (m: string) => void }): void {
  let stored: ReturnType<typeof readStoredPriceTable>;
  try {
    stored = readStoredPriceTable(dataDir);
  } catch (err) {
    log.warn(`The updated price table in ${dataDir} cannot be used (${(err as Error).message}); the bundled one is used.`);
    return;
  }
  if (!stored) return;
  const bundledAsOf = bundledPriceTableAsOf();
  if (bundledAsOf && stored.asOf && Date.parse(bundledAsOf) > Date.parse(stored.asOf)) {
    log.info(
      `The bundled price table (${bundledAsOf}) is newer than the updated one in ${dataDir} (${stored.asOf}, from ${stored.origin.from}): using the bundled one. ` +
        'Update again (npm start -- --update-prices) to use a newer table.',
    );
    return;
  }
  table.replace(stored.entries, stored.origin);
}

/**
 * When the stored file changes under a running gateway (another process ran --update-prices, or removed it):
 * lays the data dir's stored table over the bundled one, or goes back to the bundled one. A stored file that no longer passes validation is reported and the table in force is kept.
 */
export function applyStoredPriceTable(table: LivePriceTable, dataDir: string, warn: (message: string) => void): void {
  try {
    const stored = readStoredPriceTable(dataDir);
    if (stored) table.replace(stored.entries, stored.origin);
    else if (table.origin.source === 'updated') table.revert();
  } catch (err) {
    warn(`The updated price table in ${dataDir} cannot be used (${(err as Error).message}); the prices in force are kept.`);
  }
}

/** Where the table in force lives and how many models it prices (GET /admin/settings' price_table): the stored file once updated. */
export function priceTableAbout(table: LivePriceTable, dataDir: string | null): { path: string; models: number } {
  const stored = table.origin.source === 'updated' && dataDir !== null;
  return { path: stored ? storedPriceTablePath(dataDir) : BUNDLED_PRICE_TABLE_PATH, models: modelCount(table) };
}
