/** What the routes see: the current state (swapped whole on reload, so a request keeps the one it started with) and the logger. */
import type { GatewayConfig } from '../config/types.ts';
import type { Logger } from '../observe/logger.ts';
import type { LogRing } from '../observe/log-ring.ts';
import type { ModelRouter } from '../router/model-router.ts';

export interface GatewayState {
  config: GatewayConfig;
  router: ModelRouter;
  masterKey?: string;
}

export interface Runtime {
  state: GatewayState;
  readonly logger: Logger;
  readonly ring: LogRing;
  readonly version: string;
  /** Unix seconds when the gateway started (the `created` of /v1/models entries). */
  readonly startedAt: number;
}
