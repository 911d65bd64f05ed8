/**
 * Literal secrets anywhere in config.yaml text — not only model_list's litellm_params (model-secrets.ts) but
 * `general_settings.master_key`, `litellm_settings.cache_params.password`, `environment_variables.OPENAI_API_KEY`,
 * URLs carrying `user:password@` — found by the same parameter list the model secrets code uses
 * (secret-params.ts), and then either masked (`sk-…abcd`, for a diff shown to a person) or moved into the
 * SecretStore, the text getting `keychain/NAME` in their place (for config.yaml, and for an export).
 */
import { isMap, isScalar, isSeq, parseDocument, type Scalar } from 'yaml';
import type { Logger } from '../observe/logger.ts';
import { maskSecret, redactSecrets } from '../observe/mask.ts';
import { KEYCHAIN_PREFIX as KEYCHAIN } from '../secrets/secret-resolvers.ts';
import { isValidSecretName, type SecretStore } from '../secrets/secret-store.ts';
import { MASTER_KEY_SECRET } from './master-key.ts';
import { ModelEditError } from './model-edit-error.ts';
import { keepSecretsOut } from './model-secrets.ts';
import { keychainNamesInText } from './secret-names.ts';
import type { PathSegment } from './path.ts';
import { isPlainObject, type ReferenceResolvers } from './resolve.ts';
import { isReference, literalSecrets } from './secret-params.ts';
import { editYaml, type YamlEdit } from './yaml-edit.ts';

const YAML_OPTIONS = { version: '1.1', merge: true } as const;
const HEADER_KEYS = new Set(['headers', 'extra_headers']);
/** `redis://user:password@host`, `postgres://u:p@db/x`: the password is a secret, so the whole URL is. */
const URL_CREDENTIALS = /^[a-z][a-z0-9+.-]*:\/\/[^\s/@]*:[^\s/@]+@/i;

export interface SecretSpot {
  path: PathSegment[];
  value: string;
  /** Where the value's text is ([start, end), quotes included). */
  range?: [number, number];
}

/** A key whose value is a credential: an api_key-like parameter, a credential header, or master_key. */
export function isSecretName(key: string): boolean {
  return key === 'master_key' || literalSecrets({ [key]: 'x', headers: { [key]: 'x' } }).length > 0;
}

/** Every secret written as a value (not as `os.environ/…` or `keychain/…`) in a YAML text that parses. */
export function findLiteralSecrets(text: string, resolvers: ReferenceResolvers = {}): SecretSpot[] {
  const doc = parseDocument(text, YAML_OPTIONS);
  const out: SecretSpot[] = [];
  walk(doc.contents, [], out, new Set(), resolvers);
  return out;
}

/** A scalar's value as a secret would be: a non-empty string (a number counts, as text). */
function scalarText(node: Scalar): string | undefined {
  if (typeof node.value === 'string') return node.value;
  if (typeof node.value === 'number' && Number.isFinite(node.value)) return String(node.value);
  return undefined;
}

function walk(node: unknown, path: PathSegment[], out: SecretSpot[], seen: Set<Scalar>, resolvers: ReferenceResolvers): void {
  const add = (scalar: Scalar | undefined, at: PathSegment[]) => {
    const value = scalar ? scalarText(scalar) : undefined;
    if (!scalar || value === undefined || value === '' || seen.has(scalar) || isReference(value, resolvers)) return;
    seen.add(scalar);
    out.push({ path: at, value, ...(scalar.range ? { range: [scalar.range[0], scalar.range[1]] as [number, number] } : {}) });
  };
  if (isMap(node)) {
    // The mapping's scalars, shaped as litellm_params so secret-params.ts decides what a secret is.
    const flat: Record<string, unknown> = {};
    const where = new Map<string, Scalar>();
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? pair.key.value : undefined;
      if (typeof key !== 'string') continue;
      if (isScalar(pair.value)) {
        const value = scalarText(pair.value);
        if (value !== undefined) {
          flat[key] = value;
          where.set(key, pair.value);
        }
      } else if (isMap(pair.value) && HEADER_KEYS.has(key)) {
        const headers: Record<string, string> = {};
        for (const header of pair.value.items) {
          const name = isScalar(header.key) ? header.key.value : undefined;
          const value = isScalar(header.value) ? scalarText(header.value) : undefined;
          if (typeof name !== 'string' || value === undefined || !isScalar(header.value)) continue;
          headers[name] = value;
          where.set(`${key}\0${name}`, header.value);
        }
        flat[key] = headers;
      }
    }
    for (const found of literalSecrets(flat, resolvers)) add(where.get(found.path.join('\0')), [...path, ...found.path]);
    if (typeof flat.master_key === 'string') add(where.get('master_key'), [...path, 'master_key']);
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? pair.key.value : undefined;
      if (typeof key === 'string' || typeof key === 'number') walk(pair.value, [...path, key], out, seen, resolvers);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, index) => {
      walk(item, [...path, index], out, seen, resolvers);
    });
  } else if (isScalar(node) && typeof node.value === 'string' && URL_CREDENTIALS.test(node.value)) {
    add(node, path);
  }
}

/**
 * The text with every literal secret masked (`"sk-…abcd"`), for showing to a person (a diff). `alsoRedact`: more
 * values to mask wherever they appear, comments included. Text that is not valid YAML is masked line by line.
 */
export function maskSecretsInText(text: string, alsoRedact: Iterable<string> = []): string {
  const doc = parseDocument(text, YAML_OPTIONS);
  let out = text;
  const values = [...alsoRedact];
  if (doc.errors.length === 0) {
    const spots = findLiteralSecrets(text).filter((spot) => spot.range);
    spots.sort((a, b) => (b.range?.[0] ?? 0) - (a.range?.[0] ?? 0));
    for (const spot of spots) {
      const [start, end] = spot.range!;
      out = out.slice(0, start) + JSON.stringify(maskSecret(spot.value)) + out.slice(end);
      values.push(spot.value);
    }
  } else {
    out = out
      .split('\n')
      .map((line) => maskLine(line, values))
      .join('\n');
  }
  // Longest first, so a secret that contains another is masked whole.
  return redactSecrets(
    out,
    values.sort((a, b) => b.length - a.length),
  );
}

const LINE = /^(\s*(?:-\s+)?(["']?)([^\s:"'#{}[\],]+)\2\s*:[ \t]+)(.*)$/;

/** `  api_key: sk-…` in text that does not parse: the value masked, the comment kept. */
function maskLine(line: string, found: string[]): string {
  const match = LINE.exec(line);
  const key = match?.[3];
  if (!match || key === undefined || !isSecretName(key)) return line;
  const [, lead = '', , , rest = ''] = match;
  const comment = /\s+#.*$/.exec(rest)?.[0] ?? '';
  const raw = rest.slice(0, rest.length - comment.length).trim();
  const value = /^(["']).*\1$/.test(raw) ? raw.slice(1, -1) : raw;
  if (value === '' || isReference(value)) return line;
  found.push(value);
  return `${lead}${JSON.stringify(maskSecret(value))}${comment}`;
}

export interface MovedSecret {
  path: PathSegment[];
  /** The SecretStore name; the text now says `keychain/<name>` at `path`. */
  name: string;
  value: string;
}

export interface MovedSecrets {
  text: string;
  moved: MovedSecret[];
  /** Puts the SecretStore back as it was (for a change that fails later). */
  undo: () => void;
}

export interface MoveSecretsContext {
  store: SecretStore;
  resolvers?: ReferenceResolvers | undefined;
  logger?: Logger | undefined;
  /** Each model_list entry's id (given or derived, as model-ids.ts assigns them) in the text being changed. */
  modelIds: readonly string[];
  /**
   * The config in service (references as written): where it has `keychain/NAME` at the same path, that secret
   * is this gateway's own and takes the new value (an imported master key replaces the running one).
   */
  running?: unknown;
}

/**
 * Moves every literal secret of `text` into the store and returns the text with `keychain/NAME` in its place,
 * everything else unchanged. Names: a model's secrets as /model/new names them (`openai-gpt-4o-key`, deduplicated;
 * the entry getting its `model_info.id` written), the master key `LLM_GATEWAY_MASTER_KEY`,
 * anything else `config-<path>`; a name already holding a different value is never overwritten unless the
 * running config refers to it from the same place — the next free `<name>-2`, `-3`, … is used instead.
 * Throws ModelEditError('unavailable') when the store fails (the store is then as it was).
 */
export function moveSecretsToStore(text: string, context: MoveSecretsContext): MovedSecrets {
  const spots = findLiteralSecrets(text, context.resolvers);
  if (spots.length === 0) return { text, moved: [], undo: () => undefined };
  const { store } = context;
  const undos: (() => void)[] = [];
  const undo = () => {
    for (const step of undos.splice(0).reverse()) step();
  };
  const moved: MovedSecret[] = [];
  const edits: YamlEdit[] = [];
  const doc = parseDocument(text, YAML_OPTIONS);
  try {
    const byEntry = new Map<number, SecretSpot[]>();
    for (const spot of spots) {
      const entry = modelParamSecret(spot.path);
      if (entry) byEntry.set(entry.index, [...(byEntry.get(entry.index) ?? []), spot]);
      else moved.push({ path: spot.path, name: storeUnderFreeName(context, spot, undos), value: spot.value });
    }
    for (const [index, entrySpots] of byEntry) {
      const id = context.modelIds[index];
      if (id === undefined) throw new Error(`model_list[${index}] has no id`);
      // Through model-secrets.ts, so the names (and their clean-up when the model goes) are /model/new's.
      const params: Record<string, unknown> = {};
      for (const spot of entrySpots) {
        const [key, header] = spot.path.slice(3) as [string, string | undefined];
        if (header === undefined) params[key] = spot.value;
        else params[key] = { ...(params[key] as Record<string, string> | undefined), [header]: spot.value };
      }
      const paramsKey = doc.hasIn(['model_list', index, 'litellm_params']) ? 'litellm_params' : 'llm_params';
      const kept = keepSecretsOut({ store, resolvers: context.resolvers, logger: context.logger }, id, params, {
        model: doc.getIn(['model_list', index, paramsKey, 'model']),
        modelName: doc.getIn(['model_list', index, 'model_name']),
        usedElsewhere: keychainNamesInText(text),
      });
      undos.push(kept.undo);
      for (const spot of entrySpots) {
        const [key, header] = spot.path.slice(3) as [string, string | undefined];
        const reference = header === undefined ? kept.params[key] : (kept.params[key] as Record<string, unknown>)[header];
        moved.push({ path: spot.path, name: String(reference).slice(KEYCHAIN.length), value: spot.value });
      }
      if (!doc.hasIn(['model_list', index, 'model_info', 'id'])) edits.push({ path: ['model_list', index, 'model_info', 'id'], value: id });
    }
  } catch (error) {
    undo();
    if (error instanceof ModelEditError) throw error;
    const detail = redactSecrets(
      (error as Error).message,
      spots.map((spot) => spot.value),
    );
    throw new ModelEditError('unavailable', `The secret store is unavailable, so the secrets could not be kept out of config.yaml: ${detail}`);
  }
  edits.unshift(...moved.map((secret) => ({ path: secret.path, value: `${KEYCHAIN}${secret.name}` })));
  let next: string;
  try {
    next = editYaml(text, edits);
  } catch (error) {
    undo();
    throw error;
  }
  const left = findLiteralSecrets(next, context.resolvers);
  if (left.length > 0) {
    undo();
    throw new ModelEditError('invalid', `The secret at ${left[0]?.path.join('.')} could not be replaced by a reference; move it to the secret store by hand.`);
  }
  return { text: next, moved, undo };
}

/** `model_list[i].litellm_params.api_key` (or a credential header there): a model's own secret. */
function modelParamSecret(path: readonly PathSegment[]): { index: number } | undefined {
  const [list, index, params, key, header] = path;
  if (list !== 'model_list' || typeof index !== 'number' || (params !== 'litellm_params' && params !== 'llm_params') || typeof key !== 'string')
    return undefined;
  // Exactly what model-secrets.ts moves: a credential parameter, or a credential header.
  if (path.length === 4 && literalSecrets({ [key]: 'x' }).length > 0) return { index };
  if (path.length === 5 && typeof header === 'string' && literalSecrets({ [key]: { [header]: 'x' } }).length > 0) return { index };
  return undefined;
}

function storeUnderFreeName(context: MoveSecretsContext, spot: SecretSpot, undos: (() => void)[]): string {
  const { store } = context;
  const own = runningReference(context.running, spot.path);
  let name = own;
  if (name === undefined) {
    const base = preferredName(spot.path);
    for (let n = 1; name === undefined; n++) {
      const candidate = n === 1 ? base : `${base.slice(0, 120)}-${n}`;
      const current = store.get(candidate);
      if (current === undefined || current === spot.value) name = candidate;
    }
  }
  const previous = store.get(name);
  if (previous !== spot.value) {
    store.set(name, spot.value);
    const stored = name;
    undos.push(() => {
      try {
        if (previous === undefined) store.delete(stored);
        else store.set(stored, previous);
      } catch (error) {
        context.logger?.warn(`Could not restore secret ${stored}: ${(error as Error).message}`);
      }
    });
  }
  return name;
}

function preferredName(path: readonly PathSegment[]): string {
  if (path.length === 2 && path[0] === 'general_settings' && path[1] === 'master_key') return MASTER_KEY_SECRET;
  return `config-${path.map(String).join('-')}`.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 120);
}

/** The `keychain/NAME` the running config has at `path`, if any. */
function runningReference(running: unknown, path: readonly PathSegment[]): string | undefined {
  let node: unknown = running;
  for (const segment of path) {
    if (Array.isArray(node) && typeof segment === 'number') node = node[segment];
    else if (isPlainObject(node)) node = node[String(segment)];
    else return undefined;
  }
  return typeof node === 'string' && node.startsWith(KEYCHAIN) && isValidSecretName(node.slice(KEYCHAIN.length)) ? node.slice(KEYCHAIN.length) : undefined;
}

/**
 * Without a secret store to move them to: every literal secret replaced by an `os.environ/NAME` placeholder with
 * a comment saying what to do (`NAME` from where it was: LITELLM_MASTER_KEY, <MODEL_NAME>_API_KEY, …).
 */
export function placeholdersForSecrets(text: string): string {
  const spots = findLiteralSecrets(text);
  if (spots.length === 0) return text;
  const doc = parseDocument(text, YAML_OPTIONS);
  const used = new Map<string, string>();
  const placed: { name: string; masked: string }[] = [];
  const edits: YamlEdit[] = spots.map((spot) => {
    const base = envName(spot.path, doc.getIn(['model_list', spot.path[1] ?? -1, 'model_name']));
    let name = base;
    for (let n = 2; used.has(name) && used.get(name) !== spot.value; n++) name = `${base}_${n}`;
    used.set(name, spot.value);
    placed.push({ name, masked: maskSecret(spot.value) });
    return { path: spot.path, value: `os.environ/${name}` };
  });
  let out = editYaml(text, edits);
  for (const { name, masked } of placed) {
    out = out.replace(new RegExp(`^(.*os\\.environ/${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![A-Za-z0-9_]).*?)$`, 'm'), (line: string) =>
      line.includes('#') ? line : `${line}  # was a secret value (${masked}): set ${name}, or store it in the keychain and write keychain/NAME`,
    );
  }
  return redactSecrets(
    out,
    spots.map((spot) => spot.value).sort((a, b) => b.length - a.length),
  );
}

function envName(path: readonly PathSegment[], modelName: unknown): string {
  const [section, key] = path;
  if (section === 'general_settings' && key === 'master_key' && path.length === 2) return 'LITELLM_MASTER_KEY';
  if (section === 'environment_variables' && typeof key === 'string' && path.length === 2) return key;
  const parts = section === 'model_list' && typeof modelName === 'string' ? [modelName, ...path.slice(3).map(String)] : path.map(String);
  return (
    parts
      .join('_')
      .replace(/[^A-Za-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .toUpperCase() || 'SECRET'
  );
}
