/**
 * The one request pipeline every inbound surface goes through:
 *
 *   auth → model access → cache → route (retries, fallbacks, cooldowns, rpm/tpm queue, timeouts)
 *        → attempt (the surface's call to the deployment picked) → meter → log line and metrics
 *
 * It never throws: every outcome, failures included, comes back as a PipelineReply for the route to write
 * (and, for a failure, to render in its surface's error shape). Retries and fallbacks happen before the
 * first byte; once a stream is running, a failure is told in-band.
 */
import type { Caller } from '../keys/caller.ts';
import { MeteredCall } from '../metering/metered-call.ts';
import { knownSecrets } from '../observe/log-lines.ts';
import { errorInfo, statusOf } from '../metering/outcome.ts';
import { RelayedUpstreamError } from '../proxy/anthropic-native.ts';
import { ClientGoneError } from '../proxy/upstream.ts';
import { routeCall } from '../router/route-call.ts';
import { countPromptTokens } from '../spend/tokenizer.ts';
import { requestAccess } from './access-step.ts';
import { lookUp, replyFromCache, type CacheLookup } from './cache-step.ts';
import { RequestRecord } from './request-record.ts';
import { routedReply } from './routed-reply.ts';
import type { Inbound, PipelineReply, PipelineRuntime } from './runtime.ts';
import type { Answer, Surface, SurfaceCall } from './surface.ts';

export async function runPipeline<C extends SurfaceCall, F>(runtime: PipelineRuntime, inbound: Inbound, surface: Surface<C, F>): Promise<PipelineReply> {
  const record = new RequestRecord(runtime, inbound, surface.billedAs !== undefined, surface.stream);
  let authenticated = false;
  try {
    const caller = inbound.authenticate();
    authenticated = true;
    return await serve(runtime, inbound, surface, record, caller);
  } catch (err) {
    return failed(record, err, authenticated);
  }
}

async function serve<C extends SurfaceCall, F>(
  runtime: PipelineRuntime,
  inbound: Inbound,
  surface: Surface<C, F>,
  record: RequestRecord,
  caller: Caller,
): Promise<PipelineReply> {
  // The state this request started with, whatever a reload does meanwhile.
  const { router, routing, prices } = runtime.state;
  const { body } = inbound;
  const billedAs = surface.billedAs;
  const promptBody = surface.promptBody ?? (() => body);
  // Metered from here on: a model the key may not call (403) or that does not exist (404) leaves a failure row.
  const meter =
    billedAs === undefined
      ? undefined
      : new MeteredCall(
          { services: runtime.services, prices, logger: runtime.logger, secrets: () => knownSecrets(runtime.state) },
          caller,
          record.requestId,
          billedAs,
          body,
          surface.stream,
          promptBody,
        );
  record.meter = meter;
  // Every group the request may reach, checked against the key before anything else (the cache included).
  const { modelName, settings } = requestAccess(caller, routing, body, surface.model ?? router.defaultModel());

  let cached: CacheLookup | undefined;
  if (meter && surface.cache && runtime.cache.enabled) {
    cached = await lookUp(runtime.cache, router, surface.cache, body, modelName);
    if (cached?.hit) {
      return replyFromCache(record, meter, { cache: surface.cache, writeStream: surface.writeStream }, cached, cached.hit, (group) =>
        runtime.metrics.cacheHit(group),
      );
    }
  }

  let promptTokens: number | undefined;
  const { call, result, permit } = await routeCall<C, Answer<F>>({
    router,
    settings,
    health: runtime.health,
    requestId: record.requestId,
    modelName,
    lifetime: inbound.lifetime,
    logger: runtime.logger,
    // Only inference calls wait in a deployment's rpm/tpm queue.
    ...(billedAs === undefined ? {} : { limits: runtime.limits, estimateTokens: () => (promptTokens ??= countPromptTokens(billedAs, promptBody())) }),
    prepare: (deployment, modelGroup) => surface.prepare(deployment, modelGroup, record.requestId),
    // Admission against the key happens once; a retry or fallback moves the row to the new deployment.
    beforeAttempt: (next) => {
      record.call = next;
      if (!meter) return;
      if (meter.admitted) meter.servedBy(next.deployment, next.modelGroup);
      else meter.admit(next.deployment, next.modelGroup);
    },
    attempt: (next, lifetime) => surface.attempt(next, lifetime),
  });
  return routedReply(runtime.cache, record, surface, { call, answer: result, permit, plan: cached?.plan, secrets: () => knownSecrets(runtime.state) });
}

function failed(record: RequestRecord, err: unknown, authenticated: boolean): PipelineReply {
  const status = statusOf(err);
  record.usage = record.call?.usage;
  record.meter?.finish({ httpStatus: status, usage: record.usage, error: errorInfo(err) });
  record.finished(status, err instanceof Error ? err : new Error(String(err)));
  if (err instanceof ClientGoneError) return { kind: 'gone' };
  // The id matches the failure to its spend row.
  const headers: Record<string, string> = authenticated ? { 'x-litellm-call-id': record.requestId } : {};
  // An upstream's own error answer, relayed: it names the deployment that gave it.
  if (err instanceof RelayedUpstreamError && record.call) headers['x-litellm-model-id'] = record.call.deployment.id;
  return { kind: 'failed', error: err, headers };
}
