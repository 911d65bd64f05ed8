/**
 * The admin API's wire types for the log views: GET /admin/logs?limit=N answers a LogTail; GET /admin/logs/stream
 * sends server-sent events, `event: log` + `data: <LogLine JSON>` per line (the tail first), and `: ping` comments.
 */

/** One pino line, parsed. `level` is pino's number (10 trace … 60 fatal); secrets already masked. */
export interface LogLine {
  level: number;
  time: number;
  msg?: string;
  [field: string]: unknown;
}

/** The newest lines, oldest first. */
export interface LogTail {
  lines: LogLine[];
}
