/**
 * The price table behind the admin API: GET, POST and DELETE /admin/prices (core/admin-api/prices.ts), master key
 * only (registered inside the admin scope). The table's life with the gateway (the stored table at start, a watch on
 * its file, the unpriced warnings): ../../gateway-prices.ts.
 */
import type { FastifyInstance } from 'fastify';
import type { PriceTableStatus, PriceTableUpdate } from '../../core/admin-api.ts';
import { GatewayError } from '../../core/errors.ts';
import { warnUnpricedDeployments } from '../../metering/unpriced-warnings.ts';
import { LITELLM_PRICES_URL } from '../../prices/price-source.ts';
import { LivePriceTable, modelCount } from '../../prices/price-table.ts';
import { acceptPriceTable, acceptPriceTableFrom, priceTableAbout, revertToBundled } from '../../prices/price-updates.ts';
import { minimumModels, PriceTableRejected } from '../../prices/validate-table.ts';
import type { Runtime } from '../runtime.ts';

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
  Object.assign(runtime.about.priceTable, priceTableAbout(live, dataDir));
}

/** The gateway's swappable table, when it has one (a table passed in by a test may be a plain Map). */
function liveTableOf(runtime: Runtime): LivePriceTable | undefined {
  const table = runtime.state.prices.table;
  return table instanceof LivePriceTable ? table : undefined;
}
