/** What the pipeline is given — the gateway's services, one inbound request — and what it hands back to the route. */
import type { ServerResponse } from 'node:http';
import type { ResponseCacheService } from '../cache/cache-service.ts';
import type { Caller } from '../keys/caller.ts';
import type { GatewayServices } from '../metering/services.ts';
import type { Logger } from '../observe/logger.ts';
import type { GatewayMetrics } from '../observe/metrics.ts';
import type { CallLifetime } from '../proxy/call-lifetime.ts';
import type { DeploymentHealth } from '../router/deployment-health.ts';
import type { DeploymentLimits } from '../router/deployment-limits.ts';
import type { ModelRouter } from '../router/model-router.ts';
import type { RouterSettings } from '../router/router-settings.ts';
import type { PriceBook } from '../spend/price-book.ts';

/** The gateway as the pipeline uses it (the http layer's Runtime is one). */
export interface PipelineRuntime {
  /** Swapped whole on a reload: a request keeps the state it started with. */
  readonly state: { readonly router: ModelRouter; readonly routing: RouterSettings; readonly prices: PriceBook };
  readonly services: GatewayServices;
  readonly health: DeploymentHealth;
  readonly limits: DeploymentLimits;
  readonly metrics: GatewayMetrics;
  readonly cache: ResponseCacheService;
  readonly logger: Logger;
}

/** One inbound request, already parsed and validated by its route. */
export interface Inbound {
  /** The path asked for (the log line's). */
  path: string;
  body: Record<string, unknown>;
  /**
   * The caller (keys/caller.ts), resolved as the pipeline's first step, so a refused key is logged and
   * counted like every other failure.
   */
  authenticate(): Caller;
  /** Ends when the client goes away; every upstream call of the request hangs off it. */
  lifetime: CallLifetime;
}

/** What the route writes. */
export type PipelineReply =
  | { kind: 'json'; status: number; headers: Record<string, string>; body: string | Record<string, unknown> }
  /** 200 with these headers, then `pipe` writes the events and ends the response (the spend row is committed before its end). */
  | { kind: 'stream'; headers: Record<string, string>; pipe(res: ServerResponse): Promise<void> }
  /** Rendered by the route, in its surface's error shape, with these headers. */
  | { kind: 'failed'; error: unknown; headers: Record<string, string> }
  /** The client left: nothing to write; the connection is destroyed. */
  | { kind: 'gone' };
