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
 */
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
  toolUse?: { toolUseId: string; name: string; input: JsonObject };
  stopReason: 'end_turn' | 'tool_use' | 'max_tokens';
  inputTokens: number;
  outputTokens: number;
}

function toolName(tool: unknown): string | undefined {
  return isObject(tool) && isObject(tool.toolSpec) && typeof tool.toolSpec.name === 'string' ? tool.toolSpec.name : undefined;
}

export function converseAnswer(body: JsonObject): ConverseAnswer {
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
  const inference = isObject(body.inferenceConfig) ? body.inferenceConfig : {};
  const { text, truncated } = truncateToTokens(echoAnswer(userText), inference.maxTokens);
  return { text, stopReason: truncated ? 'max_tokens' : 'end_turn', inputTokens, outputTokens: countTokens(text) };
}

const usageOf = (a: ConverseAnswer) => ({ inputTokens: a.inputTokens, outputTokens: a.outputTokens, totalTokens: a.inputTokens + a.outputTokens });

/** The Converse JSON answer. */
export function converseResponse(answer: ConverseAnswer): JsonObject {
  const content = answer.toolUse ? [{ toolUse: answer.toolUse }] : [{ text: answer.text }];
  return { output: { message: { role: 'assistant', content } }, stopReason: answer.stopReason, usage: usageOf(answer), metrics: { latencyMs: 42 } };
}

/** The messages of a streamed Converse answer; `contentStart` is the index of the first contentBlockDelta. */
export function converseStreamMessages(answer: ConverseAnswer): { messages: Uint8Array[]; contentStart: number } {
  const blocks = answer.toolUse
    ? [
        message('event', 'contentBlockStart', { contentBlockIndex: 0, start: { toolUse: { toolUseId: answer.toolUse.toolUseId, name: answer.toolUse.name } } }),
        ...splitIntoPieces(JSON.stringify(answer.toolUse.input)).map((input) =>
          message('event', 'contentBlockDelta', { contentBlockIndex: 0, delta: { toolUse: { input } } }),
        ),
      ]
    : splitIntoPieces(answer.text).map((text) => message('event', 'contentBlockDelta', { contentBlockIndex: 0, delta: { text } }));
  return {
    messages: [
      message('event', 'messageStart', { role: 'assistant' }),
      ...blocks,
      message('event', 'contentBlockStop', { contentBlockIndex: 0 }),
      message('event', 'messageStop', { stopReason: answer.stopReason }),
      message('event', 'metadata', { usage: usageOf(answer), metrics: { latencyMs: 42 } }),
    ],
    contentStart: answer.toolUse ? 2 : 1,
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
  return undefined;
}
