/**
 * Every model_list entry has an id (LiteLLM's `model_info.id`): /model/info shows it, /model/update and
 * /model/delete find the entry by it, and it is the deployment id (`x-litellm-model-id`). An entry without one
 * gets an id derived from what the file says — references, never secret values — so it survives restarts,
 * reloads and key rotation; the API writes ids into the entries it adds or changes.
 */
import { createHash } from 'node:crypto';
import type { LoadedConfig } from './load.ts';
import type { ModelEntry } from '../core/config-types.ts';

/** The id an entry without `model_info.id` gets: a hash of its model_name and litellm_params as written. */
export function derivedModelId(entry: ModelEntry): string {
  return createHash('sha256')
    .update(`${entry.model_name}\0${JSON.stringify(entry.litellm_params)}`)
    .digest('hex');
}

/** The id the entry gives itself, if any (a YAML number counts, as text). */
export function givenModelId(entry: ModelEntry): string | undefined {
  const id = entry.model_info?.id;
  if (typeof id === 'string' && id !== '') return id;
  if (typeof id === 'number') return String(id);
  return undefined;
}

/** One id per entry, in order: the entry's own, else derived (identical entries get `-2`, `-3`, … after the first). */
export function modelIds(entries: readonly ModelEntry[]): string[] {
  const seen = new Map<string, number>();
  return entries.map((entry) => {
    const given = givenModelId(entry);
    if (given !== undefined) return given;
    const base = derivedModelId(entry);
    const count = (seen.get(base) ?? 0) + 1;
    seen.set(base, count);
    return count === 1 ? base : `${base}-${count}`;
  });
}

/** Writes each entry's id into `model_info.id` of both `raw` and `resolved` (in memory only); returns the ids. */
export function assignModelIds(loaded: LoadedConfig): string[] {
  const ids = modelIds(loaded.raw.model_list);
  ids.forEach((id, index) => {
    for (const list of [loaded.raw.model_list, loaded.resolved.model_list]) {
      const entry = list[index];
      if (entry) entry.model_info = { ...entry.model_info, id };
    }
  });
  return ids;
}
