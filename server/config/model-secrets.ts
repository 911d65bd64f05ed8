/**
 * Secrets sent to the model admin API never reach config.yaml. A literal value (`"api_key": "sk-…"`, as LiteLLM
 * scripts and UIs send it) is kept in the SecretStore under a short name from the model and the parameter
 * (`openai-gpt-4o-key`, deduplicated: secret-names.ts) and the entry gets `keychain/openai-gpt-4o-key`; when the
 * entry goes, the secrets generated for it go too (older `model-<id>-<param>` names included), unless something
 * else in the config still refers to them.
 */
import type { Logger } from '../observe/logger.ts';
import { redactSecrets } from '../observe/mask.ts';
import type { SecretStore } from '../secrets/secret-store.ts';
import { ModelEditError } from './model-edit-error.ts';
import type { ReferenceResolvers } from './resolve.ts';
import { isReference, literalSecrets } from './secret-params.ts';
import { baseSecretName, firstFreeName, isGeneratedName, type NameSource } from './secret-names.ts';
import type { GatewayConfig, ModelEntry } from '../core/config-types.ts';

const KEYCHAIN = 'keychain/';

export interface SecretContext {
  store: SecretStore | undefined;
  resolvers: ReferenceResolvers | undefined;
  logger: Logger | undefined;
}

/** How to name an entry's secrets, and which names are already someone's. */
export interface SecretNaming extends NameSource {
  /**
   * The entry's litellm_params before this edit: a secret generated for it at the same place (and used by
   * nothing else) takes the new value under the same name.
   */
  current?: Record<string, unknown> | undefined;
  /** keychain names the rest of the config refers to: never overwritten, and taken by no new secret. */
  usedElsewhere?: ReadonlySet<string>;
}

/**
 * `params` with every literal secret replaced by a `keychain/` reference to where it is now stored; `undo` puts
 * the store back as it was (for an edit that fails later). Without a store, a literal secret is refused.
 */
export function keepSecretsOut(
  context: SecretContext,
  id: string,
  params: Record<string, unknown>,
  naming: SecretNaming = {},
): { params: Record<string, unknown>; undo: () => void } {
  const literals = literalSecrets(params, context.resolvers);
  if (literals.length === 0) return { params, undo: () => undefined };
  const { store, logger } = context;
  if (!store) {
    throw new ModelEditError(
      'invalid',
      `litellm_params.${literals[0]?.path.join('.') ?? 'api_key'} is a secret value, and config.yaml keeps only references to secrets. ` +
        'Store it with PUT /admin/secrets/{name} ({"value": "…"}) and send "keychain/{name}" instead (or "os.environ/VAR").',
    );
  }
  const out: Record<string, unknown> = { ...params };
  const previous = new Map<string, string | undefined>();
  const undo = () => {
    for (const [name, value] of previous) {
      try {
        if (value === undefined) store.delete(name);
        else store.set(name, value);
      } catch (error) {
        logger?.warn(`Could not restore secret ${name}: ${(error as Error).message}`);
      }
    }
  };
  try {
    const usedElsewhere = naming.usedElsewhere ?? new Set<string>();
    const taken = new Set<string>();
    const source: NameSource = { model: params.model ?? naming.model, modelName: naming.modelName };
    for (const { path, value } of literals) {
      const own = referencedName(naming.current, path);
      const name =
        own !== undefined && !taken.has(own) && !usedElsewhere.has(own) && isGeneratedName(own, id, source, path)
          ? own
          : firstFreeName(baseSecretName(source, path), (candidate) => {
              if (taken.has(candidate)) return false;
              const stored = store.get(candidate);
              // The same value already stored under this name is shared, never duplicated.
              return stored === value || (stored === undefined && !usedElsewhere.has(candidate));
            });
      taken.add(name);
      if (!previous.has(name)) previous.set(name, store.get(name));
      store.set(name, value);
      const [key, header] = path;
      out[key] = header === undefined ? `${KEYCHAIN}${name}` : { ...(out[key] as Record<string, unknown>), [header]: `${KEYCHAIN}${name}` };
    }
  } catch (error) {
    undo();
    const detail = redactSecrets(
      (error as Error).message,
      literals.map((literal) => literal.value),
    );
    throw new ModelEditError('unavailable', `The secret store is unavailable, so the key could not be kept out of config.yaml: ${detail}`);
  }
  return { params: out, undo };
}

/** Deletes the secrets generated for `old` that nothing in `config` refers to any more. Never throws. */
export function deleteUnusedSecrets(context: SecretContext, old: ModelEntry, config: GatewayConfig): void {
  const { store, logger } = context;
  const id = old.model_info?.id;
  if (!store || typeof id !== 'string') return;
  const source: NameSource = { model: old.litellm_params?.model, modelName: old.model_name };
  const stillUsed = JSON.stringify(config);
  for (const { path, value } of secretReferencesIn(old.litellm_params ?? {}, context.resolvers)) {
    if (!value.startsWith(KEYCHAIN) || stillUsed.includes(JSON.stringify(value))) continue;
    const name = value.slice(KEYCHAIN.length);
    if (!isGeneratedName(name, id, source, path)) continue;
    try {
      store.delete(name);
    } catch (error) {
      logger?.warn(`Could not delete the unused secret ${value}: ${(error as Error).message}`);
    }
  }
}

/** The `keychain/` name at `path` of `params` (`['api_key']`, `['headers', 'Authorization']`), if one is there. */
function referencedName(params: Record<string, unknown> | undefined, path: readonly string[]): string | undefined {
  const [key, header] = path;
  if (!params || key === undefined) return undefined;
  const value = header === undefined ? params[key] : (params[key] as Record<string, unknown> | undefined)?.[header];
  return typeof value === 'string' && value.startsWith(KEYCHAIN) ? value.slice(KEYCHAIN.length) : undefined;
}

/** References where a secret goes: top-level parameters and header values, with their paths. */
function secretReferencesIn(params: Record<string, unknown>, resolvers: ReferenceResolvers | undefined): { path: string[]; value: string }[] {
  const found: { path: string[]; value: string }[] = [];
  for (const [key, value] of Object.entries(params)) {
    if (typeof value === 'string' && isReference(value, resolvers)) found.push({ path: [key], value });
    else if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [header, inner] of Object.entries(value)) {
        if (typeof inner === 'string' && isReference(inner, resolvers)) found.push({ path: [key, header], value: inner });
      }
    }
  }
  return found;
}
