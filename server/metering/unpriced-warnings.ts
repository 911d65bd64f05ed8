/**
 * "No silent $0": a deployment with no price (not in the price table, no price of its own) is said in the log
 * once per deployment and gateway — at startup for the configured ones, at its first call for one a reload or a
 * wildcard brought in. Its calls are still served and flagged (spend_logs.cost_source = 'unpriced').
 */
import type { Logger } from '../observe/logger.ts';
import type { Deployment } from '../providers/types.ts';
import type { PriceBook } from '../spend/price-book.ts';

/** Per gateway (its logger), the deployment ids already warned about. */
const warnedByLogger = new WeakMap<Logger, Set<string>>();

/** A wildcard pattern (`claude-*`) is priced per model it serves, never as itself. */
const isPattern = (d: Deployment) => d.upstreamModel.includes('*') || d.modelName.includes('*');

/** Warns once about each deployment here that has no price; returns the unpriced ones. */
export function warnUnpricedDeployments(deployments: readonly Deployment[], prices: PriceBook, logger: Logger): Deployment[] {
  const unpriced = deployments.filter((d) => !isPattern(d) && !prices.priceOf(d).known);
  for (const d of unpriced) warnUnpriced(d, logger);
  return unpriced;
}

export function warnUnpriced(d: Deployment, logger: Logger): void {
  let warned = warnedByLogger.get(logger);
  if (!warned) {
    warned = new Set();
    warnedByLogger.set(logger, warned);
  }
  if (warned.has(d.id)) return;
  warned.add(d.id);
  logger.warn(
    `Model ${d.modelName} (deployment ${d.id}, ${d.provider}/${d.upstreamModel}) has no price in the price table or its config: ` +
      "its calls are recorded at $0 (cost_source 'unpriced'), and keys with a budget are refused it unless general_settings.allow_unpriced_models is true. " +
      'Set model_info.input_cost_per_token / output_cost_per_token, or update the price table (npm start -- --update-prices).',
  );
}
