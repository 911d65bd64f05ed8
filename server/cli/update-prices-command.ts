/**
 * `npm start -- --update-prices [FILE|URL]`: fetch (or read) a price table, check it, and store it in the data dir,
 * then exit — 0 when stored, 2 with the reason when refused (the table in force is left as it was). A gateway
 * running on the same data dir picks the new table up within a second, without a restart; one started later
 * loads it at startup. DELETE /admin/prices (or "Revert to bundled" in the dashboard) goes back to the bundled table.
 */
import { mkdirSync } from 'node:fs';
import { LITELLM_PRICES_URL } from '../prices/price-source.ts';
import { modelCount } from '../prices/price-table.ts';
import { acceptPriceTableFrom } from '../prices/price-updates.ts';
import { storedPriceTablePath } from '../prices/price-store.ts';
import { PriceTableRejected } from '../prices/validate-table.ts';
import { CliError, type CliFlags } from './args.ts';
import { defaultDataDir } from './data-dir.ts';

export async function updatePricesCommand(flags: Pick<CliFlags, 'dataDir' | 'updatePrices'>, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const dataDir = flags.dataDir || env.LLM_GATEWAY_DATA_DIR || defaultDataDir();
  const source = flags.updatePrices || LITELLM_PRICES_URL;
  mkdirSync(dataDir, { recursive: true });
  try {
    const accepted = await acceptPriceTableFrom(source, dataDir);
    return `Price table updated from ${source}: ${modelCount(accepted.entries)} models, stored in ${storedPriceTablePath(dataDir)}. A running gateway on this data dir uses it from its next call.`;
  } catch (err) {
    if (err instanceof PriceTableRejected) throw new CliError(`${err.message} The price table in force is unchanged.`);
    throw err;
  }
}
