/**
 * Every failure leaves as OpenAI's error JSON — never HTML, never Fastify's own shape — with the status
 * an OpenAI SDK maps to the right exception.
 *
 * And never with a secret in it: every error body any route sends (this handler's, the Anthropic routes'
 * own, an upstream's error answer relayed as it came) is masked on its way out by one hook, with the secrets
 * the gateway holds right now and provider key shapes (observe/mask-fields.ts). The logger masks its lines
 * with the same secrets (observe/logger.ts).
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { knownSecrets, type SecretHolder } from '../observe/log-lines.ts';
import { maskLogsWith, type Logger } from '../observe/logger.ts';
import { maskJsonText } from '../observe/mask-fields.ts';
import { GatewayError } from '../core/errors.ts';

/** `/messages/0/role` → `messages[0].role`, the way OpenAI names a parameter. */
function paramOf(instancePath: string, missing?: unknown): string | null {
  const parts = instancePath.split('/').filter(Boolean);
  if (typeof missing === 'string') parts.push(missing);
  if (parts.length === 0) return null;
  return parts.reduce((acc, part) => (/^\d+$/.test(part) ? `${acc}[${part}]` : acc ? `${acc}.${part}` : part), '');
}

function validationError(err: FastifyError): GatewayError {
  const first = err.validation?.[0];
  const param = first ? paramOf(first.instancePath, (first.params as { missingProperty?: unknown }).missingProperty) : null;
  const what = param ?? 'the request body';
  const allowed = (first?.params as { allowedValues?: unknown[] } | undefined)?.allowedValues;
  const detail = first?.keyword === 'required' ? 'is required' : allowed ? `must be one of: ${allowed.join(', ')}` : (first?.message ?? 'is invalid');
  return new GatewayError(400, `Invalid request: \`${what}\` ${detail}.`, { param, code: 'invalid_request' });
}

/**
 * V8's JSON.parse messages quote the text around the mistake — which may be a key in the body — so
 * the client is told only where the JSON broke.
 */
export function invalidJson(err: { message?: string }): GatewayError {
  const position = /position (\d+)/.exec(err.message ?? '')?.[1];
  return new GatewayError(400, `The request body is not valid JSON${position ? ` (near character ${position})` : ''}.`, { code: 'invalid_json' });
}

export function toGatewayError(err: unknown, bodyLimitBytes: number): GatewayError {
  if (err instanceof GatewayError) return err;
  const e = err as FastifyError;
  if (e.validation) return validationError(e);
  switch (e.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new GatewayError(
        413,
        `The request body is larger than the gateway's limit of ${Number((bodyLimitBytes / 1048576).toPrecision(3))} MB (general_settings.max_request_size_mb).`,
        { code: 'request_too_large' },
      );
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new GatewayError(400, 'The request body is empty; send a JSON object.', { code: 'invalid_json' });
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return invalidJson(e);
  }
  if (e instanceof SyntaxError) return invalidJson(e);
  if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) return new GatewayError(e.statusCode, e.message);
  return new GatewayError(500, `Internal gateway error: ${e.message ?? String(err)}`, { code: 'internal_error' });
}

export function sendError(reply: FastifyReply, error: GatewayError): FastifyReply {
  return reply.code(error.status).headers(error.headers).type('application/json').send(error.toBody());
}

/**
 * `state` is the gateway's current state (its secrets: the master key, deployments' keys, headers and
 * azure_ad_token); without it, error bodies and log lines are masked by key shapes alone.
 */
export function registerErrorHandling(app: FastifyInstance, logger: Logger, bodyLimitBytes: number, state?: () => SecretHolder): void {
  const secrets = (): readonly string[] => (state ? knownSecrets(state()) : []);
  maskLogsWith(logger, secrets);
  // Streams are written past Fastify (reply.hijack), so this sees whole bodies only: every error answer.
  app.addHook('onSend', async (_request, reply, payload) =>
    reply.statusCode >= 400 && typeof payload === 'string' ? maskJsonText(payload, secrets()) : payload,
  );

  app.setErrorHandler((err: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const error = toGatewayError(err, bodyLimitBytes);
    if (error.status >= 500 && !(err instanceof GatewayError)) logger.error({ err, url: request.url }, 'unexpected error');
    return sendError(reply, error);
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? request.url;
    // findRoute matches the URL against route patterns, so /v1/models/{id} counts too.
    const allowed = (['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const).filter((method) => app.findRoute({ method, url: path }) !== null);
    if (allowed.length > 0) {
      return sendError(
        reply,
        new GatewayError(405, `Method ${request.method} is not allowed on ${path}; use ${allowed.join(' or ')}.`, {
          code: 'method_not_allowed',
          headers: { allow: allowed.join(', ') },
        }),
      );
    }
    return sendError(reply, new GatewayError(404, `Unknown path: ${request.method} ${path}.`, { code: 'unknown_url' }));
  });
}
