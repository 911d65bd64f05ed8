/** GET /v1/models and /v1/models/{id}: the model names clients may ask for. */
import type { FastifyInstance } from 'fastify';
import { modelNotFound } from '../../core/errors.ts';
import type { Runtime } from '../runtime.ts';
import { callerOf } from '../auth.ts';
import { modelNamesForKey } from '../../keys/model-access.ts';
import type { FastifyRequest } from 'fastify';

/** The model names this caller may use: a virtual key sees only its own. */
function visibleModels(runtime: Runtime, request: FastifyRequest): string[] {
  const caller = callerOf(runtime, request.headers);
  const names = runtime.state.router.modelNames();
  return caller.kind === 'virtual' ? modelNamesForKey(caller.key, names) : names;
}

export function registerModelRoutes(app: FastifyInstance, runtime: Runtime): void {
  const entry = (id: string) => ({ id, object: 'model', created: runtime.startedAt, owned_by: 'llm-gateway' });
  for (const prefix of ['/v1', '']) {
    app.get(`${prefix}/models`, async (request) => {
      return { object: 'list', data: visibleModels(runtime, request).map(entry) };
    });
    app.get<{ Params: { '*': string } }>(`${prefix}/models/*`, async (request) => {
      // Model names contain slashes (openai/gpt-4o), so the id is the rest of the path.
      const id = decodeURIComponent(request.params['*']);
      const names = visibleModels(runtime, request);
      if (!names.includes(id)) throw modelNotFound(id, names);
      return entry(id);
    });
  }
}
