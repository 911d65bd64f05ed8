/** Maps a `provider/` prefix to the adapter that speaks its wire protocol. */
import type { ProviderAdapter } from './types.ts';
import { anthropicProvider } from './anthropic/index.ts';
import { azureProvider } from './azure/index.ts';
import { mockProvider } from './mock/index.ts';
import { OPENAI_FAMILY } from './openai/family.ts';
import { openaiCompatibleProvider } from './openai/index.ts';

const adapters = new Map<string, ProviderAdapter>();
for (const id of Object.keys(OPENAI_FAMILY)) adapters.set(id, openaiCompatibleProvider(id));
for (const adapter of [azureProvider, anthropicProvider, mockProvider]) adapters.set(adapter.id, adapter);

export function getProvider(id: string): ProviderAdapter | undefined {
  return adapters.get(id);
}

export function supportedProviders(): string[] {
  return [...adapters.keys()].sort();
}
