/** POST /v1/chat/completions, /v1/completions, /v1/embeddings (and the same without /v1): the OpenAI surfaces. */
import type { FastifyInstance } from 'fastify';
import { openaiSurface } from '../../pipeline/surfaces/openai.ts';
import type { Endpoint } from '../../providers/types.ts';
import type { Runtime } from '../runtime.ts';
import { servePipeline } from './pipeline-reply.ts';
import { chatBodySchema, completionBodySchema, embeddingBodySchema } from './schemas.ts';

const ROUTES: [Endpoint, string, object][] = [
  ['chat', '/chat/completions', chatBodySchema],
  ['completions', '/completions', completionBodySchema],
  ['embeddings', '/embeddings', embeddingBodySchema],
];

export function registerInferenceRoutes(app: FastifyInstance, runtime: Runtime): void {
  for (const [endpoint, path, schema] of ROUTES) {
    for (const prefix of ['/v1', '']) {
      // Errors render in OpenAI's shape (the app's error handler).
      app.post(prefix + path, { schema: { body: schema } }, (request, reply) =>
        servePipeline(runtime, request, reply, openaiSurface(endpoint, request.body as Record<string, unknown>)),
      );
    }
  }
}
