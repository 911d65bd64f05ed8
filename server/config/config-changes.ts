/**
 * What an imported config.yaml changes, in words a person reviews before applying it: the models added, removed
 * and changed, and the settings (`litellm_settings.x`, `router_settings.y`, `general_settings.z`,
 * `environment_variables.NAME`) whose value differs. Names only, never values: a setting may be a secret.
 */
import { isDeepStrictEqual } from 'node:util';
import { givenModelId } from './model-ids.ts';
import type { ConfigChanges } from '../core/admin-api.ts';
import type { GatewayConfig, ModelEntry } from '../core/config-types.ts';

/** The admin API's wire shape (core/admin-api.ts): POST /admin/config/import answers it. */
export type { ConfigChanges };

const SECTIONS = ['litellm_settings', 'router_settings', 'general_settings', 'environment_variables'] as const;

/**
 * `before` and `after` are configs as loaded (references intact, every entry's `model_info.id` assigned).
 * Entries are paired by id first, then — entries whose id is derived from their content change id with it — by
 * model_name in order. A model is named by its model_name, with its id when several entries share the name.
 */
export function configChanges(before: GatewayConfig, after: GatewayConfig): ConfigChanges {
  const unmatchedBefore = new Set(before.model_list.map((_, index) => index));
  const unmatchedAfter = new Set(after.model_list.map((_, index) => index));
  const pairs: [number, number][] = [];
  const idOf = (entry: ModelEntry | undefined) => String(entry?.model_info?.id ?? '');
  for (const a of unmatchedAfter) {
    const id = idOf(after.model_list[a]);
    const b = [...unmatchedBefore].find((index) => idOf(before.model_list[index]) === id);
    if (b === undefined) continue;
    pairs.push([b, a]);
    unmatchedBefore.delete(b);
    unmatchedAfter.delete(a);
  }
  for (const a of [...unmatchedAfter]) {
    const entry = after.model_list[a];
    // Only entries without an id of their own: a given id that changed means another deployment.
    if (!entry || givenModelId(withoutDerivedId(entry)) !== undefined) continue;
    const b = [...unmatchedBefore].find((index) => {
      const old = before.model_list[index];
      return old?.model_name === entry.model_name && givenModelId(withoutDerivedId(old)) === undefined;
    });
    if (b === undefined) continue;
    pairs.push([b, a]);
    unmatchedBefore.delete(b);
    unmatchedAfter.delete(a);
  }
  const label = (config: GatewayConfig, index: number) => {
    const entry = config.model_list[index]!;
    const shared = config.model_list.filter((other) => other.model_name === entry.model_name).length > 1;
    return shared ? `${entry.model_name} (id ${shortId(idOf(entry))})` : entry.model_name;
  };
  const models_changed = pairs
    .filter(([b, a]) => !isDeepStrictEqual(comparable(before.model_list[b]), comparable(after.model_list[a])))
    .sort(([, a], [, b]) => a - b)
    .map(([, a]) => label(after, a));
  const settings_changed: string[] = [];
  for (const section of SECTIONS) {
    const old = before[section] as Record<string, unknown>;
    const next = after[section] as Record<string, unknown>;
    for (const key of new Set([...Object.keys(old), ...Object.keys(next)])) {
      if (!isDeepStrictEqual(old[key], next[key])) settings_changed.push(`${section}.${key}`);
    }
  }
  return {
    models_added: [...unmatchedAfter].sort((a, b) => a - b).map((index) => label(after, index)),
    models_removed: [...unmatchedBefore].sort((a, b) => a - b).map((index) => label(before, index)),
    models_changed,
    settings_changed,
  };
}

/** An entry as written: the id derived at load (not in the file) left out. */
function comparable(entry: ModelEntry | undefined): unknown {
  return entry && { model_name: entry.model_name, litellm_params: entry.litellm_params, model_info: entry.model_info };
}

/**
 * assignModelIds writes a derived id into every entry; whether the file gave one is told by the id's shape
 * (a derived id is 64 hex digits, maybe with `-2`): an entry whose written id looks derived counts as id-less.
 */
function withoutDerivedId(entry: ModelEntry): ModelEntry {
  const id = entry.model_info?.id;
  if (typeof id === 'string' && /^[0-9a-f]{64}(-\d+)?$/.test(id)) {
    const { id: _id, ...info } = entry.model_info ?? {};
    return { ...entry, model_info: info };
  }
  return entry;
}

function shortId(id: string): string {
  return /^[0-9a-f]{64}/.test(id) ? id.slice(0, 12) : id;
}
