/**
 * Group commit: the writes submitted during one turn of the event loop share one transaction. A commit
 * costs about the same whatever it holds (measured: ~90 µs for one spend row in WAL mode, most of the
 * gateway's time per request), so batching makes it a cost per batch instead of per request. Each
 * submit resolves once its transaction committed, so a response that waits for it is durable.
 */
import type { Db } from './database.ts';

export interface Writer {
  /** Runs `work` (synchronous SQL) in a transaction; resolves once that transaction committed. */
  submit(work: () => void): Promise<void>;
}

interface Pending {
  work: () => void;
  resolve: () => void;
  reject: (err: Error) => void;
}

export class GroupCommit implements Writer {
  private queue: Pending[] = [];
  private scheduled = false;
  /** better-sqlite3 builds a wrapper per db.transaction() call: made once, not per batch. */
  private readonly commitAll: (batch: Pending[]) => void;
  private readonly commitOne: (item: Pending) => void;

  constructor(db: Db) {
    this.commitAll = db.transaction((batch: Pending[]) => {
      for (const item of batch) item.work();
    });
    this.commitOne = db.transaction((item: Pending) => item.work());
  }

  submit(work: () => void): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ work, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Commits everything submitted so far (also called on close, so nothing queued is lost). */
  flush(): void {
    this.scheduled = false;
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    try {
      this.commitAll(batch);
    } catch {
      // One write failed and rolled the batch back: commit the others one by one, so only it fails.
      for (const item of batch) {
        try {
          this.commitOne(item);
        } catch (err) {
          item.reject(err as Error);
          continue;
        }
        item.resolve();
      }
      return;
    }
    for (const item of batch) item.resolve();
  }
}

/** A writer that commits each submit at once: for tests and one-off writes. */
export function immediateWriter(db: Db): Writer {
  return {
    submit(work) {
      try {
        db.transaction(work)();
        return Promise.resolve();
      } catch (err) {
        return Promise.reject(err as Error);
      }
    },
  };
}
