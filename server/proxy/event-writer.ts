/**
 * Writes already-framed SSE events (text or the upstream's own bytes) to the client with back-pressure.
 * The caller says how a failure after the first byte is told in-band (OpenAI: `data: {"error":…}`;
 * Anthropic: `event: error`) and what closes a complete stream (OpenAI's `data: [DONE]`; nothing for
 * Anthropic, whose stream ends with message_stop).
 */
import type { ServerResponse } from 'node:http';

function drainOrClose(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

export interface WriteEventsOptions {
  toError: (err: unknown) => Error;
  /** The in-band event that tells the client about a failure after the first byte. */
  errorFrame: (error: Error) => string;
  /** What closes a complete stream (OpenAI's `data: [DONE]`). */
  endFrame?: string;
  /** Runs after the last event and before the response ends: the spend row is committed here, so a
   * client that saw the end of its stream can rely on the row existing. */
  beforeEnd?: (result: WriteEventsResult) => void;
}

export interface WriteEventsResult {
  error?: Error;
  /** performance.now() of the first event written: time to first token. */
  firstFrameAt?: number;
}

export async function writeEvents(res: ServerResponse, frames: AsyncIterable<string | Uint8Array>, options: WriteEventsOptions): Promise<WriteEventsResult> {
  const result: WriteEventsResult = {};
  try {
    for await (const frame of frames) {
      if (res.destroyed) break;
      if (frame.length === 0) continue;
      result.firstFrameAt ??= performance.now();
      if (!res.write(frame)) await drainOrClose(res);
    }
    if (options.endFrame && !res.destroyed) res.write(options.endFrame);
  } catch (err) {
    result.error = options.toError(err);
    if (!res.destroyed) res.write(options.errorFrame(result.error));
  } finally {
    try {
      options.beforeEnd?.(result);
    } finally {
      res.end();
    }
  }
  return result;
}
