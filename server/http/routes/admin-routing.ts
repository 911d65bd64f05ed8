/**
 * The dashboard's routing settings (master key only: registered inside the admin scope, admin-scope.ts):
 *
 * - GET /admin/routing   retries, fallbacks, cooldowns, timeouts and cache in force, plus the groups;
 * - PUT /admin/routing   change them: config.yaml edited in place, in force at once.
 *
 * A change goes through ConfigFile and the gateway's reload (config-file-route.ts); without a config file
 * (`--model`) the PUT answers 409.
 */
import type { FastifyInstance } from 'fastify';
import { cacheSettingsOf } from '../../cache/cache-settings.ts';
import { modelGroupsOf, planRoutingEdit, ROUTING_STRATEGIES, routingView, RoutingInputError } from '../../admin/routing-edit.ts';
import type { RoutingAnswer, RoutingInput } from '../../core/admin-api.ts';
import { editYaml } from '../../config/yaml-edit.ts';
import { GatewayError } from '../../core/errors.ts';
import type { Runtime } from '../runtime.ts';
import { guarded, reloadWith, requireConfigFile } from './config-file-route.ts';
import type { ModelAdminOptions } from './model-admin.ts';

const chains = { type: 'array', items: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string', minLength: 1 } } } } as const;
const seconds = { type: 'number', minimum: 0 } as const;

const routingBody = {
  type: 'object',
  properties: {
    routing_strategy: { type: 'string', enum: ROUTING_STRATEGIES },
    num_retries: { type: 'integer', minimum: 0 },
    retry_after: seconds,
    allowed_fails: { type: 'integer', minimum: 0 },
    cooldown_time: seconds,
    request_timeout: { type: 'number', exclusiveMinimum: 0 },
    stream_timeout: { type: ['number', 'null'], exclusiveMinimum: 0 },
    fallbacks: chains,
    context_window_fallbacks: chains,
    content_policy_fallbacks: chains,
    default_fallbacks: { type: 'array', items: { type: 'string', minLength: 1 } },
    cache: {
      type: 'object',
      properties: {
        enabled: { type: 'boolean' },
        type: { type: 'string', enum: ['local', 'redis'] },
        ttl: { type: ['number', 'null'], exclusiveMinimum: 0 },
        host: { type: ['string', 'null'], minLength: 1 },
        port: { type: ['integer', 'null'], minimum: 1, maximum: 65535 },
      },
    },
  },
} as const;

/** A routing change that leaves config.yaml as it is: nothing to write or reload. */
const UNCHANGED = Symbol('unchanged');

export function registerAdminRoutingRoutes(app: FastifyInstance, runtime: Runtime, options: ModelAdminOptions = {}): void {
  const reload = reloadWith(options);

  app.get('/admin/routing', async () => routingAnswer(runtime));

  app.put<{ Body: RoutingInput }>('/admin/routing', { schema: { body: routingBody } }, async (request) => {
    const file = requireConfigFile(options);
    try {
      guarded(() =>
        file.rewrite(
          (text, before) => {
            const edits = planRoutingEdit(before!, cacheSettingsOf(before!.resolved, before!.env), request.body ?? {});
            if (edits.length === 0) throw UNCHANGED;
            return { text: editYaml(text, edits) };
          },
          reload,
          { describe: `routing settings changed (${Object.keys(request.body ?? {}).join(', ')})` },
        ),
      );
    } catch (error) {
      if (error instanceof RoutingInputError) throw new GatewayError(400, error.message, { param: error.param, code: 'invalid_routing' });
      if (error !== UNCHANGED) throw error;
    }
    return routingAnswer(runtime);
  });
}

function routingAnswer(runtime: Runtime): RoutingAnswer {
  const config = runtime.state.config;
  return { ...routingView(config, runtime.cache.currentSettings), model_groups: modelGroupsOf(config) };
}
