/**
 * Reading a price table from where the operator points: an http(s) URL (undici's fetch) or a file path.
 * Nothing is trusted: the text goes through validate-table.ts before it replaces anything.
 */
import { readFile } from 'node:fs/promises';
import { fetch } from 'undici';
import { PriceTableRejected } from './validate-table.ts';

/** LiteLLM's public cost map, the default source of `--update-prices` and the dashboard's "Update from URL". */
export const LITELLM_PRICES_URL = 'https://raw.githubusercontent.com/BerriAI/litellm/main/model_prices_and_context_window.json';

/** Bigger than any cost map LiteLLM has published (a few MB), small enough that a wrong URL cannot fill memory. */
export const MAX_PRICE_TABLE_BYTES = 50 * 1024 * 1024;

const FETCH_TIMEOUT_MS = 60_000;

export function isUrl(source: string): boolean {
  return /^https?:\/\//i.test(source);
}

/** The table's text from a URL or a file; throws PriceTableRejected with the reason. */
export async function readPriceTableSource(source: string): Promise<string> {
  if (!isUrl(source)) {
    try {
      const text = await readFile(source, 'utf8');
      if (text.length > MAX_PRICE_TABLE_BYTES) throw new PriceTableRejected(`${source} is larger than ${MAX_PRICE_TABLE_BYTES / 1024 / 1024} MB.`);
      return text;
    } catch (err) {
      if (err instanceof PriceTableRejected) throw err;
      throw new PriceTableRejected(`cannot read ${source}: ${(err as Error).message}`);
    }
  }
  let response: Awaited<ReturnType<typeof fetch>>;
  try {
    response = await fetch(source, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), headers: { accept: 'application/json' } });
  } catch (err) {
    const cause = (err as { cause?: { message?: string } }).cause?.message;
    throw new PriceTableRejected(`cannot fetch ${source}: ${(err as Error).message}${cause ? ` (${cause})` : ''}`);
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    throw new PriceTableRejected(`${source} answered HTTP ${response.status}.`);
  }
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > MAX_PRICE_TABLE_BYTES) {
    await response.body?.cancel().catch(() => undefined);
    throw new PriceTableRejected(`${source} is larger than ${MAX_PRICE_TABLE_BYTES / 1024 / 1024} MB.`);
  }
  const text = await response.text();
  if (text.length > MAX_PRICE_TABLE_BYTES) throw new PriceTableRejected(`${source} is larger than ${MAX_PRICE_TABLE_BYTES / 1024 / 1024} MB.`);
  return text;
}
