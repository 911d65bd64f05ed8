/**
 * Azure OpenAI's Responses API, served natively. Azure offers it at the resource's v1 API
 * (`/openai/v1/responses`, no api-version) and, before that, at `/openai/responses?api-version=2025-03-01-preview`
 * and later previews. A deployment configured with such a preview version keeps it; any other version (the GA
 * chat versions, the default) goes to the v1 API. Either way the deployment name is the body's `model`.
 */
import { responsesBody } from '../openai/native-responses.ts';
import type { Deployment, UpstreamRequest } from '../types.ts';

/** The first dated API version with the Responses API. */
const FIRST_RESPONSES_PREVIEW = '2025-03-01-preview';

function responsesUrl(d: Deployment): string {
  const version = d.apiVersion;
  if (version?.endsWith('-preview') && version >= FIRST_RESPONSES_PREVIEW) return `${d.apiBase}/openai/responses?api-version=${encodeURIComponent(version)}`;
  return `${d.apiBase}/openai/v1/responses`;
}

export function azureResponsesRequest(d: Deployment, body: Record<string, unknown>, headers: Record<string, string>): UpstreamRequest {
  return { method: 'POST', url: responsesUrl(d), headers, body: responsesBody(d, body) };
}
