import { isPlainObject } from './resolve.ts';
import type { PathSegment } from './path.ts';

/** What one known key must hold. `example` is the value shown in the fix ("for example `rpm: 600`"). */
export type FieldSpec =
  | { kind: 'string'; example?: string }
  | { kind: 'number'; example: string; integer?: boolean }
  | { kind: 'boolean' }
  | { kind: 'string_list'; example: string }
  | { kind: 'string_map'; example: string }
  | { kind: 'mapping'; example: string }
  | { kind: 'fallbacks' }
  | { kind: 'any' };

export interface ValidationIssue {
  path: PathSegment[];
  message: string;
}

const NUMERIC_TEXT = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;
const TRUE_WORDS = new Set(['true', 'yes', 'on', '1']);
const FALSE_WORDS = new Set(['false', 'no', 'off', '0']);

/**
 * Collects issues and unknown keys while converting values to the types the gateway uses. Converters return
 * undefined for absent values (null / undefined: YAML users leave keys blank) and for invalid ones (after
 * recording an issue), so one pass reports every problem in the file instead of stopping at the first.
 */
export class FieldChecker {
  readonly issues: ValidationIssue[] = [];
  readonly unknownKeys: PathSegment[][] = [];

  /** `isReference` marks strings kept verbatim whatever the field's type (the raw pass, before resolution). */
  constructor(private readonly isReference: (value: string) => boolean) {}

  fail(path: PathSegment[], message: string): undefined {
    this.issues.push({ path, message });
    return undefined;
  }

  /** Checks the known keys of a mapping; other keys are kept as is and, when `warnUnknown`, reported. */
  fields(specs: Readonly<Record<string, FieldSpec>>, input: Record<string, unknown>, path: PathSegment[], warnUnknown: boolean): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(input)) {
      const spec = Object.hasOwn(specs, key) ? specs[key] : undefined;
      if (spec === undefined && warnUnknown) this.unknownKeys.push([...path, key]);
      const checked = spec === undefined ? value : this.field(spec, value, [...path, key]);
      if (checked !== undefined) out[key] = checked;
    }
    return out;
  }

  field(spec: FieldSpec, value: unknown, path: PathSegment[]): unknown {
    if (value === null || value === undefined) return undefined;
    if (typeof value === 'string' && this.isReference(value)) return value;
    switch (spec.kind) {
      case 'string':
        return this.string(value, path, spec.example);
      case 'number':
        return this.number(value, path, spec.example, spec.integer === true);
      case 'boolean':
        return this.boolean(value, path);
      case 'string_list':
        return this.stringList(value, path, spec.example);
      case 'string_map':
        return this.stringMap(value, path, spec.example);
      case 'mapping':
        return isPlainObject(value)
          ? { ...value }
          : this.fail(path, `must be a mapping, got ${describe(value)} — for example \`${keyOf(path)}: ${spec.example}\``);
      case 'fallbacks':
        return this.fallbacks(value, path);
      case 'any':
        return value;
    }
  }

  /** Text; numbers and dates are converted because YAML turns unquoted `2023-05-15` or `2024` into them. */
  string(value: unknown, path: PathSegment[], example?: string): string | undefined {
    if (value === null || value === undefined) return undefined;
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'bigint') return String(value);
    if (value instanceof Date) return formatDate(value);
    const fix = example === undefined ? 'put the value in quotes' : `for example \`${keyOf(path)}: ${example}\``;
    return this.fail(path, `must be text, got ${describe(value)} — ${fix}`);
  }

  number(value: unknown, path: PathSegment[], example: string, integer: boolean): number | undefined {
    const fix = `for example \`${keyOf(path)}: ${example}\``;
    // Numeric strings are accepted: people quote numbers in YAML, and env references always yield text.
    const n = typeof value === 'number' ? value : typeof value === 'string' && NUMERIC_TEXT.test(value) ? Number(value) : Number.NaN;
    if (!Number.isFinite(n)) return this.fail(path, `must be a number, got ${describe(value)} — ${fix}`);
    if (n < 0) return this.fail(path, `must be zero or more, got ${n} — ${fix}`);
    if (integer && !Number.isInteger(n)) return this.fail(path, `must be a whole number, got ${n} — ${fix}`);
    return n;
  }

  boolean(value: unknown, path: PathSegment[]): boolean | undefined {
    if (typeof value === 'boolean') return value;
    const word = typeof value === 'string' ? value.trim().toLowerCase() : undefined;
    if (word !== undefined && TRUE_WORDS.has(word)) return true;
    if (word !== undefined && FALSE_WORDS.has(word)) return false;
    return this.fail(path, `must be true or false, got ${describe(value)} — for example \`${keyOf(path)}: true\``);
  }

  /** A list of names; a single name is accepted as a one-item list. */
  stringList(value: unknown, path: PathSegment[], example: string): string[] | undefined {
    if (typeof value === 'string') return [value];
    if (!Array.isArray(value)) return this.fail(path, `must be a list, got ${describe(value)} — for example \`${keyOf(path)}: [${example}]\``);
    return this.listOfStrings(value, path, example);
  }

  stringMap(value: unknown, path: PathSegment[], example: string): Record<string, string> | undefined {
    if (!isPlainObject(value))
      return this.fail(path, `must be a mapping of names to values, got ${describe(value)} — for example \`${keyOf(path)}: ${example}\``);
    const out: Record<string, string> = {};
    for (const [key, item] of Object.entries(value)) {
      const text = this.string(item, [...path, key]);
      if (text !== undefined) out[key] = text;
    }
    return out;
  }

  /** LiteLLM's fallback rules: a list of `{ model_name: [fallback, …] }` mappings. */
  fallbacks(value: unknown, path: PathSegment[]): Record<string, string[]>[] | undefined {
    const fix = `for example \`${keyOf(path)}: [{ gpt-4o: [gpt-4o-mini] }]\` (model name → models to try next)`;
    if (!Array.isArray(value)) return this.fail(path, `must be a list of rules, got ${describe(value)} — ${fix}`);
    const rules: Record<string, string[]>[] = [];
    value.forEach((rule, index) => {
      if (!isPlainObject(rule)) {
        this.fail([...path, index], `must be a mapping from a model name to its fallbacks, got ${describe(rule)} — ${fix}`);
        return;
      }
      const out: Record<string, string[]> = {};
      for (const [model, targets] of Object.entries(rule)) {
        const list =
          typeof targets === 'string'
            ? [targets]
            : Array.isArray(targets)
              ? this.listOfStrings(targets, [...path, index, model], 'gpt-4o-mini')
              : this.fail([...path, index, model], `must be a list of model names, got ${describe(targets)} — ${fix}`);
        if (list !== undefined) out[model] = list;
      }
      rules.push(out);
    });
    return rules;
  }

  private listOfStrings(items: unknown[], path: PathSegment[], example: string): string[] {
    const out: string[] = [];
    items.forEach((item, index) => {
      // Unset references resolve to undefined; they are dropped rather than reported (load.ts warns about them).
      if (item === undefined) return;
      if (typeof item === 'string' || typeof item === 'number') out.push(String(item));
      else this.fail([...path, index], `must be a name, got ${describe(item)} — for example \`${keyOf(path)}: [${example}]\``);
    });
    return out;
  }
}

/** `2023-05-15` for a date-only value (what the user wrote), a full ISO timestamp otherwise. */
export function formatDate(date: Date): string {
  const iso = date.toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
}

export function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Date) return formatDate(value);
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return value.length > 40 ? `${JSON.stringify(value.slice(0, 40))}…` : JSON.stringify(value);
  return String(value);
}

function keyOf(path: readonly PathSegment[]): string {
  const last = path[path.length - 1];
  return typeof last === 'string' ? last : 'value';
}
