/** The request half of a pass-through call: who may send it, where it may go, what its JSON body says. */
import type { Readable } from 'node:stream';
import type { PassThroughRoute } from '../../config/llproxy-endpoints.ts';
import type { SpendEndpoint } from '../../core/admin-api/spend.ts';
import type { Deployment } from '../../core/call.ts';
import { GatewayError } from '../../core/errors.ts';
import type { Caller } from '../../keys/caller.ts';
import { keyAllowsEveryModel, keyAllowsModel, resolveKeyModel } from '../../keys/model-access.ts';

/**
 * A virtual key limited to some models may call a pass-through route only with a JSON body naming one of them
 * (the body goes upstream unchanged, so the key's aliases do not apply): anything else would reach the whole
 * upstream API with the operator's credentials.
 */
export function checkKeyModels(caller: Caller, model: string | undefined): void {
  if (caller.kind !== 'virtual' || keyAllowsEveryModel(caller.key)) return;
  if (model !== undefined && keyAllowsModel(caller.key, model)) return;
  if (model !== undefined) resolveKeyModel({ ...caller.key, aliases: {} }, model);
  throw new GatewayError(
    403,
    `This key (${caller.key.keyName}) may call only ${caller.key.models.join(', ')}; on a pass-through route it needs a JSON body naming one of them in \`model\`.`,
    { type: 'permission_error', param: 'model', code: 'key_model_access_denied' },
  );
}

/** `..` segments (plain or %2e-encoded) would take the call above the target's path on the upstream. */
export function escapesTarget(base: string, url: string): boolean {
  try {
    const basePath = new URL(base).pathname.replace(/\/$/, '');
    const path = new URL(url).pathname;
    return path !== basePath && !path.startsWith(`${basePath}/`) && basePath !== '';
  } catch {
    return true;
  }
}

/** One synthetic deployment per route and model: the queue's lane and the price lookup key. */
export function deploymentFor(route: PassThroughRoute, model: string): Deployment {
  const limits = route.models[model] ?? {};
  return {
    id: `pass-through${route.path}:${model}`,
    modelName: model,
    provider: route.provider,
    upstreamModel: model,
    apiBase: route.target,
    params: { model: `${route.provider}/${model}`, ...limits },
    timeoutMs: 0,
    streamTimeoutMs: 0,
    dropParams: false,
    defaults: {},
    headers: {},
    modelInfo: {},
  };
}

export function endpointOf(url: string): SpendEndpoint {
  const path = url.split('?')[0] ?? '';
  if (path.endsWith('/chat/completions')) return 'chat';
  if (path.endsWith('/completions')) return 'completions';
  if (path.endsWith('/embeddings')) return 'embeddings';
  if (path.endsWith('/responses')) return 'responses';
  if (path.endsWith('/messages')) return 'messages';
  if (path.endsWith('/rerank')) return 'rerank';
  return 'chat';
}

export function parseObject(body: Buffer): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The request body, refused with 413 past the gateway's body limit (max_request_size_mb). */
export async function readBody(stream: Readable, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      throw new GatewayError(413, `The request body is larger than ${limit} bytes (general_settings.max_request_size_mb).`, { code: 'request_too_large' });
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
