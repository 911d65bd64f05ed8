/**
 * The gateway's live log tail: GET /admin/logs/stream, server-sent events (`event: log`, `data: <LogLine JSON>`,
 * the recent tail first, `: ping` comments to keep the connection open). EventSource cannot send the master key
 * as a header, so the stream is read with fetch (api.stream) and parsed with eventsource-parser.
 */
import { createParser } from 'eventsource-parser';
import { ApiError, type ApiClient } from './client.ts';
import type { LogLine } from './types.ts';

export const LOG_STREAM_PATH = '/admin/logs/stream';

/** One parsed line and its JSON as sent (for recognising lines seen before a reconnect). */
export interface ReceivedLine {
  line: LogLine;
  raw: string;
}

function asLogLine(data: string): LogLine | undefined {
  try {
    const value: unknown = JSON.parse(data);
    if (value && typeof value === 'object' && !Array.isArray(value) && typeof (value as LogLine).level === 'number') {
      const line = value as LogLine;
      return typeof line.time === 'number' ? line : { ...line, time: Date.now() };
    }
  } catch {
    // Not JSON: not a log line.
  }
  return undefined;
}

/**
 * Reads one open stream to its end, calling `onLines` once per network chunk with the lines it completed.
 * Resolves when the server closes the stream; rejects when reading fails. Aborting `signal` cancels the read.
 */
export async function readLogStream(response: Response, signal: AbortSignal, onLines: (lines: ReceivedLine[]) => void): Promise<void> {
  if (!response.body) throw new Error('The log stream answered without a body.');
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let batch: ReceivedLine[] = [];
  const parser = createParser({
    onEvent: (event) => {
      if (event.event !== undefined && event.event !== 'log') return;
      const line = asLogLine(event.data);
      if (line) batch.push({ line, raw: event.data });
    },
  });
  const cancel = () => void reader.cancel().catch(() => {});
  signal.addEventListener('abort', cancel);
  try {
    for (;;) {
      if (signal.aborted) return;
      const { done, value } = await reader.read();
      if (done) return;
      parser.feed(decoder.decode(value, { stream: true }));
      if (batch.length) {
        const lines = batch;
        batch = [];
        onLines(lines);
      }
    }
  } finally {
    signal.removeEventListener('abort', cancel);
    reader.releaseLock?.();
  }
}

/**
 * After a reconnect the server sends its tail again: drops the lines already received, i.e. those older than
 * the newest line seen, or as new and identical to one seen. Once a new line arrives, everything passes.
 */
export class ReplayFilter {
  private lastTime = -Infinity;
  private atLastTime = new Set<string>();
  private replaying = false;

  /** A new connection: its first lines may repeat what was already received. */
  reconnected(): void {
    this.replaying = this.lastTime > -Infinity;
  }

  accept({ line, raw }: ReceivedLine): boolean {
    if (this.replaying) {
      if (line.time < this.lastTime || (line.time === this.lastTime && this.atLastTime.has(raw))) return false;
      this.replaying = false;
    }
    if (line.time > this.lastTime) {
      this.lastTime = line.time;
      this.atLastTime = new Set([raw]);
    } else if (line.time === this.lastTime) {
      this.atLastTime.add(raw);
    }
    return true;
  }
}

export type TailStatus = 'connecting' | 'live' | 'reconnecting' | 'failed';

/** Waits before the next reconnect: 0.5 s, 1 s, 2 s, 4 s, 8 s, then every 10 s. */
export const defaultBackoff = (attempt: number): number => Math.min(10_000, 500 * 2 ** attempt);

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
}

/** A refusal that asking again will not fix (bad request, unknown endpoint); 401 is reported separately. */
function isPermanent(error: unknown): boolean {
  return error instanceof ApiError && error.status >= 400 && error.status < 500 && error.status !== 408 && error.status !== 429;
}

export interface TailOptions {
  signal: AbortSignal;
  onLines: (lines: LogLine[]) => void;
  onStatus: (status: TailStatus, error?: unknown) => void;
  /** The master key was refused (rotated elsewhere): the session should sign out. */
  onUnauthorized: () => void;
  backoff?: (attempt: number) => number;
}

/**
 * Follows the log stream until `signal` aborts: reconnects with backoff whenever the stream drops or the
 * gateway cannot be reached, without repeating lines already delivered. Stops for good on a 4xx answer.
 */
export async function followLogs(api: ApiClient, { signal, onLines, onStatus, onUnauthorized, backoff = defaultBackoff }: TailOptions): Promise<void> {
  const replay = new ReplayFilter();
  let attempt = 0;
  onStatus('connecting');
  while (!signal.aborted) {
    let problem: unknown;
    try {
      const response = await api.stream(LOG_STREAM_PATH, undefined, signal);
      if (signal.aborted) return;
      replay.reconnected();
      attempt = 0;
      onStatus('live');
      await readLogStream(response, signal, (received) => {
        const fresh = received.filter((r) => replay.accept(r)).map((r) => r.line);
        if (fresh.length) onLines(fresh);
      });
    } catch (error) {
      if (signal.aborted) return;
      if (error instanceof ApiError && error.status === 401) {
        onUnauthorized();
        return;
      }
      if (isPermanent(error)) {
        onStatus('failed', error);
        return;
      }
      problem = error;
    }
    if (signal.aborted) return;
    onStatus('reconnecting', problem);
    await sleep(backoff(attempt++), signal);
  }
}
