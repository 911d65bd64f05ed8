/**
 * Request-body schemas: only what the gateway must rely on, and what OpenAI itself rejects. Everything
 * else passes through untouched, because providers accept parameters OpenAI never heard of.
 */
const nullable = (type: string, extra: Record<string, unknown> = {}) => ({ type: [type, 'null'], ...extra });

const common = {
  model: { type: 'string' },
  stream: nullable('boolean'),
  stream_options: nullable('object', { properties: { include_usage: { type: 'boolean' } } }),
  max_tokens: nullable('integer', { minimum: 1 }),
  temperature: nullable('number', { minimum: 0, maximum: 2 }),
  top_p: nullable('number', { minimum: 0, maximum: 1 }),
  n: nullable('integer', { minimum: 1, maximum: 128 }),
  user: { type: 'string' },
  mock_response: { type: 'string' },
};

export const chatBodySchema = {
  type: 'object',
  required: ['messages'],
  properties: {
    ...common,
    max_completion_tokens: nullable('integer', { minimum: 1 }),
    messages: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['role'],
        properties: { role: { type: 'string', enum: ['system', 'developer', 'user', 'assistant', 'tool', 'function'] } },
      },
    },
    tools: { type: 'array', items: { type: 'object', required: ['type'] } },
  },
} as const;

export const completionBodySchema = {
  type: 'object',
  required: ['prompt'],
  properties: {
    ...common,
    // 0 generates nothing: with echo and logprobs it scores the prompt (lm-eval-harness's log-likelihood requests).
    max_tokens: nullable('integer', { minimum: 0 }),
    prompt: { anyOf: [{ type: 'string' }, { type: 'array', minItems: 1 }] },
  },
} as const;

export const embeddingBodySchema = {
  type: 'object',
  required: ['input'],
  properties: {
    model: { type: 'string' },
    input: {
      anyOf: [
        { type: 'string', minLength: 1 },
        { type: 'array', minItems: 1 },
      ],
    },
    encoding_format: { type: 'string', enum: ['float', 'base64'] },
    dimensions: { type: 'integer', minimum: 1 },
    user: { type: 'string' },
  },
} as const;
