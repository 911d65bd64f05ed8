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

/** The model group to route to for `requested`, or a 403 (OpenAI's permission error) when the key may not call it. */
export function resolveKeyModel(key: VirtualKey, requested: string): string {
  const group = key.aliases[requested] ?? requested;
  if (keyAllowsModel(key, group) || keyAllowsModel(key, requested)) return group;
  const via = group === requested ? '' : ` (an alias of \`${group}\`)`;
  throw new GatewayError(403, `This key (${key.keyName}) is not allowed to call model \`${requested}\`${via}. It may call: ${key.models.join(', ')}.`, {
    type: 'permission_error',
    param: 'model',
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
