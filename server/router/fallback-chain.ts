/**
 * Where a failed request may go next: the kind of failure (the deployment's, the prompt's, the client's) picks
 * LiteLLM's chain — `context_window_fallbacks`, `content_policy_fallbacks`, else `fallbacks` / `default_fallbacks`.
 */
import type { GatewayError } from '../core/errors.ts';
import type { ModelGroup, ModelRouter } from './model-router.ts';
import type { RouterSettings } from './router-settings.ts';

export type FailureKind = 'context' | 'content_policy' | 'client' | 'deployment';

const CONTENT_POLICY = /content[ _-]?(policy|filter|management)|safety system|flagged/i;

export function failureKind(err: GatewayError): FailureKind {
  if (err.code === 'context_length_exceeded') return 'context';
  if (err.status === 400 && (err.code === 'content_policy_violation' || err.code === 'content_filter' || CONTENT_POLICY.test(err.message)))
    return 'content_policy';
  if (err.status === 400 || err.status === 413 || err.status === 422) return 'client';
  return 'deployment';
}

/** The groups to try after `first` failed this way, in order. */
export function fallbackChain(first: string, kind: FailureKind, settings: RouterSettings): string[] {
  if (kind === 'context') return settings.contextWindowFallbacks.get(first) ?? [];
  if (kind === 'content_policy') return settings.contentPolicyFallbacks.get(first) ?? [];
  if (kind === 'client') return [];
  return settings.fallbacks.get(first) ?? settings.defaultFallbacks.filter((m) => m !== first);
}

/** The group a fallback names, or undefined when it names no configured model (such a fallback is skipped, not fatal). */
export function resolveFallback(router: ModelRouter, name: string): ModelGroup | undefined {
  try {
    return router.resolve(name);
  } catch {
    return undefined;
  }
}

/** Whether any of these fallbacks, not yet tried, names a configured model (asked only once a group is all cooling). */
export function anyFallback(router: ModelRouter, names: readonly string[], tried: ReadonlySet<string>): () => boolean {
  return () => names.some((name) => !tried.has(name) && resolveFallback(router, name) !== undefined);
}
