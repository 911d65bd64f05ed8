/**
 * The OpenAI Responses API (and the same paths without /v1): POST /v1/responses through the pipeline
 * (pipeline/surfaces/openai-responses.ts), and the stored responses — GET and DELETE /v1/responses/{id},
 * GET /v1/responses/{id}/input_items — read from the gateway's store. Errors are OpenAI's (the app's error handler).
 * A virtual key reaches only the responses it created; another's is "not found", as an unknown id is.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { GatewayError } from '../../core/errors.ts';
import type { Caller } from '../../keys/caller.ts';
import { openaiResponsesSurface, type ResponsesSession } from '../../pipeline/surfaces/openai-responses.ts';
import type { ResponseReader, ResponseStore } from '../../responses/response-store.ts';
import { callerOf } from '../auth.ts';
import type { Runtime } from '../runtime.ts';
import { servePipeline } from './pipeline-reply.ts';
import { responsesBodySchema, responsesValidationError } from '../../providers/openai/responses/schema.ts';

type Params = { id: string };

function readerOf(caller: Caller): ResponseReader {
  return caller.kind === 'virtual' ? { kind: 'key', keyId: caller.key.id } : { kind: 'all' };
}

/** The caller as the store sees it. A caller the gateway refuses is refused by the pipeline before any attempt. */
function sessionOf(runtime: Runtime, request: FastifyRequest, store: ResponseStore): ResponsesSession {
  let caller: Caller | undefined;
  try {
    caller = callerOf(runtime, request.headers);
  } catch {
    caller = undefined;
  }
  if (!caller) return { store, reader: { kind: 'key', keyId: '' }, keyId: null };
  return { store, reader: readerOf(caller), keyId: caller.kind === 'virtual' ? caller.key.id : null };
}

export function responseNotFound(id: string): GatewayError {
  return new GatewayError(404, `Response with id '${id}' not found.`, { type: 'invalid_request_error', param: 'response_id' });
}

type ItemsQuery = { limit: number; order: 'asc' | 'desc'; after?: string };

/** input_items' query: limit 1–100 (default 20), order asc | desc (default desc), after an item id. */
function itemsQueryOf(query: Record<string, unknown>): ItemsQuery {
  const limitText = query.limit ?? '20';
  const limit = typeof limitText === 'string' && /^\d+$/.test(limitText) ? Number(limitText) : Number.NaN;
  if (!(limit >= 1 && limit <= 100)) throw new GatewayError(400, 'Invalid `limit`: expected an integer from 1 to 100.', { param: 'limit' });
  const order = query.order ?? 'desc';
  if (order !== 'asc' && order !== 'desc') throw new GatewayError(400, 'Invalid `order`: expected asc or desc.', { param: 'order' });
  return { limit, order, ...(typeof query.after === 'string' && query.after !== '' ? { after: query.after } : {}) };
}

export function registerResponsesRoutes(app: FastifyInstance, runtime: Runtime): void {
  // The services (and their database) are opened once per gateway; a reload keeps them.
  const store = runtime.services.responses;
  const reader = (request: FastifyRequest) => readerOf(callerOf(runtime, request.headers));
  for (const prefix of ['/v1', '']) {
    // A body the schema refuses is told in OpenAI's words (`Missing required parameter: 'model'.`).
    const schemaErrorFormatter = (errors: Parameters<typeof responsesValidationError>[0]) => responsesValidationError(errors);
    app.post(`${prefix}/responses`, { schema: { body: responsesBodySchema }, schemaErrorFormatter }, (request, reply) =>
      servePipeline(runtime, request, reply, openaiResponsesSurface(request.body as Record<string, unknown>, sessionOf(runtime, request, store))),
    );
    app.get<{ Params: Params }>(`${prefix}/responses/:id`, async (request) => {
      const stored = store.get(request.params.id, reader(request));
      if (!stored) throw responseNotFound(request.params.id);
      return stored.response;
    });
    app.delete<{ Params: Params }>(`${prefix}/responses/:id`, async (request) => {
      if (!store.delete(request.params.id, reader(request))) throw responseNotFound(request.params.id);
      return { id: request.params.id, object: 'response', deleted: true };
    });
    app.get<{ Params: Params }>(`${prefix}/responses/:id/input_items`, async (request) => {
      const page = store.inputItems(request.params.id, reader(request), itemsQueryOf(request.query as Record<string, unknown>));
      if (!page) throw responseNotFound(request.params.id);
      return { object: 'list', data: page.data, first_id: page.firstId ?? '', last_id: page.lastId ?? '', has_more: page.hasMore };
    });
  }
}
