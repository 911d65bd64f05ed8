/**
 * Spend reads for scripts and the dashboard (master key only: registered inside the admin scope, admin-scope.ts):
 *  - GET /spend/logs            LiteLLM's endpoint: its query names and its SpendLogs row shape, plus pagination.
 *  - GET /admin/usage/daily     per-day totals by key or model, for charts.
 *  - GET /admin/usage/summary   totals over a range: requests, tokens, spend, error rate.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SpendCallType, SpendEndpoint, SpendLogRow, UsageDaily, UsageSummary } from '../../core/admin-api.ts';
import { nanosToUsd } from '../../spend/cost.ts';
import type { SpendFilter, SpendLog, SpendRow, TimeRange } from '../../spend/spend-log.ts';
import { badRequest } from '../../core/errors.ts';
import { maskSecretsIn } from '../../observe/mask-keys.ts';

export interface SpendRouteDeps {
  spendLog: () => SpendLog;
  /** A raw key, its sha256 hash or a keys.id → keys.id; undefined when no key matches. */
  resolveKeyId: (ref: string) => string | undefined;
  /** The secrets the gateway holds now: stored error messages are masked again on their way out. */
  secrets?: () => readonly string[];
}

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;
/** The dashboard's default range: the last 30 UTC days, today included. */
export const DEFAULT_RANGE_DAYS = 30;
const MAX_RANGE_DAYS = 3660;
const DAY_MS = 86_400_000;

type Query = Record<string, unknown>;

export function registerSpendRoutes(app: FastifyInstance, deps: SpendRouteDeps): void {
  // `summarize=true` answers LiteLLM's legacy per-day summary (keyed by key hash: no fixed shape) instead of rows.
  app.get('/spend/logs', async (request, reply): Promise<SpendLogRow[] | Record<string, unknown>[]> => {
    const query = request.query as Query;
    const filter = spendFilterOf(query, deps);
    if (booleanParam(query, 'summarize') === true) return summarizedByDay(deps.spendLog(), filter, query);

    const page = positiveInt(query, 'page', 1, Number.MAX_SAFE_INTEGER);
    const pageSize = positiveInt(query, 'page_size', DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
    const { rows, total } = deps.spendLog().query(filter, { page, pageSize });
    setPageHeaders(request, reply, page, pageSize, total);
    const secrets = deps.secrets?.() ?? [];
    return rows.map((row) => toLiteLLMSpendLog(row, secrets));
  });

  app.get('/admin/usage/daily', async (request): Promise<UsageDaily> => {
    const query = request.query as Query;
    const groupBy = stringParam(query, 'group_by') ?? 'model';
    if (groupBy !== 'key' && groupBy !== 'model') throw badRequest('`group_by` must be `key` or `model`.', 'group_by', 'invalid_request');
    const range = rangeOf(query);
    return { group_by: groupBy, ...rangeEcho(range), dates: datesIn(range), days: deps.spendLog().dailyTotals(groupBy, range) };
  });

  app.get('/admin/usage/summary', async (request): Promise<UsageSummary> => {
    const range = rangeOf(request.query as Query);
    return { ...rangeEcho(range), ...deps.spendLog().totals(range) };
  });
}

/**
 * One row in LiteLLM's SpendLogs shape (schema.prisma `LiteLLM_SpendLogs`). `user` and `end_user` both
 * carry the request's `user` field (the gateway has no internal users); gateway-only facts sit in `metadata`.
 */
export function toLiteLLMSpendLog(row: SpendRow, secrets: readonly string[] = []): SpendLogRow {
  // Masked when written; again here, for a secret configured since (and any key shape).
  const errorMessage = row.errorMessage ? maskSecretsIn(row.errorMessage, secrets) : null;
  const requestedModel = row.requestedModel ?? null;
  return {
    request_id: row.requestId,
    call_type: CALL_TYPES[row.endpoint],
    api_key: row.keyHash ?? '',
    key_alias: row.keyAlias,
    spend: nanosToUsd(row.costNanos),
    total_tokens: row.totalTokens,
    prompt_tokens: row.promptTokens,
    completion_tokens: row.completionTokens,
    startTime: new Date(row.startTime).toISOString(),
    endTime: new Date(row.endTime).toISOString(),
    request_duration_ms: Math.round(row.durationMs),
    completionStartTime: row.ttftMs === null ? null : new Date(row.startTime + Math.round(row.ttftMs)).toISOString(),
    model: row.model ?? '',
    model_id: row.deploymentId ?? '',
    model_group: row.modelGroup ?? '',
    requested_model: requestedModel,
    custom_llm_provider: row.provider ?? '',
    api_base: row.apiBase ?? '',
    user: row.endUser ?? '',
    end_user: row.endUser,
    cache_hit: row.cacheHit ? 'True' : 'False',
    cache_key: '',
    request_tags: [],
    team_id: null,
    status: row.status,
    metadata: {
      user_api_key: row.keyHash,
      user_api_key_alias: row.keyAlias,
      key_id: row.keyId,
      endpoint: row.endpoint,
      stream: row.stream,
      http_status: row.httpStatus,
      error_type: row.errorType,
      error_information:
        row.status === 'failure'
          ? { error_code: String(row.httpStatus), error_class: row.errorType, llm_provider: row.provider, error_message: errorMessage }
          : null,
      error_message: errorMessage,
      fallback: requestedModel !== null && row.modelGroup !== null && requestedModel !== row.modelGroup,
      usage_source: row.usageSource,
      cached_tokens: row.cachedTokens,
      cache_creation_tokens: row.cacheCreationTokens,
      ttft_ms: row.ttftMs,
      spend_nanos: row.costNanos,
      cost_source: row.costSource ?? 'price_table',
    },
  };
}

/** LiteLLM's call_type names. */
const CALL_TYPES: Record<SpendEndpoint, SpendCallType> = {
  chat: 'acompletion',
  completions: 'atext_completion',
  embeddings: 'aembedding',
  messages: 'anthropic_messages',
  responses: 'aresponses',
  rerank: 'arerank',
};

function spendFilterOf(query: Query, deps: SpendRouteDeps): SpendFilter {
  const filter: SpendFilter = {};
  const apiKey = stringParam(query, 'api_key');
  if (apiKey !== undefined) {
    const keyId = deps.resolveKeyId(apiKey);
    // A deleted key's rows remain, found by hash: a raw key is hashed, a hash is taken as it is.
    if (keyId !== undefined) filter.keyId = keyId;
    else filter.keyHash = /^[0-9a-f]{64}$/i.test(apiKey) ? apiKey.toLowerCase() : createHash('sha256').update(apiKey).digest('hex');
  }
  const userId = stringParam(query, 'user_id');
  if (userId !== undefined) filter.endUser = userId;
  const requestId = stringParam(query, 'request_id');
  if (requestId !== undefined) filter.requestId = requestId;
  const model = stringParam(query, 'model');
  if (model !== undefined) filter.model = model;
  const status = stringParam(query, 'status');
  if (status !== undefined) {
    if (status !== 'success' && status !== 'failure') throw badRequest('`status` must be `success` or `failure`.', 'status', 'invalid_request');
    filter.status = status;
  }
  const start = dateParam(query, 'start_date', 'start');
  if (start !== undefined) filter.startTime = start;
  const end = dateParam(query, 'end_date', 'end');
  if (end !== undefined) filter.endTime = end;
  if (start !== undefined && end !== undefined && end <= start) throw badRequest('`end_date` must not be before `start_date`.', 'end_date', 'invalid_request');
  return filter;
}

/** LiteLLM's legacy `summarize=true`: spend per day, with per-key, per-user and per-model splits. */
function summarizedByDay(spendLog: SpendLog, filter: SpendFilter, query: Query): Record<string, unknown>[] {
  if (filter.startTime === undefined || filter.endTime === undefined) {
    throw badRequest('`summarize=true` needs both `start_date` and `end_date`.', query.start_date === undefined ? 'start_date' : 'end_date', 'invalid_request');
  }
  const range = { startTime: filter.startTime, endTime: filter.endTime };
  const days = new Map<string, { nanos: number; keys: Map<string, number>; users: Map<string, number>; models: Map<string, number> }>();
  for (const date of datesIn(range)) days.set(date, { nanos: 0, keys: new Map(), users: new Map(), models: new Map() });
  const add = (map: Map<string, number>, name: string, nanos: number) => map.set(name, (map.get(name) ?? 0) + nanos);
  for (const cell of spendLog.dailySpendCells(filter)) {
    const day = days.get(cell.date);
    if (!day) continue;
    day.nanos += cell.spendNanos;
    add(day.keys, cell.keyHash ?? '', cell.spendNanos);
    add(day.users, cell.endUser ?? '', cell.spendNanos);
    add(day.models, cell.model ?? '', cell.spendNanos);
  }
  const usd = (map: Map<string, number>) => Object.fromEntries([...map].map(([name, nanos]) => [name, nanosToUsd(nanos)]));
  return [...days].map(([date, day]) => ({
    ...usd(day.keys),
    startTime: date,
    spend: nanosToUsd(day.nanos),
    users: usd(day.users),
    models: usd(day.models),
  }));
}

function setPageHeaders(request: FastifyRequest, reply: FastifyReply, page: number, pageSize: number, total: number): void {
  const totalPages = Math.max(1, Math.ceil(total / pageSize));
  reply.header('x-total-count', String(total));
  reply.header('x-page', String(page));
  reply.header('x-page-size', String(pageSize));
  reply.header('x-total-pages', String(totalPages));
  const url = new URL(request.url, 'http://gateway');
  const link = (p: number, rel: string) => {
    url.searchParams.set('page', String(p));
    return `<${url.pathname}${url.search}>; rel="${rel}"`;
  };
  const links = [link(1, 'first'), link(totalPages, 'last')];
  if (page > 1) links.push(link(Math.min(page - 1, totalPages), 'prev'));
  if (page < totalPages) links.push(link(page + 1, 'next'));
  reply.header('link', links.join(', '));
}

/** The range for the usage endpoints: start_date/end_date, or the last DEFAULT_RANGE_DAYS UTC days. */
function rangeOf(query: Query): TimeRange {
  const endTime = dateParam(query, 'end_date', 'end') ?? startOfUtcDay(Date.now()) + DAY_MS;
  const startTime = dateParam(query, 'start_date', 'start') ?? endTime - DEFAULT_RANGE_DAYS * DAY_MS;
  if (endTime <= startTime) throw badRequest('`end_date` must not be before `start_date`.', 'end_date', 'invalid_request');
  if (endTime - startTime > MAX_RANGE_DAYS * DAY_MS) throw badRequest(`The range may span at most ${MAX_RANGE_DAYS} days.`, 'start_date', 'invalid_request');
  return { startTime, endTime };
}

const rangeEcho = (range: TimeRange) => ({ start_date: new Date(range.startTime).toISOString(), end_date: new Date(range.endTime).toISOString() });

/** Every UTC day the range touches, for charts that draw days without requests as zero. */
function datesIn(range: TimeRange): string[] {
  const dates: string[] = [];
  for (let day = startOfUtcDay(range.startTime); day < range.endTime; day += DAY_MS) dates.push(new Date(day).toISOString().slice(0, 10));
  return dates;
}

const startOfUtcDay = (ms: number) => Math.floor(ms / DAY_MS) * DAY_MS;

// ── query parameters ──────────────────────────────────────────────────────────

function stringParam(query: Query, name: string): string | undefined {
  const value = query[name];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw badRequest(`\`${name}\` must be given once.`, name, 'invalid_request');
  return value;
}

function booleanParam(query: Query, name: string): boolean | undefined {
  const value = stringParam(query, name)?.toLowerCase();
  if (value === undefined) return undefined;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw badRequest(`\`${name}\` must be \`true\` or \`false\`.`, name, 'invalid_request');
}

function positiveInt(query: Query, name: string, fallback: number, max: number): number {
  const value = stringParam(query, name);
  if (value === undefined) return fallback;
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < 1 || n > max) {
    throw badRequest(`\`${name}\` must be a whole number from 1 to ${max}.`, name, 'invalid_request');
  }
  return n;
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * `YYYY-MM-DD` (a whole UTC day: a start is its first instant, an end includes the day), or an ISO date-time
 * (LiteLLM's `YYYY-MM-DD HH:MM:SS` too; UTC when it names no zone; an end includes that instant).
 * Returns ms epoch as a half-open bound: start inclusive, end exclusive.
 */
function dateParam(query: Query, name: string, edge: 'start' | 'end'): number | undefined {
  const value = stringParam(query, name)?.trim();
  if (value === undefined) return undefined;
  // Date.parse would quietly turn 2024-02-30 into March 1st.
  const dayStart = utcDayStart(value.slice(0, 10));
  if (dayStart === undefined) throw invalidDate(name, value);
  if (value.length === 10) return edge === 'start' ? dayStart : dayStart + DAY_MS;
  if (!DATE_TIME.test(value)) throw invalidDate(name, value);
  const iso = value.replace(' ', 'T');
  const ms = Date.parse(/(Z|[+-]\d{2}:?\d{2})$/i.test(iso) ? iso : `${iso}Z`);
  if (Number.isNaN(ms)) throw invalidDate(name, value);
  return edge === 'start' ? ms : ms + 1;
}

/** `YYYY-MM-DD` → ms epoch of that day's first instant, UTC; undefined unless it is a real calendar day. */
function utcDayStart(text: string): number | undefined {
  const day = DATE_ONLY.exec(text);
  if (!day) return undefined;
  const ms = Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3]));
  return new Date(ms).toISOString().slice(0, 10) === text ? ms : undefined;
}

const invalidDate = (name: string, value: string) =>
  badRequest(`\`${name}\` must be a date (YYYY-MM-DD) or an ISO 8601 date-time; got ${JSON.stringify(value)}.`, name, 'invalid_request');
