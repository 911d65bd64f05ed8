/**
 * GET /admin/overview (master key): the dashboard's home page in one answer — status, version, the base URL
 * clients use, uptime, requests in the last minute, today's totals (UTC), deployment health counts and the
 * model names clients may ask for. Reads only: nothing here touches the request path.
 */
import type { FastifyInstance } from 'fastify';
import type { Overview } from '../../core/admin-api.ts';
import type { Db } from '../../store/database.ts';
import { isLoopbackHost } from '../security.ts';
import type { GatewayAbout, Runtime } from '../runtime.ts';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
/**
 * Requests per minute counts rows that ended in the last minute among those that started in the last hour,
 * so the query walks the start_time index instead of the whole table (a request longer than an hour,
 * far past any default timeout, is not counted).
 */
const RPM_LOOKBACK_MS = 3_600_000;

const isWildcardHost = (host: string) => host === '0.0.0.0' || host === '::' || host === '[::]';

/** What clients put in their base URL: localhost for a loopback or every-interface bind, else the bound name. */
export function clientBaseUrl(about: Pick<GatewayAbout, 'host' | 'port'>): string {
  const host = isLoopbackHost(about.host) || isWildcardHost(about.host) ? 'localhost' : about.host;
  return `http://${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${about.port}`;
}

const rpmStatements = new WeakMap<Db, ReturnType<Db['prepare']>>();

/** Requests that finished in the minute before `now` (spend rows are written when a request finishes). */
export function requestsLastMinute(db: Db, now = Date.now()): number {
  let statement = rpmStatements.get(db);
  if (!statement) {
    statement = db.prepare('SELECT COUNT(*) AS n FROM spend_logs WHERE start_time >= @from AND end_time > @since');
    rpmStatements.set(db, statement);
  }
  return (statement.get({ from: now - RPM_LOOKBACK_MS, since: now - MINUTE_MS }) as { n: number }).n;
}

export function overviewOf(runtime: Runtime, now = Date.now()): Overview {
  // Reports read SQLite: rows still in the journal go in first.
  runtime.services.journal.flush();
  const dayStart = Math.floor(now / DAY_MS) * DAY_MS;
  const today = runtime.services.spendLog.totals({ startTime: dayStart, endTime: dayStart + DAY_MS });
  const { router } = runtime.state;
  const deployments = { total: router.deployments.length, healthy: 0, unhealthy: 0, cooling: 0, unknown: 0 };
  for (const d of runtime.health.snapshot(router.deployments, now)) {
    if (d.state === 'failing') deployments.unhealthy++;
    else deployments[d.state]++;
  }
  return {
    status: 'running',
    version: runtime.version,
    base_url: clientBaseUrl(runtime.about),
    started_at: new Date(runtime.startedAt * 1000).toISOString(),
    uptime_s: Math.max(0, Math.floor(now / 1000 - runtime.startedAt)),
    requests_per_minute: requestsLastMinute(runtime.services.db, now),
    today: {
      requests: today.requests,
      spend: today.spend,
      errors: today.failed_requests,
      error_rate: today.requests === 0 ? null : today.failed_requests / today.requests,
    },
    deployments,
    models: router.modelNames(),
  };
}

export function registerOverviewRoute(app: FastifyInstance, runtime: Runtime): void {
  app.get('/admin/overview', async (): Promise<Overview> => {
    return overviewOf(runtime);
  });
}
