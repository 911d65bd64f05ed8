/**
 * POST /v1/rerank, /rerank and LiteLLM's /v2/rerank: the Cohere-compatible rerank surface, routed through the
 * pipeline like every inference call (keys, model access, retries, fallbacks, spend rows). Errors render in
 * OpenAI's shape (the app's error handler), as LiteLLM's do.
 */
import type { FastifyInstance } from 'fastify';
import { rerankSurface } from '../../pipeline/surfaces/rerank.ts';
import type { Runtime } from '../runtime.ts';
import { servePipeline } from './pipeline-reply.ts';

export const RERANK_PATHS = ['/v1/rerank', '/rerank', '/v2/rerank'] as const;

/** Cohere's rerank body, as LiteLLM takes it: documents as strings or `{text}`. */
export const rerankBodySchema = {
  type: 'object',
  required: ['query', 'documents'],
  properties: {
    model: { type: 'string' },
    query: { type: 'string', minLength: 1 },
    documents: {
      type: 'array',
      minItems: 1,
      items: { anyOf: [{ type: 'string' }, { type: 'object', required: ['text'], properties: { text: { type: 'string' } } }] },
    },
    top_n: { type: 'integer', minimum: 1 },
    return_documents: { type: 'boolean' },
    max_tokens_per_doc: { type: 'integer', minimum: 1 },
    rank_fields: { type: 'array', items: { type: 'string' } },
  },
} as const;

export function registerRerankRoutes(app: FastifyInstance, runtime: Runtime): void {
  for (const path of RERANK_PATHS) {
    app.post(path, { schema: { body: rerankBodySchema } }, (request, reply) =>
      servePipeline(runtime, request, reply, rerankSurface(request.body as Record<string, unknown>)),
    );
  }
}
