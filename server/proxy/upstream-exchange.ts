/**
 * One upstream HTTP exchange on undici's dispatcher API. `request()` builds a Readable stream and wires
 * an AbortSignal per call; on this hot path that cost a third of the gateway's throughput (measured
 * with `npm run bench`), so the body is a small pull queue and aborting goes straight to undici.
 */
import type { Dispatcher } from 'undici';
import type { IncomingHttpHeaders } from 'node:http';

/** Buffered network reads before undici is asked to pause the socket (backpressure from a slow client). */
const HIGH_WATER_CHUNKS = 32;

type Controller = Dispatcher.DispatchController;

export interface UpstreamResponse {
  statusCode: number;
  headers: IncomingHttpHeaders;
  body: UpstreamBody;
}

/** The response body: iterate it chunk by chunk, or read it whole with text(). */
export class UpstreamBody implements AsyncIterable<Uint8Array> {
  private readonly chunks: Buffer[] = [];
  private ended = false;
  private error: Error | undefined;
  private wake: (() => void) | undefined;

  constructor(private readonly exchange: UpstreamExchange) {}

  /** @internal */ push(chunk: Buffer, controller: Controller): void {
    this.chunks.push(chunk);
    if (this.chunks.length >= HIGH_WATER_CHUNKS && !controller.paused) controller.pause();
    this.notify();
  }

  /** @internal */ end(): void {
    this.ended = true;
    this.notify();
  }

  /** @internal */ fail(error: Error): void {
    this.error ??= error;
    this.notify();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  private async waitForMore(): Promise<void> {
    if (this.chunks.length || this.ended || this.error) return;
    await new Promise<void>((resolve) => (this.wake = resolve));
  }

  async text(): Promise<string> {
    const all: Buffer[] = [];
    for await (const chunk of this) all.push(chunk as Buffer);
    return all.length === 1 ? all[0]!.toString('utf8') : Buffer.concat(all).toString('utf8');
  }

  /** Stops reading and closes the upstream exchange. */
  destroy(error?: Error): void {
    this.exchange.abort(error?.message ?? 'body-destroyed');
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    try {
      for (;;) {
        await this.waitForMore();
        const chunk = this.chunks.shift();
        if (chunk) {
          if (this.chunks.length < HIGH_WATER_CHUNKS / 2) this.exchange.resumeReading();
          yield chunk;
          continue;
        }
        if (this.error) throw this.error;
        if (this.ended) return;
      }
    } finally {
      if (!this.ended) this.exchange.abort('body-abandoned');
    }
  }
}

/**
 * Sends one request; `response` settles when the status line and headers arrived. `abort(reason)` ends
 * the exchange at any point (client gone, timeout); `reason` tells which, for the error the client sees.
 */
export class UpstreamExchange implements Dispatcher.DispatchHandler {
  readonly response: Promise<UpstreamResponse>;
  /** Why the gateway aborted, once it did. */
  reason: string | undefined;
  private controller: Controller | undefined;
  private readonly body = new UpstreamBody(this);
  private resolveResponse!: (res: UpstreamResponse) => void;
  private rejectResponse!: (err: Error) => void;
  private responded = false;

  constructor(dispatcher: Dispatcher, options: Dispatcher.DispatchOptions) {
    this.response = new Promise<UpstreamResponse>((resolve, reject) => {
      this.resolveResponse = resolve;
      this.rejectResponse = reject;
    });
    dispatcher.dispatch(options, this);
  }

  abort(reason: string): void {
    if (this.reason !== undefined) return;
    this.reason = reason;
    const error = Object.assign(new Error(`upstream request aborted: ${reason}`), { name: 'AbortError' });
    if (this.controller && !this.controller.aborted) this.controller.abort(error);
    // Before undici handed over its controller, or after the exchange ended, nobody else will report it.
    this.onResponseError(undefined, error);
  }

  resumeReading(): void {
    if (this.controller?.paused) this.controller.resume();
  }

  onRequestStart(controller: Controller): void {
    this.controller = controller;
    if (this.reason !== undefined) controller.abort(new Error(`upstream request aborted: ${this.reason}`));
  }

  onResponseStart(_controller: Controller, statusCode: number, headers: IncomingHttpHeaders): void {
    if (statusCode < 200) return; // 1xx informational: the real answer follows
    this.responded = true;
    this.resolveResponse({ statusCode, headers, body: this.body });
  }

  onResponseData(controller: Controller, chunk: Buffer): void {
    this.body.push(chunk, controller);
  }

  onResponseEnd(): void {
    this.body.end();
  }

  onResponseError(_controller: Controller | undefined, error: Error): void {
    if (this.responded) this.body.fail(error);
    else this.rejectResponse(error);
  }
}
