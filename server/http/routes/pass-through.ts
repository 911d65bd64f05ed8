/**
 * Pass-through routes: LLProxy's `routes` and LiteLLM's `general_settings.pass_through_endpoints`. A request
 * under a route's path prefix goes to its target unchanged (path after the prefix appended, method, headers,
 * body; the answer relayed chunk by chunk). When the JSON body names a `model`, the call waits in that
 * model's rpm/tpm queue (the router's admission queue) and is metered: a spend row priced under the route's
 * provider, with the usage read from the answer (JSON or SSE).
 *
 * Runs as an onRequest hook after the Host/Origin checks, because the routes come from the config and change
 * with it on a hot reload, and because the body must not be parsed (it may not be JSON at all).
 */
import { randomUUID } from 'node:crypto';
import { PassThrough } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Caller } from '../../keys/caller.ts';
import { readPassThroughEndpoints, type PassThroughRoute } from '../../config/llproxy-endpoints.ts';
import type { GeneralSettings } from '../../core/config-types.ts';
import type { Usage } from '../../core/call.ts';
import { GatewayError } from '../../core/errors.ts';
import { MeteredCall } from '../../metering/metered-call.ts';
import { logRequest } from '../../observe/request-log.ts';
import { CallLifetime } from '../../proxy/call-lifetime.ts';
import { ABORT_CLIENT_GONE, ClientGoneError, classifyUpstreamFailure } from '../../proxy/upstream.ts';
import { NO_LIMIT_PERMIT, type Permit } from '../../router/deployment-limits.ts';
import { nanosToUsd } from '../../spend/cost.ts';
import { countPromptTokens } from '../../spend/tokenizer.ts';
import { callerOf } from '../auth.ts';
import type { Runtime } from '../runtime.ts';
import { clientHeaders, matchRoute, sendUpstream, upstreamHeaders } from './pass-through-forward.ts';
import { checkKeyModels, deploymentFor, endpointOf, escapesTarget, parseObject, readBody } from './pass-through-request.ts';
import { UsageReader } from './pass-through-usage.ts';

const routesBySettings = new WeakMap<GeneralSettings, PassThroughRoute[]>();

/** The routes of this config (read once per config object: a reload brings a new one). */
function routesOf(settings: GeneralSettings): PassThroughRoute[] {
  let routes = routesBySettings.get(settings);
  if (!routes) {
    routes = readPassThroughEndpoints(settings.pass_through_endpoints).routes;
    routesBySettings.set(settings, routes);
  }
  return routes;
}

export function registerPassThroughRoutes(app: FastifyInstance, runtime: Runtime, bodyLimitBytes: number): void {
  app.addHook('onRequest', async (request, reply) => {
    const routes = routesOf(runtime.state.config.general_settings);
    if (routes.length === 0) return;
    const matched = matchRoute(routes, request.url);
    if (!matched) return;
    if (escapesTarget(matched.route.target, matched.target)) {
      throw new GatewayError(400, `The path leaves ${matched.route.path}'s target (a \`..\` segment); call a path under it.`, { code: 'invalid_path' });
    }
    await forward(runtime, matched.route, matched.target, request, reply, bodyLimitBytes);
    return reply;
  });
}

async function forward(
  runtime: Runtime,
  route: PassThroughRoute,
  url: string,
  request: FastifyRequest,
  reply: FastifyReply,
  bodyLimitBytes: number,
): Promise<void> {
  // With a master key, a gateway key is needed (LiteLLM's auth: true) unless the route says auth: false.
  const caller: Caller = route.auth ? callerOf(runtime, request.headers) : { kind: 'open' };
  // The client's own credentials go upstream only when they are not a gateway key.
  const keepClientCredentials = caller.kind === 'open' && !runtime.state.masterKey;

  const lifetime = new CallLifetime();
  const onClose = () => {
    if (!reply.raw.writableFinished) lifetime.abort(ABORT_CLIENT_GONE);
  };
  reply.raw.on('close', onClose);

  const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
  const isJson = hasBody && /\bjson\b/i.test(String(request.headers['content-type'] ?? ''));
  const body = isJson ? await readBody(request.raw, bodyLimitBytes) : undefined;
  const json = body ? parseObject(body) : undefined;
  const model = typeof json?.model === 'string' ? json.model : undefined;
  checkKeyModels(caller, model);

  let permit: Permit = NO_LIMIT_PERMIT;
  let metered: MeteredCall | undefined;
  const requestId = randomUUID();
  const started = performance.now();
  const endpoint = endpointOf(url);
  const deployment = json && model ? deploymentFor(route, model) : undefined;
  /** The call is over (once): queue permit settled, spend row written, the debug log line. */
  let over = false;
  const finish = (status: number, usage?: Usage, error?: Error, ttftMs?: number) => {
    if (over) return;
    over = true;
    permit.settle(usage?.total_tokens ?? (status >= 400 ? 0 : undefined));
    metered?.finish({
      httpStatus: status,
      usage,
      ...(ttftMs !== undefined ? { ttftMs } : {}),
      ...(error || status >= 400 ? { error: errorOf(error, status) } : {}),
    });
    if (metered) {
      // Label values are capped by the metrics themselves, so a client's free-text model cannot blow them up.
      runtime.metrics.requestFinished({
        modelGroup: model,
        deployment: deployment?.id,
        status,
        durationS: (performance.now() - started) / 1000,
        spendUsd: nanosToUsd(metered.costNanos),
        promptTokens: usage?.prompt_tokens,
        completionTokens: usage?.completion_tokens,
      });
    }
    logRequest(runtime.logger, {
      requestId,
      path: request.url,
      model,
      deployment,
      upstream: undefined,
      usage,
      status,
      started,
      stream: json?.stream === true,
      error,
    });
  };

  if (json && deployment) {
    metered = new MeteredCall(
      { services: runtime.services, prices: runtime.state.prices, logger: runtime.logger },
      caller,
      requestId,
      endpoint,
      json,
      json.stream === true,
    );
    metered.admit(deployment, deployment.modelName);
    try {
      permit = await runtime.limits.acquire(deployment, () => countPromptTokens(endpoint, json), lifetime, runtime.state.routing.queue);
    } catch (err) {
      finish(statusOf(err), undefined, err as Error);
      throw err;
    }
  }

  let answer: Awaited<ReturnType<typeof sendUpstream>>;
  try {
    const headers = upstreamHeaders(request.headers, route, keepClientCredentials, body?.length);
    answer = await sendUpstream(url, request.method, headers, body ?? (hasBody ? request.raw : undefined), lifetime.signal);
  } catch (err) {
    const failure = classifyUpstreamFailure(err, lifetime.signal, url, 0);
    finish(statusOf(failure), undefined, failure);
    if (failure instanceof ClientGoneError) {
      reply.hijack();
      reply.raw.destroy();
      return;
    }
    throw failure;
  }

  const reader = new UsageReader(headerValue(answer.headers['content-type']));
  let ttftMs: number | undefined;
  const relay = new PassThrough({
    transform(chunk: Buffer, _encoding, done) {
      ttftMs ??= Math.round(performance.now() - started);
      if (metered) reader.push(chunk);
      done(null, chunk);
    },
    flush(done) {
      // The spend row is durable before the client sees the end of the answer.
      finish(answer.status, metered ? reader.finish() : undefined, undefined, reader.streaming ? ttftMs : undefined);
      done();
    },
  });
  answer.body.on('error', (err) => relay.destroy(err));
  relay.on('error', (err) => finish(502, metered ? reader.finish() : undefined, err));
  answer.body.pipe(relay);
  reply.raw.off('close', onClose);
  reply.raw.on('close', () => {
    if (reply.raw.writableFinished) return;
    // The client left mid-answer: stop the upstream, and count what was read so far.
    answer.body.destroy();
    finish(499, metered ? reader.finish() : undefined, new ClientGoneError());
  });
  await reply.code(answer.status).headers(clientHeaders(answer.headers)).send(relay);
}

function statusOf(err: unknown): number {
  return err instanceof GatewayError ? err.status : 499;
}

function errorOf(err: Error | undefined, status: number): { type: string; code: string | null } {
  if (err instanceof GatewayError) return { type: err.type, code: err.code };
  if (err instanceof ClientGoneError) return { type: 'client_gone', code: 'client_gone' };
  if (err) return { type: 'upstream_error', code: 'upstream_stream_broken' };
  return { type: 'upstream_error', code: `upstream_${status}` };
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
