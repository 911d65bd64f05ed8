/**
 * OpenAI's `response_format` on Bedrock Converse, two ways:
 * - natively, `outputConfig.textFormat` (json_schema, the schema as a JSON string; constrained decoding, GA
 *   since February 2026) on the models that have it: Claude 4.5 and later, and the open-weight families AWS
 *   lists (Qwen, DeepSeek, gpt-oss, Kimi, MiniMax, Nemotron, Gemma). The answer is then plain JSON text.
 *   https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_OutputConfig.html
 *   https://docs.aws.amazon.com/bedrock/latest/userguide/structured-output.html
 * - elsewhere, and for json_object (which names no schema, and constrained decoding wants a closed one), LiteLLM's
 *   way: one more tool whose input schema is the wanted schema, forced with toolChoice; its input is the answer,
 *   returned as the message's content (a JSON string) with finish_reason `stop`, never as a tool call.
 */
import { GatewayError } from '../../core/errors.ts';
import type { CallContext, Deployment } from '../types.ts';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** LiteLLM's name for the answer tool. */
export const RESPONSE_TOOL_NAME = 'json_tool_call';

/** json_object names no schema: any object will do. */
const ANY_OBJECT = { type: 'object', additionalProperties: true };

/** Model ids (plain, cross-region profile or ARN) whose Converse takes outputConfig.textFormat. */
const NATIVE_MODELS = /claude-(?:opus|sonnet|haiku)-(?:4-(?:[5-9]|\d\d)|[5-9])|qwen|deepseek|gpt-oss|kimi|moonshot|minimax|nemotron|gemma/i;

export type StructuredOutput =
  | { kind: 'none' }
  | { kind: 'native'; outputConfig: Record<string, unknown> }
  | { kind: 'tool'; toolSpec: Record<string, unknown> };

function wanted(responseFormat: unknown): { schema: Record<string, unknown>; name?: string; description?: string } | undefined {
  if (responseFormat === undefined || responseFormat === null) return undefined;
  const type = isRecord(responseFormat) ? responseFormat.type : undefined;
  if (type === 'text') return undefined;
  if (type === 'json_object') return { schema: ANY_OBJECT };
  if (type === 'json_schema' && isRecord(responseFormat) && isRecord(responseFormat.json_schema)) {
    const spec = responseFormat.json_schema;
    return {
      schema: isRecord(spec.schema) ? spec.schema : ANY_OBJECT,
      ...(typeof spec.name === 'string' && spec.name !== '' ? { name: spec.name } : {}),
      ...(typeof spec.description === 'string' && spec.description !== '' ? { description: spec.description } : {}),
    };
  }
  throw new GatewayError(400, '`response_format` must be {"type": "text"}, {"type": "json_object"} or {"type": "json_schema", "json_schema": {...}}.', {
    param: 'response_format',
  });
}

export function structuredOutput(body: Record<string, unknown>, deployment: Deployment): StructuredOutput {
  const format = wanted(body.response_format);
  if (!format) return { kind: 'none' };
  const isJsonObject = isRecord(body.response_format) && body.response_format.type === 'json_object';
  if (!isJsonObject && NATIVE_MODELS.test(deployment.upstreamModel)) {
    const jsonSchema = {
      schema: JSON.stringify(format.schema),
      ...(format.name ? { name: format.name } : {}),
      ...(format.description ? { description: format.description } : {}),
    };
    return { kind: 'native', outputConfig: { textFormat: { type: 'json_schema', structure: { jsonSchema } } } };
  }
  return {
    kind: 'tool',
    toolSpec: {
      name: RESPONSE_TOOL_NAME,
      description: format.description ?? `Answer with a JSON object${format.name ? ` (${format.name})` : ''} that follows the input schema.`,
      inputSchema: { json: format.schema },
    },
  };
}

/** Whether this call's answer comes back through the answer tool (its toolUse is the message's content). */
export function answersThroughTool(ctx: CallContext): boolean {
  return structuredOutput(ctx.body, ctx.deployment).kind === 'tool';
}
