/**
 * Names for the secrets the gateway moves out of a model's litellm_params into the SecretStore: short and
 * readable, from the model and the parameter — `openai/gpt-4o`'s api_key is `openai-gpt-4o-key`, its
 * `headers.Authorization` `openai-gpt-4o-authorization-header` — deduplicated with `-2`, `-3`, … Only letters,
 * digits, `.` and `-`: valid in every SecretStore (secrets/secret-store.ts SECRET_NAME_PATTERN).
 *
 * Older gateways named them `model-<id>-<param>`; those names keep working as written, and still count as the
 * entry's own when the entry goes (model-secrets.ts deletes them with it).
 */

/** Long enough to read, short enough that `-<n>` and the parameter always fit in a secret name (128). */
const MAX_MODEL_PART = 60;

/** What a name is made of: the entry's litellm_params.model (or, without one, its model_name). */
export interface NameSource {
  model?: unknown;
  modelName?: unknown;
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9.]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '');
}

function modelPart(source: NameSource): string {
  for (const candidate of [source.model, source.modelName]) {
    if (typeof candidate !== 'string') continue;
    const part = slug(candidate)
      .slice(0, MAX_MODEL_PART)
      .replace(/[-.]+$/, '');
    if (part) return part;
  }
  return 'model';
}

/** `['api_key']` → `key`; `['aws_secret_access_key']` → `aws-secret-access-key`; `['headers', 'Authorization']` → `authorization-header`. */
function paramPart(path: readonly string[]): string {
  const [key, header] = path;
  if (header !== undefined) return `${slug(header) || 'secret'}-header`;
  if (key === 'api_key') return 'key';
  return slug(key ?? '') || 'secret';
}

/** The undeduplicated name for the secret at `path` of an entry: `openai-gpt-4o-key`. */
export function baseSecretName(source: NameSource, path: readonly string[]): string {
  return `${modelPart(source)}-${paramPart(path)}`;
}

/** `base`, then `base-2`, `base-3`, … : the first that `acceptable` takes. */
export function firstFreeName(base: string, acceptable: (name: string) => boolean): string {
  for (let n = 1; ; n++) {
    const name = n === 1 ? base : `${base}-${n}`;
    if (acceptable(name)) return name;
  }
}

/** The prefix of the names older gateways generated for the entry with this id. */
export function legacySecretPrefix(id: string): string {
  return `model-${id.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 80)}-`;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Whether `name` is one the gateway generates for this entry's secret at `path` (either naming). */
export function isGeneratedName(name: string, id: string | undefined, source: NameSource, path: readonly string[]): boolean {
  if (id !== undefined && name.startsWith(legacySecretPrefix(id))) return true;
  return new RegExp(`^${escapeRegExp(baseSecretName(source, path))}(-\\d+)?$`).test(name);
}

const KEYCHAIN_REFERENCE = /"keychain\/([A-Za-z0-9._-]+)"/g;

/** Every `keychain/NAME` a (parsed) config refers to, by name. */
export function keychainNamesIn(value: unknown): Set<string> {
  const names = new Set<string>();
  for (const match of JSON.stringify(value ?? null).matchAll(KEYCHAIN_REFERENCE)) names.add(match[1]!);
  return names;
}

/** Every `keychain/NAME` written in a config file's text (quoted or not), by name. */
export function keychainNamesInText(text: string): Set<string> {
  return new Set([...text.matchAll(/keychain\/([A-Za-z0-9._-]+)/g)].map((match) => match[1]!));
}
