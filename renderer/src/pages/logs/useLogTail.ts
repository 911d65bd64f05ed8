/**
 * The Logs page's state: the last MAX_LINES lines of the live tail, and pause (new lines wait, counted, and
 * are appended on resume). The connection follows the stream until the page unmounts.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { useSession } from '../../api/context.tsx';
import { defaultBackoff, followLogs, type TailStatus } from '../../api/logs.ts';
import { toEntry, type LogEntry } from './format.ts';

export const MAX_LINES = 2000;

export interface LogTail {
  lines: LogEntry[];
  status: TailStatus;
  /** Why the last connection ended or failed, while reconnecting or after failing. */
  error: unknown;
  paused: boolean;
  /** Lines received while paused, shown on resume. */
  newWhilePaused: number;
  pause(): void;
  resume(): void;
  clear(): void;
  /** After a failure: connect again. */
  retry(): void;
}

export function useLogTail({ backoff }: { backoff?: (attempt: number) => number } = {}): LogTail {
  const { api, signOut } = useSession();
  const [lines, setLines] = useState<LogEntry[]>([]);
  const [status, setStatus] = useState<TailStatus>('connecting');
  const [error, setError] = useState<unknown>();
  const [paused, setPaused] = useState(false);
  const [newWhilePaused, setNewWhilePaused] = useState(0);
  const [run, setRun] = useState(0);
  const pausedRef = useRef(false);
  const waiting = useRef<LogEntry[]>([]);
  const backoffRef = useRef(backoff);
  backoffRef.current = backoff;

  // biome-ignore lint/correctness/useExhaustiveDependencies: `run` is the Reconnect button's counter: a new value starts a new stream
  useEffect(() => {
    const controller = new AbortController();
    void followLogs(api, {
      signal: controller.signal,
      backoff: (attempt) => (backoffRef.current ?? defaultBackoff)(attempt),
      onLines: (received) => {
        const entries = received.map(toEntry);
        if (pausedRef.current) {
          waiting.current = [...waiting.current, ...entries].slice(-MAX_LINES);
          setNewWhilePaused((n) => n + entries.length);
        } else {
          setLines((current) => [...current, ...entries].slice(-MAX_LINES));
        }
      },
      onStatus: (next, problem) => {
        if (controller.signal.aborted) return;
        setStatus(next);
        setError(next === 'live' || next === 'connecting' ? undefined : problem);
      },
      onUnauthorized: signOut,
    });
    return () => controller.abort();
  }, [api, signOut, run]);

  const pause = useCallback(() => {
    pausedRef.current = true;
    setPaused(true);
  }, []);
  const resume = useCallback(() => {
    pausedRef.current = false;
    setPaused(false);
    const held = waiting.current;
    waiting.current = [];
    setNewWhilePaused(0);
    if (held.length) setLines((current) => [...current, ...held].slice(-MAX_LINES));
  }, []);
  const clear = useCallback(() => {
    waiting.current = [];
    setNewWhilePaused(0);
    setLines([]);
  }, []);
  const retry = useCallback(() => setRun((n) => n + 1), []);

  return { lines, status, error, paused, newWhilePaused, pause, resume, clear, retry };
}
