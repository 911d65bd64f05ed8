import type { ReferenceResolver, ReferenceResolvers } from '../core/references.ts';
import type { PathSegment } from './path.ts';

export type { ReferenceResolver, ReferenceResolvers };

/** One reference met while resolving, reported so callers can warn about unset ones or explain errors. */
export interface ReferenceUse {
  path: PathSegment[];
  /** The string as written, e.g. `os.environ/OPENAI_API_KEY`. */
  reference: string;
  prefix: string;
  name: string;
  value: string | undefined;
}

export const ENV_PREFIX = 'os.environ/';

/** The scheme a string refers through, or undefined when it is a plain value. Longest prefix wins. */
export function parseReference(value: string, resolvers: ReferenceResolvers): { prefix: string; name: string } | undefined {
  let best: string | undefined;
  for (const prefix of Object.keys(resolvers)) {
    if (value.startsWith(prefix) && value.length > prefix.length && (best === undefined || prefix.length > best.length)) best = prefix;
  }
  return best === undefined ? undefined : { prefix: best, name: value.slice(best.length) };
}

/**
 * Returns a deep copy of `value` in which every string that is a reference is replaced by what its resolver
 * returns (undefined when unset). Mapping keys are never resolved, only values; non-plain objects (Dates) are
 * kept as is. The input is not modified, so the caller can keep the references for export.
 */
export function resolveReferences<T>(value: T, resolvers: ReferenceResolvers, onReference?: (use: ReferenceUse) => void): T {
  return walk(value, [], resolvers, onReference) as T;
}

function walk(value: unknown, path: PathSegment[], resolvers: ReferenceResolvers, onReference?: (use: ReferenceUse) => void): unknown {
  if (typeof value === 'string') {
    const ref = parseReference(value, resolvers);
    if (ref === undefined) return value;
    const resolved = resolvers[ref.prefix]?.(ref.name);
    onReference?.({ path, reference: value, prefix: ref.prefix, name: ref.name, value: resolved });
    return resolved;
  }
  if (Array.isArray(value)) return value.map((item, index) => walk(item, [...path, index], resolvers, onReference));
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = walk(item, [...path, key], resolvers, onReference);
    return out;
  }
  return value;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}
