/**
 * The gateway's public API: createGateway(options) → { listen, close, reload }. `npm start`, the
 * Electron utility process and the tests all start the gateway through this one function.
 */
import type { FastifyInstance } from 'fastify';
import type { GatewayConfig } from './core/config-types.ts';
import type { ConfigFile } from './config/config-file.ts';
import { attachPriceTable, loadStoredPrices } from './gateway-prices.ts';
import { buildApp } from './http/app.ts';
import { applyConnectionPolicy, connectionPolicy } from './http/connection-policy.ts';
import type { GatewayState, Runtime } from './http/runtime.ts';
import { allowedHostnames } from './http/security.ts';
import { createLogger, type Logger } from './observe/logger.ts';
import type { LogRing } from './observe/log-ring.ts';
import { BUNDLED_PRICE_TABLE_PATH, loadPriceTable, type PriceTable } from './prices/price-table.ts';
import { buildDeployments } from './router/deployments.ts';
import { ModelRouter } from './router/model-router.ts';
import { DeploymentHealth } from './router/deployment-health.ts';
import { DeploymentLimits } from './router/deployment-limits.ts';
import { GatewayMetrics } from './observe/metrics.ts';
import { ResponseCacheService } from './cache/cache-service.ts';
import { routerSettings } from './router/router-settings.ts';
import { VERSION } from './version.ts';
import { BudgetReservations } from './keys/budget-reservations.ts';
import { KeyLimiter } from './keys/key-limits.ts';
import { KeyStore } from './keys/key-store.ts';
import type { GatewayServices } from './metering/services.ts';
import { MemorySecretStore, type SecretStore } from './secrets/index.ts';
import { PriceBook } from './spend/price-book.ts';
import { ResponseStore } from './responses/response-store.ts';
import { HOUR_MS, parseRetention, startRetention } from './spend/retention.ts';
import { SpendLog } from './spend/spend-log.ts';
import { warmTokenizer } from './spend/tokenizer.ts';
import { databasePath, openDatabase } from './store/database.ts';
import { SPEND_JOURNAL_FILE, SpendJournal } from './metering/spend-journal.ts';
import type { SpendRow } from './spend/spend-log.ts';
import { join } from 'node:path';

export const DEFAULT_PORT = 4000;
export const DEFAULT_HOST = '127.0.0.1';
const DEFAULT_MAX_REQUEST_MB = 50;
/** How long close() lets in-flight requests finish before cutting their connections. */
const CLOSE_GRACE_MS = 5000;

export interface GatewayOptions {
  /** The config with secret references already resolved. */
  config: GatewayConfig;
  /** Environment for provider defaults (OPENAI_API_KEY, …); default process.env. */
  env?: Record<string, string | undefined>;
  host?: string;
  /** 0 picks a free port (tests). */
  port?: number;
  /** `--model`: every requested model name is served by this model group. */
  catchAllModel?: string;
  logger?: Logger;
  ring?: LogRing;
  priceTable?: PriceTable;
  /** Where `priceTable` was read from (for /admin/settings); default the bundled table's path. */
  priceTablePath?: string;
  /** Where the database lives (gateway.db); without one the database is in memory and lost on close. */
  dataDir?: string;
  /** Provider secrets (`keychain/NAME` references and /admin/secrets); default: in memory. */
  secrets?: SecretStore;
  /** Loads the config again from its source; called after a secret changes so references re-resolve. */
  reloadConfig?: () => { config: GatewayConfig; env: Record<string, string | undefined> };
  /** The config.yaml `config` came from: /model/new, /model/update and /model/delete edit it (without one they answer 409). */
  configFile?: ConfigFile;
  /** The built dashboard served at /ui/ (default: renderer/dist of this repository). */
  uiDir?: string;
}

export interface Gateway {
  readonly app: FastifyInstance;
  readonly runtime: Runtime;
  /** Starts listening; resolves to the base URL (http://host:port). */
  listen(): Promise<string>;
  close(): Promise<void>;
  /** Swaps in a new config; requests already running finish on the old one. Throws (keeping the old) when invalid. */
  reload(config: GatewayConfig, env?: Record<string, string | undefined>): void;
}

function buildState(
  config: GatewayConfig,
  env: Record<string, string | undefined>,
  prices: PriceTable,
  catchAll: string | undefined,
  logger: Logger,
): GatewayState {
  // Settings a deployment ignores (a key its provider does not take) are said at load, like config warnings.
  const router = new ModelRouter(
    // A config file's entry with an unknown provider is skipped (loudly), the rest serves; --model is checked by the CLI
    // and /model/new by its route, so neither is skipped silently.
    buildDeployments(config, env, prices, (warning) => logger.warn(warning), { skipUnknownProviders: true }),
    catchAll,
  );
  const masterKey = config.general_settings.master_key || env.LITELLM_MASTER_KEY || undefined;
  return { config, router, prices: new PriceBook(prices), routing: routerSettings(config), ...(masterKey ? { masterKey } : {}) };
}

function openServices(options: GatewayOptions, logger: Logger): GatewayServices {
  const db = openDatabase(options.dataDir ? databasePath(options.dataDir) : ':memory:');
  const keys = new KeyStore(db);
  const spendLog = new SpendLog(db);
  // A row is new only once, so a replayed entry charges its key once.
  const importRows = db.transaction((rows: readonly SpendRow[]) => {
    for (const row of rows) if (spendLog.insertIfNew(row) && row.keyId && row.costNanos) keys.addSpend(row.keyId, row.costNanos);
  });
  const journal = new SpendJournal(importRows, {
    ...(options.dataDir ? { file: join(options.dataDir, SPEND_JOURNAL_FILE) } : {}),
    onImportError: (err) => logger.error({ err }, 'could not import spend rows into SQLite; they stay in the spend journal'),
  });
  // The replay (in the journal's constructor) charged keys in SQLite after the key store loaded them.
  keys.reloadSpend();
  keys.beforeSpendWrite = () => journal.flush();
  // The journal carries the cost into SQLite with the row; memory counts it at once.
  const limiter = new KeyLimiter(keys, (keyId, nanos, writeRow) => {
    writeRow?.();
    keys.applySpend(keyId, nanos);
  });
  const responses = new ResponseStore(db);
  return { db, journal, keys, budgets: new BudgetReservations(keys), limiter, spendLog, responses, secrets: options.secrets ?? new MemorySecretStore() };
}

/** LiteLLM settings that are accepted for compatibility but mean something else here: said once, at load. */
function warnAboutIgnoredSettings(config: GatewayConfig, logger: Logger): void {
  const settings = config.general_settings;
  if (settings.database_url)
    logger.warn('general_settings.database_url is ignored: LLM Gateway keeps keys and spend in SQLite (gateway.db in the data folder).');
  if (settings.disable_spend_logs)
    logger.warn('general_settings.disable_spend_logs is ignored: spend rows are kept, because budgets and /key/info are computed from them.');
}

/** OpenAI keeps a stored response for 30 days; so does the gateway, unless stored_responses_retention_period says otherwise. */
const STORED_RESPONSES_RETENTION = '30d';

/**
 * Prunes spend rows older than general_settings.maximum_spend_logs_retention_period (LiteLLM's setting), and
 * stored Responses API answers older than stored_responses_retention_period ("" or null: kept until deleted).
 * Returns the stop function for both.
 */
function startRetentions(config: GatewayConfig, services: GatewayServices, logger: Logger): () => void {
  const settings = config.general_settings;
  const stops: (() => void)[] = [];
  const intervalMs = parseRetention(settings.maximum_spend_logs_retention_interval) ?? HOUR_MS;
  const spendMs = parseRetention(settings.maximum_spend_logs_retention_period);
  // A pruned row still in the journal would come back, and charge its key again, on the next replay.
  if (spendMs !== undefined) stops.push(startRetention(services.spendLog, spendMs, logger, intervalMs, () => services.journal.compact()));
  const responsesMs = parseRetention(
    settings.stored_responses_retention_period === undefined ? STORED_RESPONSES_RETENTION : settings.stored_responses_retention_period,
  );
  if (responsesMs !== undefined) stops.push(startRetention(services.responses, responsesMs, logger, intervalMs, undefined, 'stored responses'));
  return () => {
    for (const stop of stops) stop();
  };
}

export async function createGateway(options: GatewayOptions): Promise<Gateway> {
  const env = options.env ?? process.env;
  const prices = options.priceTable ?? loadPriceTable();
  const logging = options.logger ? { logger: options.logger, ring: options.ring } : createLogger({ ...(options.ring ? { ring: options.ring } : {}) });
  loadStoredPrices(prices, options.dataDir, logging.logger);
  const ring = logging.ring ?? createLogger({ destination: null }).ring;
  const host = options.host ?? DEFAULT_HOST;
  const services = openServices(options, logging.logger);
  const metricsRef: { current?: GatewayMetrics } = {};
  const limits = new DeploymentLimits({ onQueueEvent: (e) => metricsRef.current?.queueEvent(e) });
  const metrics = new GatewayMetrics({ queues: () => limits });
  metricsRef.current = metrics;
  const cache = new ResponseCacheService(logging.logger);
  cache.configure(options.config, env);
  const runtime: Runtime = {
    state: buildState(options.config, env, prices, options.catchAllModel, logging.logger),
    services,
    health: new DeploymentHealth(),
    limits,
    metrics,
    cache,
    logger: logging.logger,
    ring,
    version: VERSION,
    startedAt: Math.floor(Date.now() / 1000),
    about: {
      host,
      port: options.port ?? DEFAULT_PORT,
      dataDir: options.dataDir ?? null,
      configFile: options.configFile ?? null,
      secretStoreGiven: options.secrets !== undefined,
      priceTable: { path: options.priceTablePath ?? BUNDLED_PRICE_TABLE_PATH, models: prices.size },
    },
  };
  let allowed = allowedHostnames(host, options.config.general_settings.allowed_hosts ?? []);
  const maxMb = Number(options.config.general_settings.max_request_size_mb ?? DEFAULT_MAX_REQUEST_MB);
  let url: string | undefined;
  let stopRetention = startRetentions(options.config, services, logging.logger);
  warnAboutIgnoredSettings(options.config, logging.logger);
  const reload = (config: GatewayConfig, nextEnv: Record<string, string | undefined> = env) => {
    runtime.state = buildState(config, nextEnv, prices, options.catchAllModel, logging.logger);
    limits.prune(runtime.state.router.deployments.map((d) => d.id));
    cache.configure(config, nextEnv);
    allowed = allowedHostnames(host, config.general_settings.allowed_hosts ?? []);
    stopRetention();
    stopRetention = startRetentions(config, services, logging.logger);
    warnAboutIgnoredSettings(config, logging.logger);
  };
  const onSecretsChanged = () => {
    if (!options.reloadConfig) return;
    try {
      const next = options.reloadConfig();
      reload(next.config, next.env);
    } catch (err) {
      logging.logger.warn(`A secret changed but the config could not be reloaded; the running config is kept: ${(err as Error).message}`);
    }
  };
  const app = buildApp(runtime, {
    bodyLimitBytes: Math.round(maxMb * 1024 * 1024),
    allowedHosts: () => allowed,
    onSecretsChanged,
    modelAdmin: { configFile: options.configFile, reload },
    ...(options.uiDir ? { uiDir: options.uiDir } : {}),
  });
  // Timeouts and the connection cap are read at start; a config reload keeps the running ones.
  applyConnectionPolicy(app.server, connectionPolicy(options.config.general_settings));
  const detachPrices = attachPriceTable(runtime, prices);

  return {
    app,
    runtime,
    async listen() {
      await app.listen({ host, port: options.port ?? DEFAULT_PORT });
      const address = app.server.address();
      const port = typeof address === 'object' && address ? address.port : options.port;
      if (port !== undefined) runtime.about.port = port;
      url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
      // The tokenizer (for budget reservations and usage estimates) loads in ~0.1 s: not on a request.
      setImmediate(warmTokenizer);
      return url;
    },
    async close() {
      // In-flight requests may finish for a while; then the rest are cut, so a shutdown never hangs.
      limits.close();
      const cut = setTimeout(() => app.server.closeAllConnections(), CLOSE_GRACE_MS).unref();
      await app.close();
      clearTimeout(cut);
      await cache.close();
      stopRetention();
      detachPrices();
      services.journal.close();
      services.db.close();
    },
    reload,
  };
}
