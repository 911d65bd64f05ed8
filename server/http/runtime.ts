/** What the routes see: the current state (swapped whole on reload, so a request keeps the one it started with) and the logger. */
import type { GatewayConfig } from '../config/types.ts';
import type { Logger } from '../observe/logger.ts';
import type { LogRing } from '../observe/log-ring.ts';
import type { ModelRouter } from '../router/model-router.ts';
import type { GatewayServices } from '../metering/services.ts';
import type { PriceBook } from '../spend/price-book.ts';

export interface GatewayState {
  config: GatewayConfig;
  router: ModelRouter;
  /** Prices per deployment of this config (cached by deployment id, so rebuilt with the config). */
  prices: PriceBook;
  masterKey?: string;
}

export interface Runtime {
  state: GatewayState;
  readonly services: GatewayServices;
  readonly logger: Logger;
  readonly ring: LogRing;
  readonly version: string;
  /** Unix seconds when the gateway started (the `created` of /v1/models entries). */
  readonly startedAt: number;
}
