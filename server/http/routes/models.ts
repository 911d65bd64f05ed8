/** GET /v1/models and /v1/models/{id}: the model names clients may ask for. */
import type { FastifyInstance } from 'fastify';
import { modelNotFound } from '../errors.ts';
import type { Runtime } from '../runtime.ts';
import { requireMasterKey } from '../security.ts';

export function registerModelRoutes(app: FastifyInstance, runtime: Runtime): void {
  const entry = (id: string) => ({ id, object: 'model', created: runtime.startedAt, owned_by: 'llm-gateway' });
  for (const prefix of ['/v1', '']) {
    app.get(`${prefix}/models`, async (request) => {
      requireMasterKey(request.headers, runtime.state.masterKey);
      return { object: 'list', data: runtime.state.router.modelNames().map(entry) };
    });
    app.get<{ Params: { '*': string } }>(`${prefix}/models/*`, async (request) => {
      requireMasterKey(request.headers, runtime.state.masterKey);
      // Model names contain slashes (openai/gpt-4o), so the id is the rest of the path.
      const id = decodeURIComponent(request.params['*']);
      const names = runtime.state.router.modelNames();
      if (!names.includes(id)) throw modelNotFound(id, names);
      return entry(id);
    });
  }
}
