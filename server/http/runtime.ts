/** What the routes see: the current state (swapped whole on reload, so a request keeps the one it started with) and the logger. */
import type { GatewayConfig } from '../core/config-types.ts';
import type { LogRing } from '../observe/log-ring.ts';
import type { ModelRouter } from '../router/model-router.ts';
import type { PriceBook } from '../spend/price-book.ts';
import type { RouterSettings } from '../router/router-settings.ts';
import type { ConfigFile } from '../config/config-file.ts';
import type { PipelineRuntime } from '../pipeline/runtime.ts';

export interface GatewayState {
  config: GatewayConfig;
  router: ModelRouter;
  /** Prices per deployment of this config (cached by deployment id, so rebuilt with the config). */
  prices: PriceBook;
  /** Retries, fallbacks, cooldowns and strategy from router_settings / litellm_settings. */
  routing: RouterSettings;
  masterKey?: string;
}

/** The pipeline's view of the gateway (services, health, limits, metrics, cache, logger), plus what the routes need. */
export interface Runtime extends PipelineRuntime {
  /** Swapped whole on a reload: a request keeps the state it started with. */
  state: GatewayState;
  readonly ring: LogRing;
  readonly version: string;
  /** Unix seconds when the gateway started (the `created` of /v1/models entries). */
  readonly startedAt: number;
  /** How this gateway was set up, for /admin/overview and /admin/settings. */
  readonly about: GatewayAbout;
}

/** Facts about the gateway's setup (never a secret value). */
export interface GatewayAbout {
  /** The host it binds, as given (127.0.0.1, ::, a name). */
  readonly host: string;
  /** The port: the requested one, then the one bound once listen() resolved (port 0 picks one). */
  port: number;
  readonly dataDir: string | null;
  /** config.yaml behind the running config; null with --model or a config passed in without a file. */
  readonly configFile: ConfigFile | null;
  /** A secret store was given (the default is an in-memory one that forgets everything at exit). */
  readonly secretStoreGiven: boolean;
  /** The price table as loaded. */
  readonly priceTable: { path: string; models: number };
}
