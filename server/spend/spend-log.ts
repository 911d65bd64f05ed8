/**
 * The spend log: one row per request in SQLite's `spend_logs` (see store/migrations.ts), and the reads the
 * admin API and dashboard need. Every statement is prepared once; writes are synchronous so the caller
 * commits a request's row before its response finishes (a WAL append, well under a millisecond).
 */
import type { CostSource, SpendEndpoint, UsageDay, UsageSource, UsageTotals } from '../core/admin-api.ts';
import type { Db } from '../store/database.ts';
import { nanosToUsd } from './cost.ts';

export type { CostSource, SpendEndpoint };

export interface SpendRow {
  requestId: string;
  /** keys.id (stable across rotation); null for the master key or no key. */
  keyId: string | null;
  /** sha256 hex of the raw key (LiteLLM's `api_key` in spend logs). */
  keyHash: string | null;
  keyAlias: string | null;
  endpoint: SpendEndpoint;
  /** The model group (model_name) that served: after a fallback, the fallback's group. */
  modelGroup: string | null;
  /**
   * The model name the client sent, before key aliases and fallbacks. Optional only for journal entries and
   * rows written before the column existed (read as null).
   */
  requestedModel?: string | null;
  deploymentId: string | null;
  provider: string | null;
  apiBase: string | null;
  /** The upstream model. */
  model: string | null;
  promptTokens: number;
  completionTokens: number;
  cachedTokens: number;
  cacheCreationTokens: number;
  totalTokens: number;
  costNanos: number;
  /** ms epoch */
  startTime: number;
  /** ms epoch */
  endTime: number;
  durationMs: number;
  /** Time to first token (streams); null otherwise. */
  ttftMs: number | null;
  stream: boolean;
  status: 'success' | 'failure';
  httpStatus: number;
  errorType: string | null;
  /** The request's `user` field. */
  endUser: string | null;
  usageSource: UsageSource;
  cacheHit: boolean;
  /**
   * Where the cost came from (spend_logs.cost_source): the price table, the deployment's own prices, or
   * nowhere (`unpriced`: the call cost 0 because no price is known — flagged, never a silent $0).
   * Optional only for journal entries written before the column existed (read as price_table).
   */
  costSource?: CostSource;
  /** A failed request's error message as its client was told it, secrets masked; null on success and in older rows. */
  errorMessage?: string | null;
}

/** Every field optional; times are ms epoch, `startTime` inclusive and `endTime` exclusive. */
export interface SpendFilter {
  keyId?: string;
  /** For rows whose key has since been deleted (no keys.id to resolve to). */
  keyHash?: string;
  /** Matches the model group (the name clients ask for). */
  model?: string;
  startTime?: number;
  endTime?: number;
  requestId?: string;
  endUser?: string;
  status?: 'success' | 'failure';
}

export interface PageRequest {
  /** 1-based. */
  page: number;
  pageSize: number;
}

/** A time range in ms epoch, start inclusive, end exclusive. */
export interface TimeRange {
  startTime: number;
  endTime: number;
}

/** One day's totals of one key or model group: GET /admin/usage/daily's wire shape (core/admin-api.ts). */
export type DailyTotal = UsageDay;

/** Totals over a range: GET /admin/usage/summary's wire shape (core/admin-api.ts), without the range. */
export type SpendTotals = UsageTotals;

/** One (day, key, end user, upstream model) cell of LiteLLM's legacy summarized /spend/logs. */
export interface DailySpendCell {
  date: string;
  keyHash: string | null;
  endUser: string | null;
  model: string | null;
  spendNanos: number;
}

type Statement = ReturnType<Db['prepare']>;

/** Filter field → SQL condition; the named parameter is the field itself. */
const FILTER_SQL: Record<keyof SpendFilter, string> = {
  keyId: 'key_id = @keyId',
  keyHash: 'key_hash = @keyHash',
  model: 'model_group = @model',
  startTime: 'start_time >= @startTime',
  endTime: 'start_time < @endTime',
  requestId: 'request_id = @requestId',
  endUser: 'end_user = @endUser',
  status: 'status = @status',
};

const COLUMNS = [
  'request_id',
  'key_id',
  'key_hash',
  'key_alias',
  'endpoint',
  'model_group',
  'deployment_id',
  'provider',
  'api_base',
  'model',
  'prompt_tokens',
  'completion_tokens',
  'cached_tokens',
  'cache_creation_tokens',
  'total_tokens',
  'cost_nanos',
  'start_time',
  'end_time',
  'duration_ms',
  'ttft_ms',
  'stream',
  'status',
  'http_status',
  'error_type',
  'end_user',
  'usage_source',
  'cache_hit',
  'cost_source',
  'requested_model',
  'error_message',
] as const;

type Column = (typeof COLUMNS)[number];
type DbRow = Record<Column, string | number | null>;

/** Rows deleted per transaction when pruning, so a large prune never holds the write lock for long. */
export const PRUNE_BATCH = 5_000;

const DAY = "strftime('%Y-%m-%d', start_time / 1000, 'unixepoch')";

export class SpendLog {
  private readonly insertStatement: Statement;
  private readonly insertIfNewStatement: Statement;
  private readonly pruneStatement: Statement;
  private readonly dailyByKey: Statement;
  private readonly dailyByModel: Statement;
  private readonly totalsStatement: Statement;
  /** Query statements by filter shape (which fields are set): each prepared the first time it is used. */
  private readonly byShape = new Map<string, { rows: Statement; count: Statement; cells: Statement }>();

  constructor(private readonly db: Db) {
    this.insertStatement = db.prepare(`INSERT INTO spend_logs (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map((c) => `@${c}`).join(', ')})`);
    this.insertIfNewStatement = db.prepare(`INSERT OR IGNORE INTO spend_logs (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map((c) => `@${c}`).join(', ')})`);
    this.pruneStatement = db.prepare('DELETE FROM spend_logs WHERE rowid IN (SELECT rowid FROM spend_logs WHERE start_time < @cutoff LIMIT @limit)');
    const daily = (group: string, label: string) =>
      db.prepare(`
        SELECT ${DAY} AS date, ${group} AS grp, MAX(${label}) AS label, COUNT(*) AS requests,
               SUM(status = 'failure') AS failed, SUM(prompt_tokens) AS prompt, SUM(completion_tokens) AS completion,
               SUM(cost_nanos) AS nanos
        FROM spend_logs WHERE start_time >= @startTime AND start_time < @endTime
        GROUP BY date, grp ORDER BY date, grp`);
    this.dailyByKey = daily('key_id', 'key_alias');
    this.dailyByModel = daily('model_group', 'model_group');
    this.totalsStatement = db.prepare(`
      SELECT COUNT(*) AS requests, COALESCE(SUM(status = 'failure'), 0) AS failed,
             COALESCE(SUM(prompt_tokens), 0) AS prompt, COALESCE(SUM(completion_tokens), 0) AS completion,
             COALESCE(SUM(total_tokens), 0) AS total, COALESCE(SUM(cached_tokens), 0) AS cached,
             COALESCE(SUM(cost_nanos), 0) AS nanos, COALESCE(SUM(usage_source = 'estimated'), 0) AS estimated,
             COALESCE(SUM(cost_source = 'unpriced'), 0) AS unpriced,
             AVG(duration_ms) AS avg_duration, AVG(ttft_ms) AS avg_ttft
      FROM spend_logs WHERE start_time >= @startTime AND start_time < @endTime`);
  }

  /**
   * Writes one request's row, synchronously. A request id already logged throws (SQLITE_CONSTRAINT):
   * one row per request is the contract, so the caller logs that as a bug rather than overwriting.
   */
  insert(row: SpendRow): void {
    this.insertStatement.run(toDbRow(row));
  }

  /** Inserts unless a row with this request id exists (a replayed journal entry); true when inserted. */
  insertIfNew(row: SpendRow): boolean {
    return this.insertIfNewStatement.run(toDbRow(row)).changes === 1;
  }

  /** Rows newest first, one page of them, and how many match in all. */
  query(filter: SpendFilter, page: PageRequest): { rows: SpendRow[]; total: number } {
    const { params, statements } = this.prepared(filter);
    const total = (statements.count.get(params) as { n: number }).n;
    const limit = Math.max(1, Math.floor(page.pageSize));
    const offset = (Math.max(1, Math.floor(page.page)) - 1) * limit;
    const rows = statements.rows.all({ ...params, limit, offset }) as DbRow[];
    return { rows: rows.map(fromDbRow), total };
  }

  /** Per UTC day and per key or model group: requests, tokens and spend, for charts. */
  dailyTotals(groupBy: 'key' | 'model', range: TimeRange): DailyTotal[] {
    const statement = groupBy === 'key' ? this.dailyByKey : this.dailyByModel;
    const rows = statement.all(range) as {
      date: string;
      grp: string | null;
      label: string | null;
      requests: number;
      failed: number;
      prompt: number;
      completion: number;
      nanos: number;
    }[];
    return rows.map((r) => ({
      date: r.date,
      group: r.grp,
      label: r.label,
      requests: r.requests,
      failed_requests: r.failed,
      prompt_tokens: r.prompt,
      completion_tokens: r.completion,
      spend: nanosToUsd(r.nanos),
    }));
  }

  totals(range: TimeRange): SpendTotals {
    const r = this.totalsStatement.get(range) as {
      requests: number;
      failed: number;
      prompt: number;
      completion: number;
      total: number;
      cached: number;
      nanos: number;
      estimated: number;
      unpriced: number;
      avg_duration: number | null;
      avg_ttft: number | null;
    };
    return {
      requests: r.requests,
      successful_requests: r.requests - r.failed,
      failed_requests: r.failed,
      error_rate: r.requests === 0 ? 0 : r.failed / r.requests,
      prompt_tokens: r.prompt,
      completion_tokens: r.completion,
      total_tokens: r.total,
      cached_tokens: r.cached,
      spend: nanosToUsd(r.nanos),
      spend_nanos: r.nanos,
      estimated_requests: r.estimated,
      unpriced_requests: r.unpriced,
      avg_duration_ms: r.avg_duration,
      avg_ttft_ms: r.avg_ttft,
    };
  }

  /** Spend per (UTC day, key hash, end user, upstream model): LiteLLM's legacy summarized /spend/logs. */
  dailySpendCells(filter: SpendFilter): DailySpendCell[] {
    const { params, statements } = this.prepared(filter);
    return statements.cells.all(params) as DailySpendCell[];
  }

  /** Deletes rows that started before `olderThanMs` (ms epoch), in batches; returns how many. */
  prune(olderThanMs: number): number {
    let deleted = 0;
    for (;;) {
      const batch = this.pruneBatch(olderThanMs, PRUNE_BATCH);
      deleted += batch;
      if (batch < PRUNE_BATCH) return deleted;
    }
  }

  /** Deletes at most `limit` rows that started before `olderThanMs`; returns how many. */
  pruneBatch(olderThanMs: number, limit: number = PRUNE_BATCH): number {
    return this.pruneStatement.run({ cutoff: olderThanMs, limit }).changes;
  }

  private prepared(filter: SpendFilter): { params: Record<string, unknown>; statements: { rows: Statement; count: Statement; cells: Statement } } {
    const fields = (Object.keys(FILTER_SQL) as (keyof SpendFilter)[]).filter((field) => filter[field] !== undefined);
    const params: Record<string, unknown> = {};
    for (const field of fields) params[field] = filter[field];
    const shape = fields.join(',');
    let statements = this.byShape.get(shape);
    if (!statements) {
      const where = fields.length ? `WHERE ${fields.map((f) => FILTER_SQL[f]).join(' AND ')}` : '';
      statements = {
        // rowid breaks ties in insertion order and is part of every index, so no extra sort is needed.
        rows: this.db.prepare(`SELECT * FROM spend_logs ${where} ORDER BY start_time DESC, rowid DESC LIMIT @limit OFFSET @offset`),
        count: this.db.prepare(`SELECT COUNT(*) AS n FROM spend_logs ${where}`),
        cells: this.db.prepare(`
          SELECT ${DAY} AS date, key_hash AS keyHash, end_user AS endUser, model, SUM(cost_nanos) AS spendNanos
          FROM spend_logs ${where} GROUP BY date, keyHash, endUser, model ORDER BY date`),
      };
      this.byShape.set(shape, statements);
    }
    return { params, statements };
  }
}

function toDbRow(row: SpendRow): DbRow {
  return {
    request_id: row.requestId,
    key_id: row.keyId,
    key_hash: row.keyHash,
    key_alias: row.keyAlias,
    endpoint: row.endpoint,
    model_group: row.modelGroup,
    deployment_id: row.deploymentId,
    provider: row.provider,
    api_base: row.apiBase,
    model: row.model,
    prompt_tokens: row.promptTokens,
    completion_tokens: row.completionTokens,
    cached_tokens: row.cachedTokens,
    cache_creation_tokens: row.cacheCreationTokens,
    total_tokens: row.totalTokens,
    cost_nanos: row.costNanos,
    start_time: row.startTime,
    end_time: row.endTime,
    duration_ms: row.durationMs,
    ttft_ms: row.ttftMs,
    // SQLite has no booleans, and better-sqlite3 refuses to bind them.
    stream: row.stream ? 1 : 0,
    status: row.status,
    http_status: row.httpStatus,
    error_type: row.errorType,
    end_user: row.endUser,
    usage_source: row.usageSource,
    cache_hit: row.cacheHit ? 1 : 0,
    cost_source: row.costSource ?? 'price_table',
    requested_model: row.requestedModel ?? null,
    error_message: row.errorMessage ?? null,
  };
}

function fromDbRow(r: DbRow): SpendRow {
  const text = (c: Column) => r[c] as string | null;
  const num = (c: Column) => r[c] as number;
  return {
    requestId: r.request_id as string,
    keyId: text('key_id'),
    keyHash: text('key_hash'),
    keyAlias: text('key_alias'),
    endpoint: r.endpoint as SpendEndpoint,
    modelGroup: text('model_group'),
    deploymentId: text('deployment_id'),
    provider: text('provider'),
    apiBase: text('api_base'),
    model: text('model'),
    promptTokens: num('prompt_tokens'),
    completionTokens: num('completion_tokens'),
    cachedTokens: num('cached_tokens'),
    cacheCreationTokens: num('cache_creation_tokens'),
    totalTokens: num('total_tokens'),
    costNanos: num('cost_nanos'),
    startTime: num('start_time'),
    endTime: num('end_time'),
    durationMs: num('duration_ms'),
    ttftMs: r.ttft_ms as number | null,
    stream: r.stream === 1,
    status: r.status as SpendRow['status'],
    httpStatus: num('http_status'),
    errorType: text('error_type'),
    endUser: text('end_user'),
    usageSource: r.usage_source as SpendRow['usageSource'],
    cacheHit: r.cache_hit === 1,
    costSource: (r.cost_source as CostSource | null) ?? 'price_table',
    requestedModel: text('requested_model'),
    errorMessage: text('error_message'),
  };
}
