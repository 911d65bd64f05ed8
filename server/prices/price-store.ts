/**
 * The updated price table in the data dir: one file, `price-table.json`, holding the accepted cost map and where
 * and when it came from. Written atomically (temp file + rename), so a reader sees the old table or the new one.
 * At startup it is laid over the bundled table; deleting it (DELETE /admin/prices) goes back to the bundled one.
 */
import { existsSync, readFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../core/atomic-write.ts';
import type { PriceEntry, PriceTableOrigin } from './price-table.ts';
import { validatePriceTable } from './validate-table.ts';

export const STORED_PRICE_TABLE_FILE = 'price-table.json';

interface StoredFile {
  from: string;
  updated_at: string;
  table: Record<string, unknown>;
}

export interface StoredPriceTable {
  entries: Map<string, PriceEntry>;
  origin: PriceTableOrigin;
  /** How current the table is: its own `last_updated` (LiteLLM's map carries one), else when it was stored. */
  asOf: string | null;
}

export function storedPriceTablePath(dataDir: string): string {
  return join(dataDir, STORED_PRICE_TABLE_FILE);
}

/** Writes an accepted table (already validated) with its origin; returns the origin recorded. */
export function writeStoredPriceTable(dataDir: string, table: Record<string, unknown>, from: string, now = new Date()): PriceTableOrigin {
  const file: StoredFile = { from, updated_at: now.toISOString(), table };
  writeFileAtomic(storedPriceTablePath(dataDir), JSON.stringify(file), { mode: 0o644 });
  return { source: 'updated', from, updatedAt: file.updated_at };
}

/**
 * The stored table, checked again as on update (the file may have been edited by hand); undefined when there is
 * none. Throws PriceTableRejected (or a read error) for a file that is there but unusable.
 */
export function readStoredPriceTable(dataDir: string): StoredPriceTable | undefined {
  const path = storedPriceTablePath(dataDir);
  if (!existsSync(path)) return undefined;
  const file = JSON.parse(readFileSync(path, 'utf8')) as Partial<StoredFile>;
  const entries = validatePriceTable(file.table);
  const own = (file.table as Record<string, unknown>).last_updated;
  return {
    entries,
    asOf: typeof own === 'string' ? own : typeof file.updated_at === 'string' ? file.updated_at : null,
    origin: {
      source: 'updated',
      from: typeof file.from === 'string' ? file.from : path,
      updatedAt: typeof file.updated_at === 'string' ? file.updated_at : null,
    },
  };
}

/** Removes the stored table (nothing to do without one). */
export function removeStoredPriceTable(dataDir: string): void {
  try {
    unlinkSync(storedPriceTablePath(dataDir));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}
