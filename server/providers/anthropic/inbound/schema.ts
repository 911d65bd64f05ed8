/**
 * Request-body schemas of the inbound Messages API: what the gateway relies on and what Anthropic itself
 * rejects. Everything else passes (to an Anthropic deployment untouched), because Anthropic adds fields
 * over time and Claude Code uses them early.
 */
import { GatewayError } from '../../../core/errors.ts';

const messages = {
  type: 'array',
  minItems: 1,
  items: {
    type: 'object',
    required: ['role', 'content'],
    properties: {
      role: { type: 'string', enum: ['user', 'assistant'] },
      content: { anyOf: [{ type: 'string' }, { type: 'array' }] },
    },
  },
} as const;

const common = {
  model: { type: 'string', minLength: 1 },
  messages,
  system: { anyOf: [{ type: 'string' }, { type: 'array' }] },
  tools: { type: 'array', items: { type: 'object', required: ['name'] } },
  tool_choice: { type: 'object', required: ['type'], properties: { type: { type: 'string' } } },
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
  },
} as const;

export const countTokensBodySchema = {
  type: 'object',
  required: ['model', 'messages'],
  properties: common,
} as const;

interface SchemaFailure {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

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
          : (first.message ?? 'is invalid');
  return new GatewayError(400, `${path}: ${detail}`, { param: path, code: 'invalid_request' });
}
