/**
 * The request-body schema of POST /v1/responses (Fastify/ajv), and its failures in OpenAI's wording.
 *
 * Only what the gateway relies on and what OpenAI itself rejects: the shapes of the fields the chat
 * translation reads. Item shapes inside `input` are checked by inputItemsOf (items.ts), which names the item;
 * unknown fields pass, because the Responses API grows and native deployments take the body as it is.
 * max_output_tokens takes any positive integer (OpenAI asks for ≥ 16): other providers take fewer.
 */
import { GatewayError } from '../../../core/errors.ts';
import type { SchemaFailure } from '../../../core/schema-failure.ts';

const nullable = (type: string, extra: Record<string, unknown> = {}) => ({ type: [type, 'null'], ...extra });
const nullableEnum = (values: readonly string[]) => ({ type: ['string', 'null'], enum: [...values, null] });

export const responsesBodySchema = {
  type: 'object',
  required: ['model'],
  properties: {
    model: { type: 'string', minLength: 1 },
    // anyOf, not a type list: Fastify's ajv warns about union types (strictTypes).
    input: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'object' } }] },
    instructions: nullable('string'),
    previous_response_id: nullable('string', { minLength: 1 }),
    tools: nullable('array', { items: { type: 'object', required: ['type'], properties: { type: { type: 'string' } } } }),
    tool_choice: { anyOf: [{ type: 'string' }, { type: 'object' }, { type: 'null' }] },
    parallel_tool_calls: nullable('boolean'),
    reasoning: nullable('object', {
      properties: {
        effort: nullableEnum(['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max']),
        summary: nullableEnum(['auto', 'concise', 'detailed']),
      },
    }),
    text: nullable('object', {
      properties: {
        format: {
          type: 'object',
          required: ['type'],
          properties: { type: { type: 'string', enum: ['text', 'json_object', 'json_schema'] } },
        },
        verbosity: nullableEnum(['low', 'medium', 'high']),
      },
    }),
    max_output_tokens: nullable('integer', { minimum: 1 }),
    max_tool_calls: nullable('integer', { minimum: 1 }),
    temperature: nullable('number', { minimum: 0, maximum: 2 }),
    top_p: nullable('number', { minimum: 0, maximum: 1 }),
    top_logprobs: nullable('integer', { minimum: 0, maximum: 20 }),
    metadata: nullable('object', { maxProperties: 16, additionalProperties: { type: 'string', maxLength: 512 } }),
    user: { type: 'string' },
    safety_identifier: nullable('string', { maxLength: 64 }),
    prompt_cache_key: nullable('string'),
    stream: nullable('boolean'),
    stream_options: nullable('object'),
    store: nullable('boolean'),
    background: nullable('boolean'),
    include: nullable('array', { items: { type: 'string' } }),
    truncation: nullableEnum(['auto', 'disabled']),
    service_tier: nullable('string'),
  },
} as const;

const TYPE_WORDS: Record<string, string> = {
  string: 'a string',
  integer: 'an integer',
  number: 'a decimal',
  boolean: 'a boolean',
  object: 'an object',
  array: 'an array',
};

/**
 * The failure to report. When an anyOf failed, ajv lists every branch's failure first: the deepest one says
 * what is wrong (`input[0]` is not an object), and type failures at one place merge (a string or an array).
 */
function firstFailure(failures: readonly SchemaFailure[]): SchemaFailure | undefined {
  const anyOf = failures.findIndex((failure) => failure.keyword === 'anyOf');
  if (anyOf < 0) return failures[0];
  const branches = failures.slice(0, anyOf);
  const deepest = branches.reduce<SchemaFailure | undefined>(
    (best, failure) => (!best || failure.instancePath.length > best.instancePath.length ? failure : best),
    undefined,
  );
  if (!deepest) return failures[anyOf];
  if (deepest.keyword !== 'type') return deepest;
  const types = branches
    .filter((failure) => failure.keyword === 'type' && failure.instancePath === deepest.instancePath)
    .map((failure) => String(failure.params.type));
  return { ...deepest, params: { ...deepest.params, type: types.join(',') } };
}

/** `/input/0/role` → `input[0].role`. */
function paramOf(instancePath: string, missing?: unknown): string {
  const parts = instancePath.split('/').filter(Boolean);
  if (typeof missing === 'string') parts.push(missing);
  return parts.reduce((acc, part) => (/^\d+$/.test(part) ? `${acc}[${part}]` : acc ? `${acc}.${part}` : part), '');
}

/** The first schema failure as OpenAI words it: `Missing required parameter: 'model'.`, `Invalid type for 'top_p': …`. */
export function responsesValidationError(failures: readonly SchemaFailure[] | undefined): GatewayError {
  const first = firstFailure(failures ?? []);
  if (!first) return new GatewayError(400, 'The request body is invalid.', { code: 'invalid_request' });
  const param = paramOf(first.instancePath, first.params.missingProperty);
  const at = param || 'body';
  const fail = (message: string, code: string) => new GatewayError(400, message, { param: param || null, code });
  switch (first.keyword) {
    case 'required':
      return fail(`Missing required parameter: '${at}'.`, 'missing_required_parameter');
    case 'type': {
      const types = String(first.params.type ?? '')
        .split(',')
        .filter((type) => type !== 'null')
        .map((type) => TYPE_WORDS[type] ?? type);
      return fail(`Invalid type for '${at}': expected ${types.join(' or ')}.`, 'invalid_type');
    }
    case 'enum': {
      const allowed = (Array.isArray(first.params.allowedValues) ? first.params.allowedValues : []).filter((value) => value !== null);
      return fail(`Invalid value for '${at}': supported values are ${allowed.map((value) => `'${String(value)}'`).join(', ')}.`, 'invalid_value');
    }
    case 'minimum':
      return fail(`Invalid '${at}': below minimum value. Expected a value >= ${String(first.params.limit)}.`, 'below_min_value');
    case 'maximum':
      return fail(`Invalid '${at}': above maximum value. Expected a value <= ${String(first.params.limit)}.`, 'above_max_value');
    case 'minLength':
      return fail(`Invalid '${at}': empty string. Expected a string with minimum length ${String(first.params.limit)}.`, 'empty_string');
    default:
      return fail(`Invalid '${at}': ${first.message ?? 'is invalid'}.`, 'invalid_value');
  }
}
