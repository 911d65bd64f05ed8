/**
 * POST /v1/rerank, /rerank, /v2/rerank: LiteLLM's Cohere-compatible rerank surface. The request
 * (`{model, query, documents, top_n, return_documents, max_tokens_per_doc}`) goes to a deployment whose provider
 * ranks natively (its descriptor builds the upstream request: `rerankRequest`); the answer comes back in Cohere's
 * shape `{id, results: [{index, relevance_score, document?}], meta: {billed_units: {search_units}}}`. Billed as
 * 'rerank': search units at the model's per-query price, the query and documents as its prompt tokens.
 */
import { GatewayError, badRequest } from '../../core/errors.ts';
import type { ProviderDescriptor } from '../../providers/descriptor.ts';
import { getProvider } from '../../providers/registry.ts';
import type { Deployment, UpstreamRequest } from '../../providers/types.ts';
import { mapUpstreamError } from '../../providers/openai/errors.ts';
import { requestedModel, withoutGatewayFields } from '../../proxy/call.ts';
import type { CallLifetime } from '../../proxy/call-lifetime.ts';
import { writeFrames } from '../../proxy/sse.ts';
import { classifyUpstreamFailure, startUpstream } from '../../proxy/upstream.ts';
import type { RerankUsage } from '../../spend/cost.ts';
import { countPromptTokens } from '../../spend/tokenizer.ts';
import type { Answer, Surface, SurfaceCall } from '../surface.ts';

type Body = Record<string, unknown>;

/** A descriptor that ranks natively: it builds the upstream request of a rerank call (Cohere's does). */
type RerankingProvider = ProviderDescriptor & Required<Pick<ProviderDescriptor, 'rerankRequest'>>;

export interface RerankCall extends SurfaceCall {
  requestId: string;
  provider: RerankingProvider;
  upstreamRequest: UpstreamRequest;
}

const isRecord = (v: unknown): v is Body => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A document's text, whichever form the client sent it in. */
function documentText(doc: unknown): string {
  return typeof doc === 'string' ? doc : isRecord(doc) && typeof doc.text === 'string' ? doc.text : '';
}

function rerankerOf(deployment: Deployment): RerankingProvider {
  const provider = getProvider(deployment.provider);
  if (!provider?.rerankRequest || !provider.serves.includes('rerank')) {
    throw badRequest(
      `The provider \`${deployment.provider}\` does not offer rerank; route this request to a model that does.`,
      'model',
      'unsupported_endpoint',
    );
  }
  return provider as RerankingProvider;
}

/** The upstream's answer in Cohere's shape, documents added back when asked for (Rerank v2 no longer returns them). */
function rerankAnswer(upstream: Body, body: Body, requestId: string): Body {
  const documents = body.documents as unknown[];
  const results = (Array.isArray(upstream.results) ? upstream.results.filter(isRecord) : []).map((r) => {
    const index = Number(r.index);
    const result: Body = { index, relevance_score: Number(r.relevance_score) };
    if (body.return_documents === true && documents[index] !== undefined) result.document = { text: documentText(documents[index]) };
    return result;
  });
  const meta = isRecord(upstream.meta) ? upstream.meta : {};
  return { id: typeof upstream.id === 'string' ? upstream.id : requestId, results, meta };
}

function searchUnitsOf(upstream: Body): number | undefined {
  const billed = isRecord(upstream.meta) && isRecord(upstream.meta.billed_units) ? upstream.meta.billed_units : undefined;
  return typeof billed?.search_units === 'number' ? billed.search_units : undefined;
}

async function attempt(call: RerankCall, lifetime: CallLifetime, body: Body): Promise<Answer<string>> {
  const { deployment, provider, upstreamRequest: req } = call;
  const clearTimer = lifetime.startTimer(deployment.timeoutMs);
  let text: string;
  try {
    const res = await lifetime.attach(startUpstream(req)).response;
    text = await res.body.text();
    if (res.statusCode >= 400) {
      throw provider.mapError ? provider.mapError(res.statusCode, text, res.headers) : mapUpstreamError(provider.id, res.statusCode, text, res.headers);
    }
  } catch (err) {
    throw classifyUpstreamFailure(err, lifetime.reason, req.url, deployment.timeoutMs);
  } finally {
    clearTimer();
  }
  let upstream: unknown;
  try {
    upstream = JSON.parse(text);
  } catch {
    upstream = undefined;
  }
  if (!isRecord(upstream) || !Array.isArray(upstream.results)) {
    throw new GatewayError(502, `The upstream answered a rerank call with something that is not a rerank result: ${text.slice(0, 200)}`, {
      code: 'upstream_invalid_response',
    });
  }
  const searchUnits = searchUnitsOf(upstream);
  const promptTokens = countPromptTokens('rerank', body);
  const usage: RerankUsage = {
    prompt_tokens: promptTokens,
    completion_tokens: 0,
    total_tokens: promptTokens,
    ...(searchUnits === undefined ? {} : { search_units: searchUnits }),
  };
  call.usage = usage;
  return { kind: 'json', status: 200, body: rerankAnswer(upstream, body, call.requestId), usage };
}

export function rerankSurface(body: Body): Surface<RerankCall, string> {
  return {
    billedAs: 'rerank',
    stream: false,
    model: requestedModel(body),
    prepare: (deployment, modelGroup, requestId) => {
      const provider = rerankerOf(deployment);
      const forwarded = { ...deployment.defaults, ...withoutGatewayFields(body) };
      return { deployment, modelGroup, requestId, provider, upstreamRequest: provider.rerankRequest(deployment, forwarded) };
    },
    attempt: (call, lifetime) => attempt(call, lifetime, body),
    writeStream: writeFrames,
  };
}
