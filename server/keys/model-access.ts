/**
 * Which models a virtual key may call. Its `aliases` map the requested name to a model group first
 * (LiteLLM's upgrade/downgrade: `{"gpt-3.5-turbo": "my-free-tier"}` with `models: ["my-free-tier"]`),
 * then its `models` must allow the group (or the name as asked). An empty list allows every model, as do
 * LiteLLM's "all-proxy-models" and "*"; an entry with `*` ("openai/*") allows the names it matches.
 */
import { GatewayError } from '../core/errors.ts';
import type { VirtualKey } from './virtual-key.ts';

const EVERY_MODEL = new Set(['*', 'all-proxy-models']);

function matches(pattern: string, name: string): boolean {
  if (EVERY_MODEL.has(pattern) || pattern === name) return true;
  if (!pattern.includes('*')) return false;
  const regex = new RegExp(
    `^${pattern
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return regex.test(name);
}

export function keyAllowsModel(key: VirtualKey, name: string): boolean {
  return key.models.length === 0 || key.models.some((pattern) => matches(pattern, name));
}

/** True when the key's `models` allow every name (nothing to check per model group). */
export function keyAllowsEveryModel(key: VirtualKey): boolean {
  return key.models.length === 0 || key.models.some((pattern) => EVERY_MODEL.has(pattern));
}

/**
 * The model group to route to for `requested`, or a 403 (OpenAI's permission error) when the key may not call it.
 * `param` is the body field that named it: `model`, or a fallback chain (`fallbacks`, `context_window_fallbacks`, …).
 */
export function resolveKeyModel(key: VirtualKey, requested: string, param = 'model'): string {
  const group = key.aliases[requested] ?? requested;
  if (keyAllowsModel(key, group) || keyAllowsModel(key, requested)) return group;
  const via = group === requested ? '' : ` (an alias of \`${group}\`)`;
  const named = param === 'model' ? '' : ` named in \`${param}\``;
  throw new GatewayError(403, `This key (${key.keyName}) is not allowed to call model \`${requested}\`${via}${named}. It may call: ${key.models.join(', ')}.`, {
    type: 'permission_error',
    param,
    code: 'key_model_access_denied',
  });
}

/** The names a key may ask for, for /v1/models: the allowed groups plus its aliases that lead to one. */
export function modelNamesForKey(key: VirtualKey, groups: readonly string[]): string[] {
  const allowed = groups.filter((group) => keyAllowsModel(key, group));
  const aliases = Object.entries(key.aliases)
    .filter(([, group]) => groups.includes(group) && keyAllowsModel(key, group))
    .map(([name]) => name);
  return [...new Set([...allowed, ...aliases])];
}
