/**
 * POST /admin/deployments/:id/test (master key): one real call to one deployment (`model_info.id`, as in
 * /admin/deployments/health) — a one-token chat ("ping", `max_tokens: 1`), or an embedding of "ping" for
 * `model_info.mode: embedding` — through the same provider adapter and upstream code as client traffic
 * (proxy/call.ts), with the deployment's own timeout, but past the router: no retries, fallbacks, cache,
 * rpm/tpm queue or cooldown skipping, so the answer is about this deployment alone.
 *
 * 200 with `{ok: true, latency_ms, model, reply}` or `{ok: false, latency_ms, status, error}` (the upstream's
 * status and its error, masked); 404 for an unknown id.
 *
 * Bookkeeping, decided:
 *  - The outcome is recorded as the deployment's last *active check* (what /health and the background checks
 *    record): the dashboard's health state and "last check" reflect it. It is not counted in the passive
 *    stats and never starts a cooldown: those describe client traffic, and an admin probing a broken
 *    deployment must not change how the router treats it.
 *  - It is not a spend row: spend rows are client requests (budgets, /spend/logs, the overview's request
 *    counts and error rate), and a test has no key to charge. Like /health's `max_tokens: 1` probes, it
 *    costs a few tokens upstream; it is logged (info) with its outcome, so it is never invisible.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { DeploymentTestResult } from '../../core/admin-api.ts';
import { healthCheckModel, probeTarget } from '../../health/health-probe.ts';
import { knownSecrets } from '../../observe/log-lines.ts';
import { maskKeysIn } from '../../observe/mask-keys.ts';
import { redactSecrets } from '../../observe/mask.ts';
import type { Deployment } from '../../providers/types.ts';
import { callForJson, prepareCallFor } from '../../proxy/call.ts';
import { CallLifetime } from '../../proxy/call-lifetime.ts';
import { ABORT_CLIENT_GONE } from '../../proxy/upstream.ts';
import { GatewayError } from '../../core/errors.ts';
import type { Runtime } from '../runtime.ts';

/** The admin API's wire shape (core/admin-api.ts). */
export type { DeploymentTestResult };

const PING = 'ping';
const MAX_REPLY_CHARS = 500;

/** The deployment as tested: a wildcard (`openai/*`) needs a concrete model, from `health_check_model`. */
function testTarget(d: Deployment): Deployment {
  if (healthCheckModel(d) === undefined && d.upstreamModel.includes('*')) {
    throw new GatewayError(
      400,
      `Deployment \`${d.id}\` serves the wildcard \`${d.modelName}\`: set model_info.health_check_model to the model a test should call.`,
      {
        param: 'id',
        code: 'wildcard_deployment',
      },
    );
  }
  return probeTarget(d);
}

function replyText(body: Record<string, unknown>, embedding: boolean): string {
  if (embedding) {
    const first = (body.data as { embedding?: unknown }[] | undefined)?.[0]?.embedding;
    return Array.isArray(first) ? `embedding of ${first.length} dimensions` : 'embedding';
  }
  const choice = (body.choices as { message?: { content?: unknown; tool_calls?: unknown }; text?: unknown }[] | undefined)?.[0];
  const content = choice?.message?.content ?? choice?.text;
  return typeof content === 'string' ? content.slice(0, MAX_REPLY_CHARS) : '';
}

/** `upstream_500` (a 5xx the gateway reports as 502) names the upstream's own status. */
function upstreamStatus(err: GatewayError): number {
  const match = /^upstream_(\d{3})$/.exec(err.code ?? '');
  return match ? Number(match[1]) : err.status;
}

export async function testDeployment(runtime: Runtime, d: Deployment, lifetime: CallLifetime): Promise<DeploymentTestResult> {
  const embedding = d.modelInfo.mode === 'embedding';
  const target = testTarget(d);
  const body: Record<string, unknown> = embedding
    ? { model: d.modelName, input: PING }
    : { model: d.modelName, messages: [{ role: 'user', content: PING }], max_tokens: 1 };
  const started = performance.now();
  const latency = () => Math.round((performance.now() - started) * 10) / 10;
  // The deployment's own key and headers, and the master key, among the gateway's secrets.
  const secrets = knownSecrets(runtime.state);
  const mask = (text: string) => maskKeysIn(redactSecrets(text, secrets));
  let result: DeploymentTestResult;
  try {
    const call = prepareCallFor(target, d.modelName, embedding ? 'embeddings' : 'chat', body, randomUUID());
    const answer = await callForJson(call, lifetime);
    const model = typeof answer.body.model === 'string' && answer.body.model ? answer.body.model : target.upstreamModel;
    result = { ok: true, latency_ms: latency(), model, reply: mask(replyText(answer.body, embedding)) };
  } catch (err) {
    const error = err instanceof GatewayError ? err : new GatewayError(500, `Internal gateway error: ${(err as Error).message}`, { code: 'internal_error' });
    result = { ok: false, latency_ms: latency(), status: upstreamStatus(error), error: { message: mask(error.message), type: error.type, code: error.code } };
  }
  // Nobody is waiting for an answer the admin walked away from: it says nothing about the deployment.
  if (lifetime.reason === ABORT_CLIENT_GONE) return result;
  runtime.health.checked(d.id, {
    at: Date.now(),
    healthy: result.ok,
    latencyMs: result.latency_ms,
    ...(result.ok ? {} : { error: result.error.message }),
  });
  runtime.logger.info(
    { deploymentId: d.id, ok: result.ok, latency_ms: result.latency_ms, ...(result.ok ? {} : { status: result.status, error: result.error.message }) },
    `deployment test: ${d.modelName} (${d.provider}/${target.upstreamModel}) ${result.ok ? 'answered' : `failed with ${result.status}`}`,
  );
  return result;
}

export function registerDeploymentTestRoute(app: FastifyInstance, runtime: Runtime): void {
  app.post<{ Params: { id: string } }>('/admin/deployments/:id/test', async (request, reply): Promise<DeploymentTestResult> => {
    const { id } = request.params;
    const deployment = runtime.state.router.deployments.find((d) => d.id === id);
    if (!deployment)
      throw new GatewayError(404, `No deployment has the id \`${id}\` (see GET /admin/deployments/health or /model/info).`, {
        param: 'id',
        code: 'deployment_not_found',
      });
    // The admin closing the page ends the call upstream too.
    return testDeployment(runtime, deployment, CallLifetime.forResponse(reply.raw));
  });
}
