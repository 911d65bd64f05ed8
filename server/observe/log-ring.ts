/**
 * The last N log lines in memory, for the dashboard's live tail. Subscribers get each new line as it
 * is written; a slow subscriber is the subscriber's problem, never the logger's.
 */
export type LogListener = (line: string) => void;

export class LogRing {
  private readonly lines: string[] = [];
  private readonly listeners = new Set<LogListener>();

  constructor(readonly capacity = 2000) {}

  /** pino destination interface: one serialised line per call. */
  write(line: string): void {
    const trimmed = line.endsWith('\n') ? line.slice(0, -1) : line;
    this.lines.push(trimmed);
    if (this.lines.length > this.capacity) this.lines.splice(0, this.lines.length - this.capacity);
    for (const listener of this.listeners) listener(trimmed);
  }

  tail(n = this.capacity): string[] {
    return this.lines.slice(-n);
  }

  subscribe(listener: LogListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
