/**
 * Structured logs (pino) to stdout — human-readable on a terminal, JSON otherwise — and to an
 * in-memory ring for the dashboard. Levels: info (default), debug (`--debug`: one line per request),
 * trace (`--detailed_debug`: also the upstream request as curl).
 */
import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';
import { LogRing } from './log-ring.ts';

export type { Logger } from 'pino';

export interface LoggerOptions {
  level?: 'silent' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
  /** Pretty lines (default: when stdout is a terminal). */
  pretty?: boolean;
  /** Where lines go besides the ring (default: stdout); `null` for the ring only. */
  destination?: NodeJS.WritableStream | null;
  ring?: LogRing;
}

export function createLogger(options: LoggerOptions = {}): { logger: Logger; ring: LogRing } {
  const ring = options.ring ?? new LogRing();
  const level = options.level ?? 'info';
  const streams: pino.StreamEntry[] = [{ level: 'trace', stream: ring }];
  const destination = options.destination === undefined ? process.stdout : options.destination;
  if (destination) {
    const usePretty = options.pretty ?? Boolean((destination as NodeJS.WriteStream).isTTY);
    const stream = usePretty ? pretty({ destination, sync: true, ignore: 'pid,hostname', translateTime: 'SYS:HH:MM:ss.l' }) : destination;
    streams.push({ level: 'trace', stream });
  }
  const logger = pino(
    {
      level,
      base: undefined,
      redact: {
        paths: ['headers.authorization', 'headers["api-key"]', 'headers["x-api-key"]', '*.api_key', '*.master_key', 'api_key', 'master_key'],
        censor: '[masked]',
      },
    },
    pino.multistream(streams),
  );
  return { logger, ring };
}
