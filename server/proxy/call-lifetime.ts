/**
 * Who may stop a call, and why: the client leaving or the gateway's own timer. One plain object per
 * request instead of AbortControllers, because an EventTarget per call showed in the hot-path profile;
 * a real AbortSignal is made only for in-process providers that need one.
 */
import { ABORT_CLIENT_GONE, ABORT_TIMEOUT, type UpstreamExchange } from './upstream.ts';

export class CallLifetime {
  /** Why the call was stopped, once it was (ABORT_CLIENT_GONE, ABORT_TIMEOUT, …). */
  reason: string | undefined;
  private exchange: UpstreamExchange | undefined;
  private controller: AbortController | undefined;

  private children: Set<CallLifetime> | undefined;

  abort(reason: string): void {
    if (this.reason !== undefined) return;
    this.reason = reason;
    this.exchange?.abort(reason);
    this.controller?.abort(reason);
    for (const child of this.children ?? []) child.abort(reason);
  }

  /**
   * One attempt's lifetime inside the request's: it ends when the request does (the client left), but
   * its own timeout does not end the request, which may still retry or fall back.
   */
  child(): CallLifetime {
    const child = new CallLifetime();
    if (this.reason !== undefined) child.abort(this.reason);
    else {
      this.children ??= new Set();
      this.children.add(child);
    }
    return child;
  }

  /** Stops passing the request's end on to an attempt that is over. */
  release(child: CallLifetime): void {
    this.children?.delete(child);
  }

  /** The upstream exchange this call is waiting on; aborted at once if the call already was. */
  attach(exchange: UpstreamExchange): UpstreamExchange {
    this.exchange = exchange;
    if (this.reason !== undefined) exchange.abort(this.reason);
    return exchange;
  }

  get signal(): AbortSignal {
    this.controller ??= new AbortController();
    if (this.reason !== undefined && !this.controller.signal.aborted) this.controller.abort(this.reason);
    return this.controller.signal;
  }

  /** Aborts with ABORT_TIMEOUT after `ms` (0: never); returns the function that cancels the timer. */
  startTimer(ms: number): () => void {
    if (ms <= 0) return () => undefined;
    const timer = setTimeout(() => this.abort(ABORT_TIMEOUT), ms);
    return () => clearTimeout(timer);
  }

  /** Aborts when the response closes before it was completely sent (the client went away). */
  static forResponse(res: import('node:http').ServerResponse): CallLifetime {
    const lifetime = new CallLifetime();
    res.once('close', () => {
      if (!res.writableFinished) lifetime.abort(ABORT_CLIENT_GONE);
    });
    return lifetime;
  }
}
