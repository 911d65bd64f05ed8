/**
 * A stream whose first frame is read before the client is answered. An upstream may open a 200 stream and say in
 * its first event that the call failed (Gemini's promptFeedback.blockReason, a Bedrock throttlingException, an
 * Anthropic or Cohere `error` event): read first, that failure is thrown while the status line is still unsent,
 * so it is a plain HTTP error that the router retries and falls back on (content_policy_fallbacks, …), not an
 * in-band event after a 200. Later frames stream as before.
 *
 * One frame is held, no more; the iterator handed on replays it and then delegates to the source's own iterator,
 * so every later frame costs one extra call and no allocation.
 */

class PrimedIterator<T> implements AsyncIterableIterator<T> {
  constructor(
    private readonly source: AsyncIterator<T>,
    private held: IteratorResult<T> | undefined,
  ) {}

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<T>> {
    const held = this.held;
    if (held === undefined) return this.source.next();
    this.held = undefined;
    return Promise.resolve(held);
  }

  /** The consumer stopped early (the client left): the source's own cleanup runs (its finally blocks). */
  return(value?: unknown): Promise<IteratorResult<T>> {
    this.held = undefined;
    return this.source.return ? this.source.return(value) : Promise.resolve({ done: true, value: undefined as T });
  }
}

/**
 * Reads the first frame of `source`; resolves with the whole stream (that frame first), or rejects with what reading
 * it threw — before anything was sent to the client.
 */
export async function primed<T>(source: AsyncIterable<T>): Promise<AsyncIterableIterator<T>> {
  const iterator = source[Symbol.asyncIterator]();
  const first = await iterator.next();
  return new PrimedIterator(iterator, first);
}

/**
 * primed(), for a stream opened upstream: a failure while reading the first frame closes the upstream exchange and
 * is thrown as its surface classifies it (a GatewayError as it is, a broken connection as 502, the gateway's own
 * timeout as 504, the client leaving as ClientGoneError).
 */
export async function primedOrThrow<T>(source: AsyncIterable<T>, toError: (err: unknown) => Error, close: () => void): Promise<AsyncIterableIterator<T>> {
  try {
    return await primed(source);
  } catch (err) {
    close();
    throw toError(err);
  }
}
