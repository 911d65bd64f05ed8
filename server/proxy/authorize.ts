/**
 * A provider's authorizeRequest (AWS SigV4, a Google OAuth token) applied to a built request just before it is
 * sent. A failure that is not already a GatewayError (a token endpoint that cannot be reached, a key file that
 * does not parse) is the upstream's fault as far as the client can tell: 502 upstream_auth_failed, which the
 * router retries and falls back from.
 */
import { GatewayError } from '../core/errors.ts';
import type { Deployment, ProviderAdapter, UpstreamRequest } from '../providers/types.ts';

/** `provider` undefined (none registered) or without the hook: the request as built. */
export async function authorizeUpstream(provider: ProviderAdapter | undefined, req: UpstreamRequest, deployment: Deployment): Promise<UpstreamRequest> {
  if (!provider?.authorizeRequest) return req;
  try {
    return await provider.authorizeRequest(req, deployment);
  } catch (err) {
    if (err instanceof GatewayError) throw err;
    throw new GatewayError(502, `Could not authorize the request to ${provider.id}: ${(err as Error).message}`, { code: 'upstream_auth_failed' });
  }
}
