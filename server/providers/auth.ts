/**
 * The credential headers of the auth kinds the descriptors use today. SigV4 and service-account tokens sign or
 * mint per request, so a provider using them builds its request itself; they never reach this function.
 */
import type { Deployment } from './types.ts';
import type { ProviderAuth } from './descriptor.ts';

export type HeaderAuth = Extract<ProviderAuth, { kind: 'none' | 'bearer' | 'header' }>;

export function authHeaders(auth: HeaderAuth, d: Deployment): Record<string, string> {
  switch (auth.kind) {
    case 'none':
      return {};
    case 'bearer':
      return d.apiKey ? { authorization: `Bearer ${d.apiKey}` } : {};
    case 'header': {
      if (d.apiKey) return { [auth.header]: d.apiKey };
      const token = auth.bearerTokenParam === undefined ? undefined : d.params[auth.bearerTokenParam];
      return typeof token === 'string' && token ? { authorization: `Bearer ${token}` } : {};
    }
  }
}
