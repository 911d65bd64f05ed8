/**
 * POST /v1/responses body: only what the gateway relies on and what OpenAI itself rejects; everything else passes
 * (a native upstream takes the API's newest fields; the chat translation ignores what it does not carry).
 */
const nullable = (type: string, extra: Record<string, unknown> = {}) => ({ type: [type, 'null'], ...extra });

export const responsesBodySchema = {
  type: 'object',
  properties: {
    model: { type: 'string' },
    input: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'object' } }] },
    instructions: { anyOf: [{ type: 'string' }, { type: 'array' }, { type: 'null' }] },
    stream: nullable('boolean'),
    store: nullable('boolean'),
    previous_response_id: nullable('string'),
    max_output_tokens: nullable('integer', { minimum: 1 }),
    temperature: nullable('number', { minimum: 0, maximum: 2 }),
    top_p: nullable('number', { minimum: 0, maximum: 1 }),
    tools: { type: 'array', items: { type: 'object', required: ['type'] } },
    metadata: nullable('object'),
    user: { type: 'string' },
  },
} as const;
