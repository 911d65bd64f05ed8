/**
 * The providers the gateway speaks: the list of descriptors, in the order the dashboard offers them (the common
 * ones first, then the rest of the OpenAI-compatible family alphabetically). Adding a provider is one line here.
 */
import type { ProviderDescriptor, ProviderEndpoint } from './descriptor.ts';
import { ai21Provider } from './ai21/index.ts';
import { anthropicProvider } from './anthropic/index.ts';
import { azureProvider } from './azure/index.ts';
import { bedrockProvider } from './bedrock/index.ts';
import { huggingfaceProvider } from './huggingface/index.ts';
import { replicateProvider } from './replicate/index.ts';
import { cohereProvider } from './cohere/index.ts';
import { geminiProvider } from './gemini/index.ts';
import { mockProvider } from './mock/index.ts';
import { OPENAI_COMPATIBLE_HOSTS, hostedVllmProvider, ollamaProvider, openaiProvider } from './openai/family.ts';
import { sagemakerChatProvider, sagemakerProvider } from './sagemaker/index.ts';
import { vertexProvider } from './vertex_ai/index.ts';

export const PROVIDERS: readonly ProviderDescriptor[] = [
  openaiProvider,
  azureProvider,
  anthropicProvider,
  ollamaProvider,
  hostedVllmProvider,
  mockProvider,
  huggingfaceProvider,
  replicateProvider,
  cohereProvider,
  ai21Provider,
  geminiProvider,
  vertexProvider,
  bedrockProvider,
  sagemakerProvider,
  sagemakerChatProvider,
  ...OPENAI_COMPATIBLE_HOSTS,
];

const byPrefix = new Map<string, ProviderDescriptor>(PROVIDERS.flatMap((p) => p.prefixes.map((prefix) => [prefix, p] as const)));
const byPriceName = new Map<string, ProviderDescriptor>(PROVIDERS.flatMap((p) => p.litellmProviders.map((name) => [name, p] as const)));

/** The descriptor serving a `provider/` prefix (or a registry id: every id is also a prefix). */
export function getProvider(prefix: string): ProviderDescriptor | undefined {
  return byPrefix.get(prefix);
}

/** Every prefix a litellm_params.model may start with, sorted (for error messages). */
export function supportedProviders(): string[] {
  return [...byPrefix.keys()].sort();
}

/** The descriptor whose models the price table lists under this `litellm_provider`. */
export function providerOfPriceName(litellmProvider: string): ProviderDescriptor | undefined {
  return byPriceName.get(litellmProvider);
}

/**
 * Name patterns for bare model names the price table does not list — the names LiteLLM's 2023 docs used
 * (`claude-2`, `command-nightly`, `j2-light`, `chat-bison`) — each with the provider prefix it implies. `*-bison`
 * (and `*-gecko`) are PaLM names: `palm/` is served by Gemini, which warns that PaLM is retired.
 */
const BARE_NAME_PREFIXES: readonly (readonly [RegExp, string])[] = [
  [/^claude-/, 'anthropic'],
  [/^command($|-)/, 'cohere'],
  [/^(j2-|jamba)/, 'ai21'],
  [/-(bison|gecko)($|-|@)/, 'palm'],
];

/** The provider prefix a bare model name implies by its shape (see BARE_NAME_PREFIXES), if any. */
export function prefixOfBareName(model: string): string | undefined {
  return BARE_NAME_PREFIXES.find(([pattern]) => pattern.test(model))?.[1];
}

/** Whether the deployment's provider takes this gateway endpoint natively (e.g. Anthropic's Messages API as is). */
export function servesNatively(providerId: string, endpoint: ProviderEndpoint): boolean {
  return getProvider(providerId)?.serves.includes(endpoint) ?? false;
}

/** Whether the provider answers inside the gateway (the mock): it has no upstream URL worth showing or logging. */
export function answersInProcess(providerId: string): boolean {
  const local = getProvider(providerId)?.local;
  return local !== undefined && local.callsUpstream !== true;
}
