/**
 * Validates response bodies against OpenAI's published OpenAPI 3.1 spec (../shared/spec beside the
 * repo; a data file we never copy in). The 3 MB YAML is parsed once per process and each schema is
 * compiled on first use.
 *
 * The spec is not in the repo, so a plain clone may lack it. Then, with CI unset, `expectValid` checks
 * nothing (the rest of each test runs as usual) and the run ends with one notice line (openapi-setup.ts);
 * with CI set, every schema check fails instead. OPENAPI_SPEC_PATH points the tests at another copy.
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, inject } from 'vitest';
import Ajv2020Module from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';

/** OPENAPI_SPEC_PATH, else /work/main/e2e/support → /work/shared/spec/openai-openapi.yaml */
export const OPENAI_SPEC_PATH = process.env.OPENAPI_SPEC_PATH || fileURLToPath(new URL('../../../shared/spec/openai-openapi.yaml', import.meta.url));

const inCI = Boolean(process.env.CI) && !/^(0|false)$/i.test(process.env.CI ?? '');

/** Why there are no schema checks, when the spec file is missing. */
export const SPEC_MISSING = `no OpenAI OpenAPI spec at ${OPENAI_SPEC_PATH} (set OPENAPI_SPEC_PATH to an openai-openapi.yaml)`;

/** True when the checks are skipped: no spec file, and CI unset. */
export const schemaChecksSkipped = !existsSync(OPENAI_SPEC_PATH) && !inCI;

let skipNoted = false;

/** Says (once per test file) that this file skipped schema checks; openapi-setup.ts prints one line per run. */
export function noteSchemaChecksSkipped(): void {
  if (skipNoted) return;
  skipNoted = true;
  const log = inject('openapiSkipLog');
  const file = expect.getState().testPath ?? 'a test file';
  if (log) appendFileSync(log, `${file}\n`);
  else console.warn(`OpenAPI schema checks skipped in ${file}: ${SPEC_MISSING}`);
}

// ajv and ajv-formats are CommonJS with `exports.default`; under Node ESM the default import is the
// module object in some loaders and the class in others.
type AjvClass = typeof Ajv2020Module.default;
const Ajv2020 = ((Ajv2020Module as unknown as { default?: AjvClass }).default ?? Ajv2020Module) as AjvClass;
type AddFormats = typeof addFormatsModule.default;
const addFormats = ((addFormatsModule as unknown as { default?: AddFormats }).default ?? addFormatsModule) as AddFormats;

const SPEC_ID = 'https://openai.spec.local/openapi.json';

/**
 * OpenAPI's `nullable: true` is not JSON Schema: a sibling of `$ref`/`type` that also allows null.
 * Rewrite it as `anyOf: [schema, {type: 'null'}]` so `"usage": null` or `"logprobs": null` validate.
 */
function rewriteNullable(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(rewriteNullable);
  if (typeof node !== 'object' || node === null) return node;
  // Other OpenAPI-only keywords (discriminator, x-*, example) are ignored by ajv with strict: false;
  // discriminator needs nothing more since every oneOf branch pins its `type` with an enum.
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) out[key] = rewriteNullable(value);
  if (out.nullable !== true) return out;
  delete out.nullable;
  const { description, ...schema } = out;
  return { ...(description === undefined ? {} : { description }), anyOf: [schema, { type: 'null' }] };
}

/** Every `format` value used in the spec, so the ones ajv-formats lacks (e.g. `unixtime`) can be allowed. */
function collectFormats(node: unknown, into: Set<string>): Set<string> {
  if (Array.isArray(node)) for (const item of node) collectFormats(item, into);
  else if (typeof node === 'object' && node !== null) {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'format' && typeof value === 'string') into.add(value);
      else collectFormats(value, into);
    }
  }
  return into;
}

interface Validator {
  ajv: InstanceType<AjvClass>;
  schemaNames: Set<string>;
  compiled: Map<string, ValidateFunction>;
}

let validator: Validator | undefined;

function loadValidator(): Validator {
  if (validator !== undefined) return validator;
  if (!existsSync(OPENAI_SPEC_PATH))
    throw new Error(`Cannot check OpenAPI schemas: ${SPEC_MISSING}.${inCI ? ' With CI set the schema checks are required.' : ''}`);
  const spec = parse(readFileSync(OPENAI_SPEC_PATH, 'utf8'), { maxAliasCount: -1 }) as { components?: { schemas?: Record<string, unknown> } };
  const schemas = rewriteNullable(spec.components?.schemas ?? {}) as Record<string, unknown>;
  // strict: false tolerates OpenAPI-only keywords (readOnly examples, $recursiveAnchor, …).
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false, logger: false });
  addFormats(ajv);
  for (const format of collectFormats(schemas, new Set())) {
    if (ajv.formats[format] === undefined) ajv.addFormat(format, true);
  }
  ajv.addSchema({ $id: SPEC_ID, components: { schemas } });
  validator = { ajv, schemaNames: new Set(Object.keys(schemas)), compiled: new Map() };
  return validator;
}

function compile(schemaName: string): ValidateFunction {
  const { ajv, schemaNames, compiled } = loadValidator();
  const cached = compiled.get(schemaName);
  if (cached !== undefined) return cached;
  if (!schemaNames.has(schemaName)) throw new Error(`OpenAPI spec has no schema named ${schemaName}`);
  const validate = ajv.compile({ $ref: `${SPEC_ID}#/components/schemas/${schemaName}` });
  compiled.set(schemaName, validate);
  return validate;
}

/** The ajv errors of `body` against components.schemas[schemaName] ([] when valid). */
export function schemaErrors(schemaName: string, body: unknown): ErrorObject[] {
  const validate = compile(schemaName);
  return validate(body) ? [] : [...(validate.errors ?? [])];
}

/**
 * Throw an Error listing every violation (instancePath + message) when `body` is not a valid `schemaName`.
 * Without the spec: nothing, with CI unset (see schemaChecksSkipped); an Error, with CI set.
 */
export function expectValid(schemaName: string, body: unknown): void {
  if (schemaChecksSkipped) {
    noteSchemaChecksSkipped();
    return;
  }
  const errors = schemaErrors(schemaName, body);
  if (errors.length === 0) return;
  const lines = errors.map((error) => {
    const params = error.keyword === 'additionalProperties' || error.keyword === 'enum' ? ` ${JSON.stringify(error.params)}` : '';
    return `  ${error.instancePath || '/'} ${error.message ?? error.keyword}${params}`;
  });
  throw new Error(`body is not a valid ${schemaName}:\n${lines.join('\n')}\nbody: ${JSON.stringify(body).slice(0, 2000)}`);
}
