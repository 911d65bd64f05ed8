/**
 * POST /v1/messages and /v1/messages/count_tokens (and both without /v1): Anthropic's Messages API, so
 * Claude Code and the Anthropic SDKs can use the gateway (`ANTHROPIC_BASE_URL=http://localhost:4000`).
 * The surfaces (pipeline/surfaces/anthropic-*.ts) run through the same pipeline as OpenAI requests; what is
 * this route's own is the schema and the error shape: every error on these paths is Anthropic's, and an
 * Anthropic upstream's own error answer is relayed as it came, with its status.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { GatewayError } from '../../core/errors.ts';
import { anthropicCountTokensSurface } from '../../pipeline/surfaces/anthropic-count-tokens.ts';
import { anthropicMessagesSurface } from '../../pipeline/surfaces/anthropic-messages.ts';
import { renderAnthropicError } from '../../providers/anthropic/inbound/errors.ts';
import { checkMessagesBody, countTokensBodySchema, messagesBodySchema, validationError } from '../../providers/anthropic/inbound/schema.ts';
import { RelayedUpstreamError } from '../../proxy/anthropic-native.ts';
import { toGatewayError } from '../error-handler.ts';
import type { Runtime } from '../runtime.ts';
import { servePipeline } from './pipeline-reply.ts';

type Body = Record<string, unknown>;

export function registerAnthropicMessagesRoutes(app: FastifyInstance, runtime: Runtime): void {
  const bodyLimitBytes = app.initialConfig.bodyLimit ?? 1024 * 1024;
  // Route-level, so validation, JSON-parsing and size failures on these paths are Anthropic-shaped too.
  const errorHandler = (err: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const failure = err as FastifyError;
    const error = failure.validation ? validationError(failure.validation) : toGatewayError(err, bodyLimitBytes);
    if (error.status >= 500 && !(err instanceof GatewayError)) runtime.logger.error({ err, url: request.url }, 'unexpected error');
    const rendered = err instanceof RelayedUpstreamError ? err.relayed : renderAnthropicError(error);
    return reply.code(rendered.status).headers(rendered.headers).type('application/json').send(rendered.body);
  };
  for (const prefix of ['/v1', '']) {
    app.post(`${prefix}/messages`, { schema: { body: messagesBodySchema }, errorHandler }, (request, reply) => {
      checkMessagesBody(request.body as Body);
      return servePipeline(runtime, request, reply, anthropicMessagesSurface(request.body as Body, request.headers));
    });
    app.post(`${prefix}/messages/count_tokens`, { schema: { body: countTokensBodySchema }, errorHandler }, (request, reply) =>
      servePipeline(runtime, request, reply, anthropicCountTokensSurface(request.body as Body, request.headers)),
    );
  }
}
