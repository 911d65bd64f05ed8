/**
 * Writes already-framed SSE events (text or the upstream's own bytes) to the client with back-pressure.
 * Unlike writeFrames (sse.ts) it adds no `data: [DONE]` and lets the caller say how a failure after the
 * first byte is told in-band, because the Anthropic Messages API ends with message_stop and reports a
 * late failure as an `event: error`.
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
): Promise<{ error?: Error }> {
  let error: Error | undefined;
  try {
    for await (const frame of frames) {
      if (res.destroyed) break;
      if (frame.length > 0 && !res.write(frame)) await drainOrClose(res);
    }
  } catch (err) {
    error = toError(err);
    if (!res.destroyed) res.write(errorFrame(error));
  } finally {
    res.end();
  }
  return error ? { error } : {};
}
