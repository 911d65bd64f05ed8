/**
 * Request-body schemas of the inbound Messages API: what the gateway relies on and what Anthropic itself
 * rejects. Everything else passes (to an Anthropic deployment untouched), because Anthropic adds fields
 * over time and Claude Code uses them early.
 */
import { GatewayError } from '../../../core/errors.ts';
import type { SchemaFailure } from '../../../core/schema-failure.ts';

/** A text block: what `system` (the field, or a `role: "system"` message) may hold. */
const textBlock = {
  type: 'object',
  // In this order, so a block of another type is named as such rather than as one missing its text.
  allOf: [
    { required: ['type'], properties: { type: { const: 'text' } } },
    { required: ['text'], properties: { text: { type: 'string' } } },
  ],
} as const;

/**
 * Messages of the three roles newer models take. A `system` message (Claude Code puts reminders mid-conversation)
 * holds text only, like the top-level `system`.
 */
const messages = {
  type: 'array',
  minItems: 1,
  items: {
    type: 'object',
    required: ['role', 'content'],
    properties: {
      role: { type: 'string', enum: ['user', 'assistant', 'system'] },
      content: { anyOf: [{ type: 'string' }, { type: 'array' }] },
    },
    if: { properties: { role: { const: 'system' } } },
    // A nested if/then rather than a union type, which Fastify's strict Ajv warns about on every start.
    // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword; a schema object is never awaited.
    then: { properties: { content: { if: { type: 'array' }, then: { type: 'array', items: textBlock } } } },
  },
} as const;

/**
 * Extended thinking: `enabled` needs a budget of at least 1024 tokens (Anthropic's minimum); `disabled`,
 * `adaptive` and types added later pass as they are.
 */
const thinking = {
  type: 'object',
  required: ['type'],
  properties: { type: { type: 'string' } },
  if: { properties: { type: { const: 'enabled' } } },
  // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword; a schema object is never awaited.
  then: { required: ['budget_tokens'], properties: { budget_tokens: { type: 'integer', minimum: 1024 } } },
} as const;

const common = {
  model: { type: 'string', minLength: 1 },
  messages,
  system: { anyOf: [{ type: 'string' }, { type: 'array' }] },
  tools: { type: 'array', items: { type: 'object', required: ['name'] } },
  tool_choice: { type: 'object', required: ['type'], properties: { type: { type: 'string' } } },
  thinking,
} as const;

export const messagesBodySchema = {
  type: 'object',
  required: ['model', 'max_tokens', 'messages'],
  properties: {
    ...common,
    max_tokens: { type: 'integer', minimum: 1 },
    stream: { type: 'boolean' },
    temperature: { type: 'number', minimum: 0, maximum: 1 },
    top_p: { type: 'number', minimum: 0, maximum: 1 },
    top_k: { type: 'integer', minimum: 0 },
    stop_sequences: { type: 'array', items: { type: 'string' } },
    metadata: { type: 'object', properties: { user_id: { type: ['string', 'null'] } } },
    service_tier: { type: 'string', enum: ['auto', 'standard_only'] },
  },
} as const;

export const countTokensBodySchema = {
  type: 'object',
  required: ['model', 'messages'],
  properties: common,
} as const;

/** The first schema failure in Anthropic's wording: `max_tokens: Field required`, `messages.0.role: …`. */
export function validationError(failures: readonly SchemaFailure[] | undefined): GatewayError {
  const first = failures?.[0];
  if (!first) return new GatewayError(400, 'The request body is invalid.');
  const parts = first.instancePath.split('/').filter(Boolean);
  if (first.keyword === 'required' && typeof first.params.missingProperty === 'string') parts.push(first.params.missingProperty);
  const path = parts.join('.') || 'body';
  const allowed = first.params.allowedValues;
  const detail =
    first.keyword === 'required'
      ? 'Field required'
      : Array.isArray(allowed)
        ? `must be one of: ${allowed.join(', ')}`
        : first.keyword === 'minItems' && path === 'messages'
          ? 'at least one message is required'
          : (boundWording(first) ?? first.message ?? 'is invalid');
  return new GatewayError(400, `${path}: ${detail}`, { param: path, code: 'invalid_request' });
}

/** Number bounds and types in Anthropic's (pydantic's) words. */
function boundWording(failure: SchemaFailure): string | undefined {
  const { limit, type } = failure.params;
  if (failure.keyword === 'minimum') return `Input should be greater than or equal to ${String(limit)}`;
  if (failure.keyword === 'maximum') return `Input should be less than or equal to ${String(limit)}`;
  if (failure.keyword === 'type' && typeof type === 'string') return `Input should be a valid ${type}`;
  if (failure.keyword === 'const') return `Input should be ${JSON.stringify(failure.params.allowedValue)}`;
  return undefined;
}

/**
 * What Anthropic rejects across fields, which a schema cannot say: a thinking budget must leave room for the
 * answer. Thrown as the same 400 a schema failure gives.
 */
export function checkMessagesBody(body: Record<string, unknown>): void {
  const thinking = body.thinking as { type?: unknown; budget_tokens?: unknown } | undefined;
  if (thinking?.type !== 'enabled' || typeof thinking.budget_tokens !== 'number' || typeof body.max_tokens !== 'number') return;
  if (body.max_tokens <= thinking.budget_tokens) {
    throw new GatewayError(400, '`max_tokens` must be greater than `thinking.budget_tokens`.', { param: 'max_tokens', code: 'invalid_request' });
  }
}
