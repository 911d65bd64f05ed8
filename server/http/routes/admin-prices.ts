/**
 * The price table behind the admin API: GET, POST and DELETE /admin/prices (core/admin-api/prices.ts), master key
 * only (registered inside the admin scope). Also what ties the table to this gateway's life, until gateway.ts does it
 * itself: the data dir's updated table is laid over the bundled one when the app starts, a change to that file (an
 * `npm start -- --update-prices` next to a running gateway) is picked up without a restart, the deployments with
 * no price are said in the log, and budgets read general_settings.allow_unpriced_models of the config in force.
 */
import { unwatchFile, watchFile } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { PriceTableStatus, PriceTableUpdate } from '../../core/admin-api.ts';
import { GatewayError } from '../../core/errors.ts';
import { warnUnpricedDeployments } from '../../metering/unpriced-warnings.ts';
import { LITELLM_PRICES_URL } from '../../prices/price-source.ts';
import { storedPriceTablePath } from '../../prices/price-store.ts';
import { BUNDLED_PRICE_TABLE_PATH, LivePriceTable, modelCount } from '../../prices/price-table.ts';
import { acceptPriceTable, acceptPriceTableFrom, applyStoredPriceTable, loadStoredPriceTableAtStart, revertToBundled } from '../../prices/price-updates.ts';
import { minimumModels, PriceTableRejected } from '../../prices/validate-table.ts';
import type { Runtime } from '../runtime.ts';

/** How often a running gateway looks at the stored table's file for a change made by another process. */
const STORED_TABLE_POLL_MS = 1000;

const updateBody = {
  type: 'object',
  properties: {
    url: { type: 'string', minLength: 1 },
    table: { type: 'object', additionalProperties: true },
  },
  additionalProperties: false,
} as const;

export function registerAdminPriceRoutes(admin: FastifyInstance, runtime: Runtime): void {
  const live = liveTableOf(runtime);
  const dataDir = runtime.about.dataDir;
  attachPriceTable(admin, runtime, live, dataDir);

  const status = (): PriceTableStatus => {
    const table = runtime.state.prices.table;
    const origin = live?.origin ?? { source: 'bundled' as const, from: runtime.about.priceTable.path, updatedAt: null };
    const unpriced = runtime.state.router.deployments.filter((d) => !d.upstreamModel.includes('*') && !runtime.state.prices.priceOf(d).known);
    return {
      source: origin.source,
      models: modelCount(table),
      entries: table.size,
      updated_at: origin.updatedAt,
      from: origin.from,
      default_url: LITELLM_PRICES_URL,
      updatable: live !== undefined,
      persistent: dataDir !== null,
      min_models: minimumModels(),
      unpriced_deployments: unpriced.map((d) => ({ id: d.id, model_name: d.modelName, model: `${d.provider}/${d.upstreamModel}` })),
    };
  };
  const updatable = (): LivePriceTable => {
    if (live) return live;
    throw new GatewayError(409, 'This gateway was started with a fixed price table; it cannot be updated at runtime.', { code: 'price_table_fixed' });
  };
  // One change at a time: two updates racing must not leave the file from one and the table from the other.
  let queue: Promise<unknown> = Promise.resolve();
  const serially = <T>(run: () => Promise<T>): Promise<T> => {
    const next = queue.then(run, run);
    queue = next.catch(() => undefined);
    return next;
  };

  admin.get('/admin/prices', async (): Promise<PriceTableStatus> => status());

  admin.post<{ Body: PriceTableUpdate }>('/admin/prices', { schema: { body: updateBody } }, async (request): Promise<PriceTableStatus> => {
    const table = updatable();
    const { url, table: json } = request.body ?? {};
    if ((url === undefined) === (json === undefined)) {
      throw new GatewayError(400, 'Send either { "url": "https://…" } or { "table": { … } } (LiteLLM\'s model_prices_and_context_window.json).', {
        code: 'invalid_request',
      });
    }
    if (url !== undefined && !/^https?:\/\//i.test(url)) {
      throw new GatewayError(400, `The url must be http:// or https://, got \`${url}\`.`, { param: 'url', code: 'invalid_request' });
    }
    return serially(async () => {
      try {
        const accepted = url !== undefined ? await acceptPriceTableFrom(url, dataDir) : acceptPriceTable(json, 'upload', dataDir);
        table.replace(accepted.entries, accepted.origin);
        describeInAbout(runtime, table, dataDir);
      } catch (err) {
        if (err instanceof PriceTableRejected)
          throw new GatewayError(400, err.message, { param: url !== undefined ? 'url' : 'table', code: 'price_table_rejected' });
        throw err;
      }
      runtime.logger.info(`Price table updated from ${url ?? 'an upload'}: ${modelCount(table)} models; calls are priced with it from now on.`);
      warnUnpricedDeployments(runtime.state.router.deployments, runtime.state.prices, runtime.logger);
      return status();
    });
  });

  admin.delete('/admin/prices', async (): Promise<PriceTableStatus> => {
    const table = updatable();
    return serially(async () => {
      revertToBundled(table, dataDir);
      describeInAbout(runtime, table, dataDir);
      runtime.logger.info('Price table reverted to the bundled one.');
      warnUnpricedDeployments(runtime.state.router.deployments, runtime.state.prices, runtime.logger);
      return status();
    });
  });
}

/** /admin/settings' price_table (path, models) follows the table in force: the stored file once updated. */
function describeInAbout(runtime: Runtime, live: LivePriceTable, dataDir: string | null): void {
  const stored = live.origin.source === 'updated' && dataDir !== null;
  runtime.about.priceTable.path = stored ? storedPriceTablePath(dataDir) : BUNDLED_PRICE_TABLE_PATH;
  runtime.about.priceTable.models = modelCount(live);
}

/** The gateway's swappable table, when it has one (a table passed in by a test may be a plain Map). */
function liveTableOf(runtime: Runtime): LivePriceTable | undefined {
  const table = runtime.state.prices.table;
  return table instanceof LivePriceTable ? table : undefined;
}

/**
 * At app start: the stored table over the bundled one, a watch on its file, the unpriced-deployment warnings and
 * the budgets' view of allow_unpriced_models.
 */
function attachPriceTable(app: FastifyInstance, runtime: Runtime, live: LivePriceTable | undefined, dataDir: string | null): void {
  runtime.services.budgets.allowUnpriced = () => runtime.state.config.general_settings.allow_unpriced_models === true;
  const warn = (message: string) => runtime.logger.warn(message);
  if (live && dataDir) {
    loadStoredPriceTableAtStart(live, dataDir, { warn, info: (message) => runtime.logger.info(message) });
    const path = storedPriceTablePath(dataDir);
    const onChange = (now: { mtimeMs: number }, before: { mtimeMs: number }) => {
      if (now.mtimeMs === before.mtimeMs) return;
      const was = live.origin.updatedAt;
      applyStoredPriceTable(live, dataDir, warn);
      describeInAbout(runtime, live, dataDir);
      if (live.origin.updatedAt !== was) runtime.logger.info(`Price table changed on disk (${path}): now ${live.origin.source}, ${modelCount(live)} models.`);
    };
    watchFile(path, { interval: STORED_TABLE_POLL_MS, persistent: false }, onChange);
    app.addHook('onClose', async () => unwatchFile(path, onChange));
  }
  if (live) describeInAbout(runtime, live, dataDir);
  warnUnpricedDeployments(runtime.state.router.deployments, runtime.state.prices, runtime.logger);
}
