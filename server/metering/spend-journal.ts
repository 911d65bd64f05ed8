/**
 * Write-ahead journal for spend. Each call's spend row and key spend are appended to a journal file
 * (one write() on an O_APPEND descriptor: in the OS's page cache, so it survives the process being
 * killed) before the client sees the end of its answer, and imported into SQLite in batches.
 *
 * Why not commit each row to SQLite before answering: a commit costs 30–90 µs on this kind of machine
 * and a turn of the event loop to batch, which halved the gateway's throughput in `npm run bench`; an
 * append costs a few µs and needs no wait. The journal is replayed when the gateway starts, and the
 * import is idempotent (a row is keyed by its request id; a key's spend is added only with a new row),
 * so rows imported already are harmless in it: the file is emptied only once it is large, because
 * truncating a file the kernel is still writing back can stall the event loop.
 */
import { closeSync, existsSync, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';
import type { SpendRow } from '../spend/spend-log.ts';

export const SPEND_JOURNAL_FILE = 'spend.journal';

/** A spend row; its keyId and costNanos also charge the key when it is imported. */
export type SpendEntry = SpendRow;

/** Imports entries in one transaction; throws to keep them for a later try. */
export type SpendImporter = (entries: readonly SpendEntry[]) => void;

/** The journal is emptied after an import once it holds more than this. */
const TRUNCATE_ABOVE_BYTES = 4 * 1024 * 1024;

export interface SpendJournalOptions {
  /** The journal file; without one, entries are imported at once (in-memory databases, tests). */
  file?: string;
  /** Longest an entry waits before its import (ms). */
  batchMs?: number;
  /** Import at once when this many entries wait. */
  maxPending?: number;
  onImportError?: (err: Error) => void;
}

export class SpendJournal {
  private pending: SpendEntry[] = [];
  private fd: number | undefined;
  /** Bytes appended since the file was last emptied. */
  private size = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly batchMs: number;
  private readonly maxPending: number;

  constructor(
    private readonly importer: SpendImporter,
    private readonly options: SpendJournalOptions = {},
  ) {
    this.batchMs = options.batchMs ?? 50;
    this.maxPending = options.maxPending ?? 500;
    if (options.file) {
      this.replay(options.file);
      this.fd = openSync(options.file, 'a', 0o600);
    }
  }

  /** Entries a previous run appended but did not import (it crashed, or was killed). */
  private replay(file: string): void {
    if (!existsSync(file)) return;
    const entries: SpendEntry[] = [];
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (!line) continue;
      try {
        entries.push(JSON.parse(line) as SpendEntry);
      } catch {
        // A line cut short by the crash itself: its response never finished, so it was never owed a row.
      }
    }
    if (entries.length) this.importer(entries);
    const fd = openSync(file, 'r+');
    try {
      ftruncateSync(fd, 0);
    } finally {
      closeSync(fd);
    }
  }

  /** Durable when it returns: the caller may then finish its response. */
  append(entry: SpendEntry): void {
    if (this.fd === undefined) {
      this.importer([entry]);
      return;
    }
    this.size += writeSync(this.fd, `${JSON.stringify(entry)}\n`);
    this.pending.push(entry);
    if (this.pending.length >= this.maxPending) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.batchMs).unref();
  }

  /** Imports what is pending now (before reading spend from SQLite, and on close). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0) return;
    const batch = this.pending;
    try {
      this.importer(batch);
    } catch (err) {
      // Kept in memory and in the file; the next flush (or the next start) tries again.
      this.options.onImportError?.(err as Error);
      this.timer = setTimeout(() => this.flush(), this.batchMs * 20).unref();
      return;
    }
    this.pending = [];
    // Everything appended so far is imported; nothing else can append in between (one thread).
    if (this.size > TRUNCATE_ABOVE_BYTES) this.truncate();
  }

  /** Imports what is pending and empties the file: after it, no imported row can be replayed. */
  compact(): void {
    this.flush();
    if (this.pending.length === 0) this.truncate();
  }

  private truncate(): void {
    if (this.fd === undefined) return;
    ftruncateSync(this.fd, 0);
    this.size = 0;
  }

  close(): void {
    this.compact();
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
