/**
 * Retention of stored rows: spend logs (LiteLLM's `general_settings.maximum_spend_logs_retention_period`) and
 * stored Responses API answers (`stored_responses_retention_period`). Rows older than the period are deleted
 * at start and then every hour (LiteLLM's `maximum_spend_logs_retention_interval` may set another interval).
 */
import { PRUNE_BATCH } from './spend-log.ts';

/** A table whose old rows can be deleted a batch at a time. */
export interface PrunableRows {
  /** Deletes at most `limit` rows older than `cutoffMs` (ms epoch); returns how many it deleted. */
  pruneBatch(cutoffMs: number, limit: number): number;
}

export const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** LiteLLM's duration units; `mo` is taken as 30 days. */
const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: HOUR_MS, d: DAY_MS, w: 7 * DAY_MS, mo: 30 * DAY_MS };

/**
 * "30d", "12h", "60m", "3600s", "1w", "6mo" → ms. undefined, null or "" → undefined (keep logs forever).
 * Anything else throws, with the accepted forms in the message (for a config error naming the setting).
 */
export function parseRetention(value: unknown): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const match = typeof value === 'string' ? /^\s*(\d+)\s*(mo|s|m|h|d|w)\s*$/i.exec(value) : null;
  const amount = match ? Number(match[1]) : 0;
  if (!match || amount <= 0) {
    throw new Error(`Invalid retention period ${JSON.stringify(value)}: use a whole number and a unit, like "30d", "12h", "60m", "3600s", "2w" or "6mo".`);
  }
  return amount * UNIT_MS[match[2]!.toLowerCase()]!;
}

/** The slice of a pino logger retention uses. */
export interface RetentionLogger {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/**
 * Deletes rows that started more than `retentionMs` before `now`, one batch per event-loop turn so a large
 * backlog never stalls requests. Resolves to the number of rows deleted.
 */
export async function pruneExpired(rows: PrunableRows, retentionMs: number, now: number = Date.now(), isStopped: () => boolean = () => false): Promise<number> {
  const cutoff = now - retentionMs;
  let deleted = 0;
  for (;;) {
    const batch = rows.pruneBatch(cutoff, PRUNE_BATCH);
    deleted += batch;
    if (batch < PRUNE_BATCH || isStopped()) return deleted;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/**
 * Prunes now (on the next event-loop turn) and then every `intervalMs`. Timers are unref'd: retention
 * never keeps the process alive. Returns a stop function; call it before closing the database.
 */
export function startRetention(
  rows: PrunableRows,
  retentionMs: number,
  logger?: RetentionLogger,
  intervalMs: number = HOUR_MS,
  /** Runs before each prune (the gateway empties its spend journal, so no pruned row is replayed). */
  beforePrune: () => void = () => undefined,
  /** What the rows are, for the log lines. */
  what = 'spend logs',
): () => void {
  let stopped = false;
  let running = false;
  const run = async () => {
    if (running || stopped) return;
    running = true;
    try {
      beforePrune();
      const deleted = await pruneExpired(rows, retentionMs, Date.now(), () => stopped);
      if (deleted > 0) logger?.info({ deleted, retention_ms: retentionMs }, `deleted ${what} older than the retention period`);
    } catch (err) {
      logger?.error({ err }, `${what} retention failed`);
    } finally {
      running = false;
    }
  };
  const first = setImmediate(() => void run()).unref();
  const timer = setInterval(() => void run(), intervalMs).unref();
  return () => {
    stopped = true;
    clearImmediate(first);
    clearInterval(timer);
  };
}
