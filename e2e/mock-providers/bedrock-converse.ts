/**
 * Bedrock Runtime Converse (POST /model/{modelId}/converse, JSON) and ConverseStream (…/converse-stream, AWS
 * event-stream messages (application/vnd.amazon.eventstream) encoded with @smithy/core/event-streams):
 * messageStart, contentBlockStart (a tool call's id and name), contentBlockDelta (one per word, or the tool
 * input JSON), contentBlockStop, messageStop, metadata (usage). Each is an `event` message with `:event-type`,
 * `:content-type: application/json` and the event's JSON as payload; a failure mid-stream is an `exception`
 * message with `:exception-type` (throttlingException, …) and `{"message"}`.
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ConverseStream.html
 *
 * The "model" answers like the other mocks: `echo: <last user text>`; with `toolConfig` one `toolUse` of the
 * forced tool, else the first, with input `{"echo": "<last user text>"}` — except right after a `toolResult`
 * (unless a tool is forced), where it echoes the result's text. Tokens are words; the system prompt counts.
 *
 * Structured outputs (`outputConfig.textFormat`, type json_schema, the schema a JSON *string*): the text answer is
 * a JSON object following the schema (strings `echo: …`, numbers the prompt's token count, booleans true).
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_OutputConfig.html
 * Extended thinking (`additionalModelRequestFields.thinking.type: enabled`, Anthropic models): a `reasoningContent`
 * block first, its `reasoningText` signed (streamed as text deltas, then one `signature` delta). As Anthropic does,
 * reasoning sent back must carry the signature it was given, and with thinking on, an assistant turn that ends in
 * a tool use must start with its reasoning.
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ReasoningContentBlock.html
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ReasoningContentBlockDelta.html
 */
import { createHash } from 'node:crypto';
import { EventStreamCodec } from '@smithy/core/event-streams';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import type { JsonObject } from './text.ts';
import { countTokens, echoAnswer, isObject, mockId, splitIntoPieces, truncateToTokens } from './text.ts';

export const AWS_EVENTSTREAM_CONTENT_TYPE = 'application/vnd.amazon.eventstream';

const codec = new EventStreamCodec(toUtf8, fromUtf8);

function message(messageType: 'event' | 'exception', type: string, payload: JsonObject): Uint8Array {
  return codec.encode({
    headers: {
      ':message-type': { type: 'string', value: messageType },
      [messageType === 'event' ? ':event-type' : ':exception-type']: { type: 'string', value: type },
      ':content-type': { type: 'string', value: 'application/json' },
    },
    body: fromUtf8(JSON.stringify(payload)),
  });
}

export function awsException(exceptionType: string, text: string): Uint8Array {
  return message('exception', exceptionType, { message: text });
}

/** The text of Converse content blocks: `text` blocks, and the text inside `toolResult` blocks. */
export function converseText(content: unknown): string {
  if (!Array.isArray(content)) return '';
  const texts: string[] = [];
  for (const block of content) {
    if (!isObject(block)) continue;
    if (typeof block.text === 'string') texts.push(block.text);
    else if (isObject(block.toolResult)) texts.push(converseText(block.toolResult.content));
  }
  return texts.join(' ');
}

/** What the mock answers a Converse request: text or one tool use, and the counts. */
export interface ConverseAnswer {
  text: string;
  reasoning?: { text: string; signature: string };
  toolUse?: { toolUseId: string; name: string; input: JsonObject };
  stopReason: 'end_turn' | 'tool_use' | 'max_tokens';
  inputTokens: number;
  outputTokens: number;
}

function toolName(tool: unknown): string | undefined {
  return isObject(tool) && isObject(tool.toolSpec) && typeof tool.toolSpec.name === 'string' ? tool.toolSpec.name : undefined;
}

/** The signature the mock gives a reasoning text (and checks when it comes back). */
export function reasoningSignature(text: string): string {
  return createHash('sha256').update(`mock-thinking:${text}`).digest('base64');
}

function thinkingEnabled(body: JsonObject): boolean {
  const fields = isObject(body.additionalModelRequestFields) ? body.additionalModelRequestFields : {};
  return isObject(fields.thinking) && fields.thinking.type === 'enabled';
}

/** A value following a JSON schema, built from the user's text. */
function sampleOf(schema: unknown, userText: string, tokens: number): unknown {
  if (!isObject(schema)) return null;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  switch (schema.type) {
    case 'object': {
      const properties = isObject(schema.properties) ? schema.properties : {};
      return Object.fromEntries(Object.entries(properties).map(([key, sub]) => [key, sampleOf(sub, userText, tokens)]));
    }
    case 'array':
      return [sampleOf(schema.items, userText, tokens)];
    case 'string':
      return echoAnswer(userText);
    case 'integer':
    case 'number':
      return tokens;
    case 'boolean':
      return true;
    default:
      return null;
  }
}

/** The schema of `outputConfig.textFormat`, or why Converse refuses it. */
function outputSchema(body: JsonObject): { schema?: JsonObject; error?: string } {
  if (body.outputConfig === undefined) return {};
  const format = isObject(body.outputConfig) && isObject(body.outputConfig.textFormat) ? body.outputConfig.textFormat : undefined;
  const structure = isObject(format?.structure) && isObject(format.structure.jsonSchema) ? format.structure.jsonSchema : undefined;
  if (format?.type !== 'json_schema' || typeof structure?.schema !== 'string') {
    return {
      error:
        'Malformed input request: #/outputConfig/textFormat: required key [structure] not found or type is not json_schema, please reformat your input and try again.',
    };
  }
  try {
    const schema = JSON.parse(structure.schema) as unknown;
    if (isObject(schema)) return { schema };
  } catch {
    // reported below
  }
  return { error: 'The provided JSON schema is invalid. Provide a valid JSON schema and try again.' };
}

export function converseAnswer(body: JsonObject): ConverseAnswer {
  const answer = converseAnswerWithoutReasoning(body);
  if (!thinkingEnabled(body)) return answer;
  const messages = Array.isArray(body.messages) ? body.messages.filter(isObject) : [];
  const text = `The user said: ${converseText(messages.at(-1)?.content)}`;
  return { ...answer, reasoning: { text, signature: reasoningSignature(text) }, outputTokens: answer.outputTokens + countTokens(text) };
}

function converseAnswerWithoutReasoning(body: JsonObject): ConverseAnswer {
  const messages = Array.isArray(body.messages) ? body.messages.filter(isObject) : [];
  const last = messages.at(-1);
  const lastBlocks = Array.isArray(last?.content) ? last.content : [];
  const afterToolResult = lastBlocks.some((block) => isObject(block) && isObject(block.toolResult));
  const userText = converseText(last?.content);
  const system = Array.isArray(body.system) ? converseText(body.system) : '';
  const inputTokens = Math.max(1, countTokens(system) + messages.reduce((sum, m) => sum + countTokens(converseText(m.content)), 0));
  const config = isObject(body.toolConfig) ? body.toolConfig : undefined;
  const choice = isObject(config?.toolChoice) ? config.toolChoice : {};
  const forced =
    isObject(choice.tool) && typeof choice.tool.name === 'string'
      ? choice.tool.name
      : isObject(choice.any)
        ? toolName(Array.isArray(config?.tools) ? config.tools[0] : undefined)
        : undefined;
  const tool = forced ?? (config && !afterToolResult && Array.isArray(config.tools) ? toolName(config.tools[0]) : undefined);
  if (tool !== undefined) {
    const input = { echo: userText };
    return {
      text: '',
      toolUse: { toolUseId: mockId('tooluse_'), name: tool, input },
      stopReason: 'tool_use',
      inputTokens,
      outputTokens: countTokens(JSON.stringify(input)),
    };
  }
  const { schema } = outputSchema(body);
  if (schema) {
    const text = JSON.stringify(sampleOf(schema, userText, inputTokens));
    return { text, stopReason: 'end_turn', inputTokens, outputTokens: countTokens(text) };
  }
  const inference = isObject(body.inferenceConfig) ? body.inferenceConfig : {};
  const { text, truncated } = truncateToTokens(echoAnswer(userText), inference.maxTokens);
  return { text, stopReason: truncated ? 'max_tokens' : 'end_turn', inputTokens, outputTokens: countTokens(text) };
}

const usageOf = (a: ConverseAnswer) => ({ inputTokens: a.inputTokens, outputTokens: a.outputTokens, totalTokens: a.inputTokens + a.outputTokens });

/** The Converse JSON answer. */
export function converseResponse(answer: ConverseAnswer): JsonObject {
  const reasoning = answer.reasoning ? [{ reasoningContent: { reasoningText: answer.reasoning } }] : [];
  const content = [...reasoning, ...(answer.toolUse ? [{ toolUse: answer.toolUse }] : [{ text: answer.text }])];
  return { output: { message: { role: 'assistant', content } }, stopReason: answer.stopReason, usage: usageOf(answer), metrics: { latencyMs: 42 } };
}

/** The messages of a streamed Converse answer; `contentStart` is the index of the first contentBlockDelta. */
export function converseStreamMessages(answer: ConverseAnswer): { messages: Uint8Array[]; contentStart: number } {
  const reasoning = answer.reasoning
    ? [
        ...splitIntoPieces(answer.reasoning.text).map((text) =>
          message('event', 'contentBlockDelta', { contentBlockIndex: 0, delta: { reasoningContent: { text } } }),
        ),
        message('event', 'contentBlockDelta', { contentBlockIndex: 0, delta: { reasoningContent: { signature: answer.reasoning.signature } } }),
        message('event', 'contentBlockStop', { contentBlockIndex: 0 }),
      ]
    : [];
  const index = answer.reasoning ? 1 : 0;
  const blocks = answer.toolUse
    ? [
        message('event', 'contentBlockStart', {
          contentBlockIndex: index,
          start: { toolUse: { toolUseId: answer.toolUse.toolUseId, name: answer.toolUse.name } },
        }),
        ...splitIntoPieces(JSON.stringify(answer.toolUse.input)).map((input) =>
          message('event', 'contentBlockDelta', { contentBlockIndex: index, delta: { toolUse: { input } } }),
        ),
      ]
    : splitIntoPieces(answer.text).map((text) => message('event', 'contentBlockDelta', { contentBlockIndex: index, delta: { text } }));
  return {
    messages: [
      message('event', 'messageStart', { role: 'assistant' }),
      ...reasoning,
      ...blocks,
      message('event', 'contentBlockStop', { contentBlockIndex: index }),
      message('event', 'messageStop', { stopReason: answer.stopReason }),
      message('event', 'metadata', { usage: usageOf(answer), metrics: { latencyMs: 42 } }),
    ],
    contentStart: answer.toolUse && !answer.reasoning ? 2 : 1,
  };
}

const CONVERSE_FIELDS = new Set([
  'messages',
  'system',
  'inferenceConfig',
  'toolConfig',
  'additionalModelRequestFields',
  'additionalModelResponseFieldPaths',
  'guardrailConfig',
  'outputConfig',
  'performanceConfig',
  'promptVariables',
  'requestMetadata',
]);

/** What Converse refuses with a ValidationException before answering (the checks real requests fail most). */
export function converseValidationError(body: JsonObject): string | undefined {
  const extra = Object.keys(body).find((key) => !CONVERSE_FIELDS.has(key));
  if (extra !== undefined) return `Malformed input request: extraneous key [${extra}] is not permitted, please reformat your input and try again.`;
  if (!Array.isArray(body.messages) || body.messages.length === 0)
    return 'A conversation must start with a user message. Try again with a conversation that starts with a user message.';
  let expected = 'user';
  for (const m of body.messages) {
    if (!isObject(m) || m.role !== expected)
      return 'A conversation must alternate between user and assistant roles. Make sure the conversation alternates between user and assistant roles and try again.';
    expected = expected === 'user' ? 'assistant' : 'user';
  }
  return outputSchema(body).error ?? reasoningError(body);
}

/** Anthropic's checks of reasoning sent back (Converse relays them as ValidationExceptions). */
function reasoningError(body: JsonObject): string | undefined {
  const messages = (body.messages as unknown[]).filter(isObject);
  for (const [i, m] of messages.entries()) {
    const content = Array.isArray(m.content) ? m.content.filter(isObject) : [];
    for (const [j, block] of content.entries()) {
      const text = isObject(block.reasoningContent) && isObject(block.reasoningContent.reasoningText) ? block.reasoningContent.reasoningText : undefined;
      if (text && (typeof text.text !== 'string' || text.signature !== reasoningSignature(text.text))) {
        return `messages.${i}.content.${j}: Invalid \`signature\` in \`thinking\` block`;
      }
    }
  }
  const lastAssistant = messages.findLast((m) => m.role === 'assistant');
  const blocks = Array.isArray(lastAssistant?.content) ? lastAssistant.content.filter(isObject) : [];
  if (thinkingEnabled(body) && blocks.some((block) => isObject(block.toolUse)) && !isObject(blocks[0]?.reasoningContent)) {
    return 'Expected `thinking` or `redacted_thinking`, but found `tool_use`. When `thinking` is enabled, a final `assistant` message must start with a thinking block (preceeding the lastmost set of `tool_use` and `tool_result` blocks).';
  }
  return undefined;
}
