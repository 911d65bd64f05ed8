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

export async function writeEvents(
  res: ServerResponse,
  frames: AsyncIterable<string | Uint8Array>,
  toError: (err: unknown) => Error,
  errorFrame: (error: Error) => string,
  endFrame?: string,
): Promise<{ error?: Error }> {
  let error: Error | undefined;
  try {
    for await (const frame of frames) {
      if (res.destroyed) break;
      if (frame.length > 0 && !res.write(frame)) await drainOrClose(res);
    }
    if (endFrame && !res.destroyed) res.write(endFrame);
  } catch (err) {
    error = toError(err);
    if (!res.destroyed) res.write(errorFrame(error));
  } finally {
    res.end();
  }
  return error ? { error } : {};
}
