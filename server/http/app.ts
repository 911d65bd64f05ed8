/** The Fastify app: one plugin per concern, registered in request-path order. */
import Fastify, { type FastifyInstance } from 'fastify';
import type { GatewayConfig } from '../core/config-types.ts';
import { registerAdminScope } from './admin-scope.ts';
import { registerErrorHandling } from './error-handler.ts';
import { acceptJsonBodies } from './json-body.ts';
import type { Runtime } from './runtime.ts';
import { registerAnthropicMessagesRoutes } from './routes/anthropic-messages.ts';
import { registerHealthRoutes } from './routes/health.ts';
import { registerInferenceRoutes } from './routes/inference.ts';
import { registerRerankRoutes } from './routes/rerank.ts';
import { registerModelRoutes } from './routes/models.ts';
import { registerPassThroughRoutes } from './routes/pass-through.ts';
import { registerResponsesRoutes } from './routes/responses.ts';
import { allowedOriginSet, checkHost, checkOrigin, isDashboardFile } from './security.ts';
import { registerAdminSecretRoutes } from './routes/admin-secrets.ts';
import { knownSecrets } from '../observe/log-lines.ts';
import { registerKeyRoutes } from './routes/keys.ts';
import { registerMetricsRoute } from './routes/metrics.ts';
import { registerSpendRoutes } from './routes/spend.ts';
import { registerModelAdminRoutes, type ModelAdminOptions } from './routes/model-admin.ts';
import { registerAdminConfigRoutes } from './routes/admin-config.ts';
import { registerAdminRoutingRoutes } from './routes/admin-routing.ts';
import { registerAdminMasterKeyRoutes } from './routes/admin-master-key.ts';
import { registerOverviewRoute } from './routes/admin-overview.ts';
import { registerSettingsRoute } from './routes/admin-settings.ts';
import { registerDeploymentTestRoute } from './routes/deployment-test.ts';
import { registerDeploymentHealthRoute } from './routes/deployment-health-route.ts';
import { registerLogRoutes } from './routes/admin-logs.ts';
import { registerAdminPriceRoutes } from './routes/admin-prices.ts';
import { registerDashboardUi } from './routes/dashboard-ui.ts';
import { providerRoutes } from './routes/admin-providers.ts';

export interface AppOptions {
  bodyLimitBytes: number;
  /** Host names requests may carry; undefined accepts any (bound to every interface). */
  allowedHosts: () => Set<string> | undefined;
  /** After a secret changed through the admin API: re-resolve `keychain/NAME` references. */
  onSecretsChanged?: () => void;
  /** config.yaml and the reload behind /model/new, /model/update, /model/delete (absent: /model/info only). */
  modelAdmin?: ModelAdminOptions;
  /** The built dashboard served at /ui/ (default: renderer/dist of this repository). */
  uiDir?: string;
}

export function buildApp(runtime: Runtime, options: AppOptions): FastifyInstance {
  const app = Fastify({
    logger: false,
    bodyLimit: options.bodyLimitBytes,
    keepAliveTimeout: 65_000,
    return503OnClosing: true,
    // OpenAI rejects `"temperature": "0.5"`; so does the gateway, instead of quietly coercing it.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, useDefaults: false } },
  });

  registerErrorHandling(app, runtime.logger, options.bodyLimitBytes, () => runtime.state);

  // general_settings.allowed_origins, normalised once per config (a reload brings a new settings object).
  const allowedOrigins = new WeakMap<object, Set<string>>();
  const originsOf = (settings: GatewayConfig['general_settings']) => {
    const known = allowedOrigins.get(settings);
    if (known) return known;
    const origins = allowedOriginSet(settings.allowed_origins);
    allowedOrigins.set(settings, origins);
    return origins;
  };
  app.addHook('onRequest', async (request) => {
    checkHost(request.headers, options.allowedHosts());
    if (!isDashboardFile(request.method, request.url)) checkOrigin(request.headers, originsOf(runtime.state.config.general_settings));
  });

  acceptJsonBodies(app, undefined, runtime.logger);
  // LLProxy routes / pass_through_endpoints: after the Host and Origin checks, before any body is parsed.
  registerPassThroughRoutes(app, runtime, options.bodyLimitBytes);

  // Routes any caller reaches (with a key the gateway takes, when a master key is set), and the dashboard's files.
  const backgroundHealth = registerHealthRoutes(app, runtime);
  registerModelRoutes(app, runtime);
  registerInferenceRoutes(app, runtime);
  registerRerankRoutes(app, runtime);
  registerAnthropicMessagesRoutes(app, runtime);
  registerResponsesRoutes(app, runtime);
  registerDashboardUi(app, options.uiDir ? { dir: options.uiDir } : {});

  // Everything only the operator may reach: behind the master key, checked before any body is read.
  registerAdminScope(app, { masterKey: () => runtime.state.masterKey, keys: () => runtime.services.keys }, (admin) => {
    registerKeyRoutes(admin, { keys: () => runtime.services.keys });
    registerSpendRoutes(admin, {
      // Reports read SQLite: rows still in the journal go in first.
      spendLog: () => {
        runtime.services.journal.flush();
        return runtime.services.spendLog;
      },
      resolveKeyId: (ref) => runtime.services.keys.find(ref)?.id,
      secrets: () => knownSecrets(runtime.state),
    });
    registerModelAdminRoutes(admin, runtime, options.modelAdmin);
    registerAdminSecretRoutes(admin, () => runtime.services.secrets, options.onSecretsChanged ? { onChange: options.onSecretsChanged } : {});
    registerAdminConfigRoutes(admin, runtime, options.modelAdmin);
    registerAdminRoutingRoutes(admin, runtime, options.modelAdmin);
    registerAdminMasterKeyRoutes(admin, runtime, options.modelAdmin);
    registerOverviewRoute(admin, runtime);
    registerSettingsRoute(admin, runtime);
    registerDeploymentHealthRoute(admin, runtime, backgroundHealth);
    registerDeploymentTestRoute(admin, runtime);
    registerLogRoutes(admin, runtime);
    registerAdminPriceRoutes(admin, runtime);
    registerMetricsRoute(admin, () => runtime.metrics);
    void admin.register(async (scope) => providerRoutes(scope, runtime));
  });
  return app;
}
