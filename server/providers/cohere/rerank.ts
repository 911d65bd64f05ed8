/**
 * The gateway's rerank call (Cohere's own shape, as LiteLLM's /rerank takes it) → Cohere Rerank v2
 * (POST {api_base}/v2/rerank, https://docs.cohere.com/reference/rerank). v2 takes documents as strings and no
 * longer returns them: `{text}` documents are flattened here, and the surface adds documents back when asked.
 */
import { badRequest } from '../../core/errors.ts';
import type { Deployment, UpstreamRequest } from '../types.ts';
import { cohereHeaders } from './request.ts';
import { cohereUrl, isRecord } from './wire.ts';

/** A document's text: a string, or `{text}` (Cohere v1's and LiteLLM's other form). */
export function documentText(doc: unknown, i: number): string {
  if (typeof doc === 'string') return doc;
  if (isRecord(doc) && typeof doc.text === 'string') return doc.text;
  throw badRequest(`documents[${i}] must be a string or {"text": …}.`, 'documents');
}

export function cohereRerankRequest(deployment: Deployment, body: Record<string, unknown>): UpstreamRequest {
  const payload: Record<string, unknown> = {
    model: deployment.upstreamModel,
    query: body.query,
    documents: (body.documents as unknown[]).map(documentText),
  };
  for (const name of ['top_n', 'max_tokens_per_doc', 'rank_fields'] as const) if (body[name] !== undefined && body[name] !== null) payload[name] = body[name];
  return { url: cohereUrl(deployment.apiBase, '/v2/rerank'), method: 'POST', headers: cohereHeaders(deployment), body: JSON.stringify(payload) };
}
