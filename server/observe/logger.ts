/**
 * Structured logs (pino) to stdout — human-readable on a terminal, JSON otherwise — and to an
 * in-memory ring for the dashboard. Levels: info (default), debug (`--debug`: one line per request),
 * trace (`--detailed_debug`: also the upstream request as curl). While the dashboard's live tail watches,
 * the ring alone gets debug lines too (live-tail.ts).
 *
 * Every line is masked as it is written, before any stream sees it (mask-fields.ts): the secrets the gateway
 * holds (registered with maskLogsWith) and provider key shapes, in `msg`, `err` and every other field — an
 * upstream error that quotes a key is logged with the key masked.
 */
import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';
import { LogRing } from './log-ring.ts';
import { setRingLevelSwitch } from './live-tail.ts';
import { maskJsonText } from './mask-fields.ts';

export type { Logger } from 'pino';

export interface LoggerOptions {
  level?: 'silent' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
  /** Pretty lines (default: when stdout is a terminal). */
  pretty?: boolean;
  /** Where lines go besides the ring (default: stdout); `null` for the ring only. */
  destination?: NodeJS.WritableStream | null;
  ring?: LogRing;
}

/** The secret values a gateway holds right now (read per line, so it follows config reloads). */
export type SecretSource = () => readonly string[];

const secretSources = new WeakMap<Logger, Set<SecretSource>>();

/** Masks these secrets in every line this logger (made by createLogger) writes from now on. */
export function maskLogsWith(logger: Logger, source: SecretSource): void {
  secretSources.get(logger)?.add(source);
}

function maskLine(line: string, sources: ReadonlySet<SecretSource>): string {
  const secrets: string[] = [];
  for (const source of sources) secrets.push(...source());
  // Longest first, so a secret that contains another is masked whole.
  if (sources.size > 1) secrets.sort((a, b) => b.length - a.length);
  const body = line.endsWith('\n') ? line.slice(0, -1) : line;
  return `${maskJsonText(body, secrets)}\n`;
}

export function createLogger(options: LoggerOptions = {}): { logger: Logger; ring: LogRing } {
  const ring = options.ring ?? new LogRing();
  const level = options.level ?? 'info';
  // Each stream has its own level: the console shows `level`; so does the ring, except while the
  // dashboard's live tail watches it (live-tail.ts), when it gets debug. The logger's level is the lower
  // of the two, so debug lines cost nothing while nobody watches.
  const multi = pino.multistream([]);
  const destination = options.destination === undefined ? process.stdout : options.destination;
  const consoleLevel = destination ? level : 'silent';
  if (destination) {
    const usePretty = options.pretty ?? Boolean((destination as NodeJS.WriteStream).isTTY);
    const stream = usePretty ? pretty({ destination, sync: true, ignore: 'pid,hostname', translateTime: 'SYS:HH:MM:ss.l' }) : destination;
    addStream(multi, level, stream);
  }
  let ringId = addStream(multi, level, ring);
  const sources = new Set<SecretSource>();
  const logger = pino(
    {
      level,
      base: undefined,
      hooks: { streamWrite: (line) => maskLine(line, sources) },
      redact: {
        paths: ['headers.authorization', 'headers["api-key"]', 'headers["x-api-key"]', '*.api_key', '*.master_key', 'api_key', 'master_key'],
        censor: '[masked]',
      },
    },
    multi,
  );
  secretSources.set(logger, sources);
  setRingLevelSwitch(ring, (watched) => {
    const ringLevel = watched ? lowerLevel(level, 'debug') : level;
    if (ringId !== undefined) multi.remove(ringId);
    ringId = addStream(multi, ringLevel, ring);
    logger.level = lowerLevel(consoleLevel, ringLevel);
  });
  return { logger, ring };
}

type LevelName = NonNullable<LoggerOptions['level']>;

const rank = (level: LevelName): number => (level === 'silent' ? Infinity : pino.levels.values[level]!);
const lowerLevel = (a: LevelName, b: LevelName): LevelName => (rank(a) <= rank(b) ? a : b);

/** Adds a stream at this level (none for silent); returns its multistream id. */
function addStream(multi: pino.MultiStreamRes, level: LevelName, stream: pino.DestinationStream): number | undefined {
  if (level === 'silent') return undefined;
  multi.add({ level, stream });
  return (multi as pino.MultiStreamRes & { lastId: number }).lastId;
}
