/**
 * The price table over the gateway's life: the data dir's updated table (npm start -- --update-prices, or the
 * dashboard's Settings → Price table) is laid over the bundled one before the deployments are built, so a bare
 * model name the update added finds its provider; a change to that file by another process is picked up while
 * the gateway runs; deployments with no price are said in the log.
 */
import { unwatchFile, watchFile } from 'node:fs';
import type { Runtime } from './http/runtime.ts';
import { warnUnpricedDeployments } from './metering/unpriced-warnings.ts';
import type { Logger } from './observe/logger.ts';
import { storedPriceTablePath } from './prices/price-store.ts';
import { LivePriceTable, modelCount, type PriceTable } from './prices/price-table.ts';
import { applyStoredPriceTable, loadStoredPriceTableAtStart, priceTableAbout } from './prices/price-updates.ts';

/** How often a running gateway looks at the stored table's file for a change made by another process. */
const STORED_TABLE_POLL_MS = 1000;

/** At start, before the deployments are built: the stored table, when there is one and it is newer than the bundled one. */
export function loadStoredPrices(prices: PriceTable, dataDir: string | undefined, logger: Logger): void {
  if (!(prices instanceof LivePriceTable) || !dataDir) return;
  loadStoredPriceTableAtStart(prices, dataDir, { warn: (m) => logger.warn(m), info: (m) => logger.info(m) });
}

/** Once the runtime exists: budgets read allow_unpriced_models, the log names unpriced deployments, the file is watched. Returns the stop function. */
export function attachPriceTable(runtime: Runtime, prices: PriceTable): () => void {
  runtime.services.budgets.allowUnpriced = () => runtime.state.config.general_settings.allow_unpriced_models === true;
  const dataDir = runtime.about.dataDir;
  if (prices instanceof LivePriceTable) Object.assign(runtime.about.priceTable, priceTableAbout(prices, dataDir));
  warnUnpricedDeployments(runtime.state.router.deployments, runtime.state.prices, runtime.logger);
  if (!(prices instanceof LivePriceTable) || !dataDir) return () => undefined;
  const path = storedPriceTablePath(dataDir);
  const onChange = (now: { mtimeMs: number }, before: { mtimeMs: number }) => {
    if (now.mtimeMs === before.mtimeMs) return;
    const was = prices.origin.updatedAt;
    applyStoredPriceTable(prices, dataDir, (m) => runtime.logger.warn(m));
    Object.assign(runtime.about.priceTable, priceTableAbout(prices, dataDir));
    if (prices.origin.updatedAt !== was)
      runtime.logger.info(`Price table changed on disk (${path}): now ${prices.origin.source}, ${modelCount(prices)} models.`);
  };
  watchFile(path, { interval: STORED_TABLE_POLL_MS, persistent: false }, onChange);
  return () => unwatchFile(path, onChange);
}
