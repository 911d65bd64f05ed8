/**
 * A stream body that fails when the upstream goes silent for longer than the deployment's timeout:
 * one timer, refreshed per chunk.
 */
import { GatewayError } from '../core/errors.ts';

export async function* withIdleTimeout(body: AsyncIterable<Uint8Array> & { destroy(err?: Error): unknown }, idleMs: number): AsyncGenerator<Uint8Array> {
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    body.destroy(new Error('idle'));
  }, idleMs);
  try {
    for await (const chunk of body) {
      timer.refresh();
      yield chunk;
    }
  } catch (err) {
    if (timedOut) throw new GatewayError(504, `The upstream stream went silent for more than ${idleMs / 1000}s.`, { code: 'upstream_timeout' });
    throw err;
  } finally {
    clearTimeout(timer);
  }
}
