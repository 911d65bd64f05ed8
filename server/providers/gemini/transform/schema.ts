/**
 * JSON Schema (as OpenAI tools and response_format carry it) → the OpenAPI 3.0 subset Gemini's `parameters` and
 * `responseSchema` take: `$ref`s into `$defs` / `definitions` inlined, `["x","null"]` types as `nullable`, and the
 * keywords Gemini refuses (`additionalProperties`, `$schema`, `strict`, …) left out.
 */
import { isRecord } from './wire.ts';

const DROPPED = new Set(['$schema', '$id', '$defs', 'definitions', 'additionalProperties', 'strict', '$comment', 'examples', 'default', 'const']);
/** A schema that refers to itself cannot be inlined for ever; past this depth the reference becomes an open object. */
const MAX_REF_DEPTH = 8;

export function toGeminiSchema(schema: unknown): Record<string, unknown> {
  if (!isRecord(schema)) return { type: 'object', properties: {} };
  const defs = { ...(isRecord(schema.definitions) ? schema.definitions : {}), ...(isRecord(schema.$defs) ? schema.$defs : {}) };
  return convert(schema, defs, 0) as Record<string, unknown>;
}

function convert(node: unknown, defs: Record<string, unknown>, depth: number): unknown {
  if (Array.isArray(node)) return node.map((item) => convert(item, defs, depth));
  if (!isRecord(node)) return node;
  if (typeof node.$ref === 'string') {
    const name = /^#\/(?:\$defs|definitions)\/(.+)$/.exec(node.$ref)?.[1];
    const target = name === undefined ? undefined : defs[name];
    if (target === undefined || depth >= MAX_REF_DEPTH) return { type: 'object' };
    return convert(target, defs, depth + 1);
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (DROPPED.has(key)) continue;
    if (key === 'type' && Array.isArray(value)) {
      const types = value.filter((t) => t !== 'null');
      if (types.length < value.length) out.nullable = true;
      out.type = types[0] ?? 'string';
      continue;
    }
    if (key === 'properties' && isRecord(value)) {
      out.properties = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, convert(sub, defs, depth)]));
      continue;
    }
    out[key] = convert(value, defs, depth);
  }
  // `const` is how JSON Schema pins one value; Gemini says the same with a one-value enum.
  if (node.const !== undefined && out.enum === undefined) out.enum = [node.const];
  return out;
}
