/**
 * Secrets sent to the model admin API never reach config.yaml. A literal value (`"api_key": "sk-…"`, as LiteLLM
 * scripts and UIs send it) is kept in the SecretStore as `model-<id>-<param>` and the entry gets
 * `keychain/model-<id>-<param>`; when the entry goes, the secrets generated for it go too.
 */
import type { Logger } from '../observe/logger.ts';
import { redactSecrets } from '../observe/mask.ts';
import type { SecretStore } from '../secrets/secret-store.ts';
import { ModelEditError } from './model-edit-error.ts';
import type { ReferenceResolvers } from './resolve.ts';
import { isReference, literalSecrets } from './secret-params.ts';
import type { GatewayConfig, ModelEntry } from '../core/config-types.ts';

const KEYCHAIN = 'keychain/';

export interface SecretContext {
  store: SecretStore | undefined;
  resolvers: ReferenceResolvers | undefined;
  logger: Logger | undefined;
}

/** Secret names generated for an entry: `model-<id>-`, valid in every SecretStore. */
const secretPrefix = (id: string) => `model-${id.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 80)}-`;

/**
 * `params` with every literal secret replaced by a `keychain/` reference to where it is now stored; `undo` puts
 * the store back as it was (for an edit that fails later). Without a store, a literal secret is refused.
 */
export function keepSecretsOut(context: SecretContext, id: string, params: Record<string, unknown>): { params: Record<string, unknown>; undo: () => void } {
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
    for (const { path, value } of literals) {
      const name = `${secretPrefix(id)}${path.join('-').replace(/[^A-Za-z0-9._-]/g, '_')}`.slice(0, 128);
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
  const prefix = `${KEYCHAIN}${secretPrefix(id)}`;
  const stillUsed = JSON.stringify(config);
  for (const value of referencesIn(old.litellm_params, context.resolvers)) {
    if (!value.startsWith(prefix) || stillUsed.includes(JSON.stringify(value))) continue;
    try {
      store.delete(value.slice(KEYCHAIN.length));
    } catch (error) {
      logger?.warn(`Could not delete the unused secret ${value}: ${(error as Error).message}`);
    }
  }
}

function referencesIn(value: unknown, resolvers: ReferenceResolvers | undefined): string[] {
  if (typeof value === 'string') return isReference(value, resolvers) ? [value] : [];
  if (Array.isArray(value)) return value.flatMap((item) => referencesIn(item, resolvers));
  if (value && typeof value === 'object') return Object.values(value).flatMap((item) => referencesIn(item, resolvers));
  return [];
}
