import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { responsesBodySchema, responsesValidationError } from './schema.ts';

/** A Fastify route validating with the gateway's ajv options, answering schema failures the way the surface will. */
let app: FastifyInstance;

beforeAll(async () => {
  app = Fastify({ ajv: { customOptions: { coerceTypes: false, removeAdditional: false, useDefaults: false } } });
  app.post('/v1/responses', { schema: { body: responsesBodySchema }, attachValidation: true }, async (request, reply) => {
    if (request.validationError) {
      const error = responsesValidationError(request.validationError.validation);
      return reply.code(error.status).send(error.toBody());
    }
    return { ok: true };
  });
  await app.ready();
});

afterAll(() => app.close());

async function post(body: Record<string, unknown>) {
  const res = await app.inject({ method: 'POST', url: '/v1/responses', payload: body });
  return { status: res.statusCode, body: res.json() as { ok?: boolean; error?: { message: string; param: string | null; code: string | null; type: string } } };
}

describe('POST /v1/responses body schema', () => {
  it('accepts a Codex-like body and the AI SDK default body', async () => {
    expect(
      await post({
        model: 'gpt-5-codex',
        instructions: 'x',
        input: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }] }],
        tools: [{ type: 'function', name: 'shell', parameters: {}, strict: false }],
        tool_choice: 'auto',
        parallel_tool_calls: false,
        reasoning: { effort: 'medium', summary: 'auto' },
        store: false,
        stream: true,
        include: ['reasoning.encrypted_content'],
        prompt_cache_key: 'k',
        text: { verbosity: 'low' },
      }),
    ).toEqual({ status: 200, body: { ok: true } });
    expect(
      await post({
        model: 'm',
        input: [{ role: 'system', content: 's' }],
        temperature: 0,
        top_p: 1,
        max_output_tokens: 100,
        text: { format: { type: 'json_schema', name: 'response', schema: {}, strict: true } },
        tool_choice: { type: 'function', name: 'f' },
        metadata: { a: 'b' },
        previous_response_id: null,
        reasoning: null,
        unknown_new_field: true,
      }),
    ).toEqual({ status: 200, body: { ok: true } });
  });

  it.each([
    [{ input: 'hi' }, 'model', "Missing required parameter: 'model'.", 'missing_required_parameter'],
    [{ model: 'm', input: 5 }, 'input', "Invalid type for 'input': expected a string or an array.", 'invalid_type'],
    [{ model: 'm', input: ['hi'] }, 'input[0]', "Invalid type for 'input[0]': expected an object.", 'invalid_type'],
    [{ model: 'm', temperature: 'hot' }, 'temperature', "Invalid type for 'temperature': expected a decimal.", 'invalid_type'],
    [{ model: 'm', temperature: 3 }, 'temperature', "Invalid 'temperature': above maximum value. Expected a value <= 2.", 'above_max_value'],
    [{ model: 'm', max_output_tokens: 0 }, 'max_output_tokens', "Invalid 'max_output_tokens': below minimum value. Expected a value >= 1.", 'below_min_value'],
    [{ model: 'm', truncation: 'sometimes' }, 'truncation', "Invalid value for 'truncation': supported values are 'auto', 'disabled'.", 'invalid_value'],
    [{ model: 'm', reasoning: { effort: 'extreme' } }, 'reasoning.effort', "Invalid value for 'reasoning.effort': supported values are", 'invalid_value'],
    [{ model: 'm', text: { format: { type: 'yaml' } } }, 'text.format.type', "Invalid value for 'text.format.type'", 'invalid_value'],
    [{ model: 'm', tools: [{ name: 'f' }] }, 'tools[0].type', "Missing required parameter: 'tools[0].type'.", 'missing_required_parameter'],
    [{ model: 'm', metadata: { n: 1 } }, 'metadata.n', "Invalid type for 'metadata.n': expected a string.", 'invalid_type'],
    [{ model: '' }, 'model', "Invalid 'model': empty string.", 'empty_string'],
  ])('refuses %j with a 400 naming %s', async (body, param, message, code) => {
    const { status, body: answer } = await post(body);
    expect(status).toBe(400);
    expect(answer.error).toMatchObject({ param, code, type: 'invalid_request_error' });
    expect(answer.error?.message).toContain(message);
  });
});
