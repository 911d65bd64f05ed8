/**
 * Pure helpers over the providers the gateway lists (GET /admin/providers, from its provider descriptors): which
 * provider a deployment's litellm_params name, and which one the Add model form starts with. The list is always
 * an argument: the dashboard keeps no copy of its own.
 */
import type { ProviderInfo } from '../../api/providers.ts';

export type { ProviderInfo } from '../../api/providers.ts';

/** The provider the Add model form starts with, when the gateway offers it (else its first). */
export const DEFAULT_PROVIDER = 'openai';

export function defaultProviderId(providers: readonly ProviderInfo[]): string {
  return providers.some((p) => p.id === DEFAULT_PROVIDER) ? DEFAULT_PROVIDER : (providers[0]?.id ?? DEFAULT_PROVIDER);
}

/** The provider with this id, else the first one listed (the form only ever holds listed ids). */
export function providerSpec(providers: readonly ProviderInfo[], id: string): ProviderInfo {
  const found = providers.find((p) => p.id === id) ?? providers[0];
  if (!found) throw new Error('The gateway listed no providers.');
  return found;
}

const byPrefix = (providers: readonly ProviderInfo[], prefix: string) => providers.find((p) => p.prefixes.includes(prefix));

/**
 * The provider (its id) and upstream model of litellm_params as written, or, for a bare name, of what the gateway
 * resolved (the health snapshot's `provider/upstream`). Undefined when neither names a provider in the list.
 */
export function splitModel(
  providers: readonly ProviderInfo[],
  params: Record<string, unknown> & { model: string },
  resolved?: string,
): { provider: string; upstream: string } | undefined {
  const model = params.model;
  const custom = params.custom_llm_provider;
  const customProvider = typeof custom === 'string' ? byPrefix(providers, custom) : undefined;
  if (typeof custom === 'string' && customProvider) {
    return { provider: customProvider.id, upstream: model.startsWith(`${custom}/`) ? model.slice(custom.length + 1) : model };
  }
  for (const name of [model, resolved]) {
    const slash = name?.indexOf('/') ?? -1;
    const provider = name && slash > 0 ? byPrefix(providers, name.slice(0, slash)) : undefined;
    if (name && provider) return { provider: provider.id, upstream: name.slice(slash + 1) };
  }
  return undefined;
}
