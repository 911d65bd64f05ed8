/**
 * OpenAI chat completion request → the body of a Gemini generateContent / streamGenerateContent request. The URL
 * and the credential are the caller's (AI Studio and Vertex AI put the model and the key in different places);
 * this is only the body, so both reuse it.
 */
import { badRequest } from '../../../core/errors.ts';
import { unsupportedParamError } from '../../request-params.ts';
import type { CallContext, Deployment } from '../../types.ts';
import { toGeminiConversation } from './contents.ts';
import { NATIVE_FIELDS, passThroughParams } from './params.ts';
import { toGeminiSchema } from './schema.ts';
import { toThinkingConfig } from './thinking.ts';
import { isRecord } from './wire.ts';

/** OpenAI name → generationConfig name, for the settings that only change their name. */
const RENAMED: Readonly<Record<string, string>> = {
  temperature: 'temperature',
  top_p: 'topP',
  top_k: 'topK',
  n: 'candidateCount',
  presence_penalty: 'presencePenalty',
  frequency_penalty: 'frequencyPenalty',
  seed: 'seed',
};

/** `label` names the provider in errors ("Gemini", "Vertex AI"). */
export function toGenerateContentBody(ctx: CallContext, label: string): Record<string, unknown> {
  const { body, deployment } = ctx;
  const payload: Record<string, unknown> = { ...passThroughParams(body, deployment, label) };
  for (const [name, native] of Object.entries(NATIVE_FIELDS)) {
    if (body[name] !== undefined && body[name] !== null) payload[native] = body[name];
  }
  Object.assign(payload, toGeminiConversation(body.messages));
  const config: Record<string, unknown> = { ...(isRecord(payload.generationConfig) ? payload.generationConfig : {}), ...generationConfig(body, deployment) };
  if (Object.keys(config).length > 0) payload.generationConfig = config;
  Object.assign(payload, toolParams(body, deployment, label));
  return payload;
}

function generationConfig(body: Record<string, unknown>, deployment: Deployment): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  for (const [name, native] of Object.entries(RENAMED)) {
    if (body[name] !== undefined && body[name] !== null) config[native] = body[name];
  }
  const maxTokens = body.max_completion_tokens ?? body.max_tokens;
  if (maxTokens !== undefined && maxTokens !== null) config.maxOutputTokens = maxTokens;
  const stop = toStopSequences(body.stop);
  if (stop) config.stopSequences = stop;
  Object.assign(config, responseFormat(body.response_format));
  const thinking = toThinkingConfig(body, deployment.upstreamModel);
  if (thinking) config.thinkingConfig = thinking;
  return config;
}

function toStopSequences(stop: unknown): string[] | undefined {
  if (stop === undefined || stop === null) return undefined;
  const list = typeof stop === 'string' ? [stop] : stop;
  if (!Array.isArray(list) || !list.every((s) => typeof s === 'string')) throw badRequest('`stop` must be a string or an array of strings.', 'stop');
  return list.length > 0 ? list : undefined;
}

/** response_format → responseMimeType, and the schema of json_schema → responseSchema. */
function responseFormat(format: unknown): Record<string, unknown> {
  if (format === undefined || format === null) return {};
  if (!isRecord(format)) throw badRequest('`response_format` must be an object.', 'response_format');
  switch (format.type) {
    case 'text':
      return {};
    case 'json_object':
      return { responseMimeType: 'application/json' };
    case 'json_schema': {
      const spec = isRecord(format.json_schema) ? format.json_schema : {};
      return spec.schema === undefined
        ? { responseMimeType: 'application/json' }
        : { responseMimeType: 'application/json', responseSchema: toGeminiSchema(spec.schema) };
    }
    default:
      throw badRequest('`response_format.type` must be "text", "json_object" or "json_schema".', 'response_format.type');
  }
}

/** tools and tool_choice → Gemini `tools` (one functionDeclarations list) and `toolConfig`. */
function toolParams(body: Record<string, unknown>, deployment: Deployment, label: string): Record<string, unknown> {
  if (body.tools === undefined || body.tools === null) return {};
  if (!Array.isArray(body.tools)) throw badRequest('`tools` must be an array.', 'tools');
  const declarations: Record<string, unknown>[] = [];
  const nativeTools: Record<string, unknown>[] = [];
  body.tools.forEach((tool: unknown, i) => {
    if (isRecord(tool) && tool.type === 'function') declarations.push(toDeclaration(tool.function, `tools[${i}]`));
    // A tool without an OpenAI type is one of Gemini's own (googleSearch, codeExecution, urlContext): sent as it is.
    else if (isRecord(tool) && tool.type === undefined) nativeTools.push(tool);
    else if (!deployment.dropParams) throw unsupportedParamError(label, `tools[${i}].type`, deployment);
  });
  const tools = [...(declarations.length > 0 ? [{ functionDeclarations: declarations }] : []), ...nativeTools];
  if (tools.length === 0) return {};
  const mode = toFunctionCalling(body.tool_choice);
  const existing = isRecord(body.toolConfig) ? body.toolConfig : {};
  return mode ? { tools, toolConfig: { ...existing, functionCallingConfig: mode } } : { tools };
}

function toDeclaration(fn: unknown, at: string): Record<string, unknown> {
  if (!isRecord(fn) || typeof fn.name !== 'string' || fn.name === '') throw badRequest(`${at}.function.name is required.`, `${at}.function.name`);
  const declaration: Record<string, unknown> = { name: fn.name };
  if (typeof fn.description === 'string') declaration.description = fn.description;
  // A function without parameters has none in Gemini too (an empty object schema is refused by some models).
  if (isRecord(fn.parameters) && isRecord(fn.parameters.properties) && Object.keys(fn.parameters.properties).length > 0) {
    declaration.parameters = toGeminiSchema(fn.parameters);
  }
  return declaration;
}

function toFunctionCalling(choice: unknown): Record<string, unknown> | undefined {
  if (choice === undefined || choice === null) return undefined;
  if (choice === 'auto') return { mode: 'AUTO' };
  if (choice === 'required') return { mode: 'ANY' };
  if (choice === 'none') return { mode: 'NONE' };
  if (isRecord(choice) && choice.type === 'function' && isRecord(choice.function) && typeof choice.function.name === 'string') {
    return { mode: 'ANY', allowedFunctionNames: [choice.function.name] };
  }
  throw badRequest('`tool_choice` must be "auto", "required", "none" or {"type":"function","function":{"name":…}}.', 'tool_choice');
}
