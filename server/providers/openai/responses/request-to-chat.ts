/**
 * A Responses API request → the OpenAI chat-completions body the gateway's pipeline calls every non-OpenAI
 * provider with (openai/ and azure/ deployments take Responses requests natively and never come here).
 *
 * Carried: instructions (the first system message; an earlier response's instructions are not, as the API
 * says), the conversation, function and custom tools (also from namespaces and additional_tools items, see
 * tool-catalog.ts), tool_choice, parallel_tool_calls, reasoning.effort, text.format, max_output_tokens,
 * temperature, top_p, user, safety_identifier, prompt_cache_key, stream. Hosted tools are left out.
 * Consumed here and not sent: metadata, store, include, previous_response_id, truncation, stream_options,
 * reasoning.summary, text.verbosity (not a chat setting most providers take), top_logprobs.
 * Refused (400): what only OpenAI's own Responses service can do and a client relies on — a tool_choice forcing
 * a hosted tool, background mode, conversations, stored prompts. Unknown fields are ignored.
 */
import { badRequest } from '../../../core/errors.ts';
import { conversationFrom, inputItemsOf } from './items.ts';
import { chatMessagesOf } from './items-to-messages.ts';
import { type ChatTool, ToolCatalog } from './tool-catalog.ts';
import { HOSTED_ONLY, type Item, isRecord } from './wire.ts';

/**
 * `history`: the items of the `previous_response_id` chain (conversationFrom(chain, [])), [] without one.
 * `stored`: items by id for this request's `item_reference`s that are not in the chain (see referencedItemIds).
 * `inputItems`: this request's items as inputItemsOf(body) made them — pass the ones you store, so the ids
 * match; by default they are made from `body.input` here.
 */
export function responsesRequestToChat(
  body: Record<string, unknown>,
  history: readonly Item[] = [],
  stored?: ReadonlyMap<string, Item>,
  inputItems: readonly Item[] = inputItemsOf(body),
): Record<string, unknown> {
  refuseOpenAIOnly(body);
  const items = conversationFrom([{ inputItems: history, output: [] }], inputItems, stored);
  const catalog = ToolCatalog.from(body.tools, items);
  const messages = chatMessagesOf(items, history.length, catalog);
  if (typeof body.instructions === 'string' && body.instructions !== '') messages.unshift({ role: 'system', content: body.instructions });
  const out: Record<string, unknown> = { model: body.model, messages };
  Object.assign(out, toolFields(catalog, body.tool_choice, body.parallel_tool_calls));
  for (const name of ['temperature', 'top_p'] as const) if (typeof body[name] === 'number') out[name] = body[name];
  if (typeof body.max_output_tokens === 'number') out.max_completion_tokens = body.max_output_tokens;
  for (const name of ['user', 'safety_identifier', 'prompt_cache_key'] as const) if (typeof body[name] === 'string') out[name] = body[name];
  if (isRecord(body.reasoning) && typeof body.reasoning.effort === 'string') out.reasoning_effort = body.reasoning.effort;
  const responseFormat = responseFormatOf(body.text);
  if (responseFormat) out.response_format = responseFormat;
  if (body.stream === true) {
    out.stream = true;
    // The closing response.completed event carries usage; chat streams send it only when asked.
    out.stream_options = { include_usage: true };
  }
  return out;
}

function refuseOpenAIOnly(body: Record<string, unknown>): void {
  if (body.background === true) throw badRequest(`Background responses are ${HOSTED_ONLY}.`, 'background');
  if (body.conversation !== undefined && body.conversation !== null)
    throw badRequest(`Conversations are ${HOSTED_ONLY}; use previous_response_id.`, 'conversation');
  if (body.prompt !== undefined && body.prompt !== null) throw badRequest(`Stored prompts are ${HOSTED_ONLY}.`, 'prompt');
}

function toolFields(catalog: ToolCatalog, choice: unknown, parallel: unknown): Record<string, unknown> {
  let chatTools = catalog.chatTools();
  let toolChoice: unknown;
  if (choice !== undefined && choice !== null) {
    const mapped = chatToolChoice(choice, catalog, chatTools);
    chatTools = mapped.tools;
    toolChoice = mapped.choice;
  }
  // Chat refuses tool_choice and parallel_tool_calls without tools, so they travel only beside them.
  if (chatTools.length === 0) return {};
  const out: Record<string, unknown> = { tools: chatTools };
  if (toolChoice !== undefined) out.tool_choice = toolChoice;
  if (typeof parallel === 'boolean') out.parallel_tool_calls = parallel;
  return out;
}

/**
 * Responses tool_choice → chat. Forcing a hosted tool cannot be honoured: 400. `allowed_tools` has no portable
 * chat form: the tools outside the allowed list are left out of the request and its mode becomes the choice.
 */
function chatToolChoice(choice: unknown, catalog: ToolCatalog, tools: ChatTool[]): { choice: unknown; tools: ChatTool[] } {
  if (choice === 'auto' || choice === 'none' || choice === 'required') return { choice, tools };
  if (!isRecord(choice)) throw badRequest("Invalid value for 'tool_choice': expected auto, none, required or an object.", 'tool_choice');
  if (choice.type === 'function' || choice.type === 'custom') {
    if (typeof choice.name !== 'string') throw badRequest("Missing required parameter: 'tool_choice.name'.", 'tool_choice.name');
    const tool = catalog.firstNamed(choice.name, choice.type);
    if (!tool) throw badRequest(`Tool choice '${choice.name}' not found in 'tools' parameter.`, 'tool_choice');
    return { choice: { type: 'function', function: { name: tool.chatName } }, tools };
  }
  if (choice.type === 'allowed_tools') {
    const allowed = new Set<string>();
    for (const tool of Array.isArray(choice.tools) ? choice.tools : []) {
      if (!isRecord(tool) || (tool.type !== 'function' && tool.type !== 'custom') || typeof tool.name !== 'string') continue;
      const found = catalog.firstNamed(tool.name, tool.type);
      if (found) allowed.add(found.chatName);
    }
    const mode = choice.mode === 'required' ? 'required' : 'auto';
    return { choice: mode, tools: tools.filter((tool) => isRecord(tool.function) && allowed.has(String(tool.function.name))) };
  }
  throw badRequest(`The tool_choice type '${String(choice.type)}' is ${HOSTED_ONLY}.`, 'tool_choice.type');
}

function responseFormatOf(text: unknown): Record<string, unknown> | undefined {
  if (!isRecord(text) || !isRecord(text.format)) return undefined;
  const format = text.format;
  switch (format.type) {
    case 'text':
      return undefined;
    case 'json_object':
      return { type: 'json_object' };
    case 'json_schema': {
      if (typeof format.name !== 'string') throw badRequest("Missing required parameter: 'text.format.name'.", 'text.format.name');
      if (!isRecord(format.schema)) throw badRequest("Missing required parameter: 'text.format.schema'.", 'text.format.schema');
      const schema: Record<string, unknown> = { name: format.name, schema: format.schema };
      if (typeof format.description === 'string') schema.description = format.description;
      if (typeof format.strict === 'boolean') schema.strict = format.strict;
      return { type: 'json_schema', json_schema: schema };
    }
    default:
      throw badRequest("Invalid value for 'text.format.type': expected one of text, json_object, json_schema.", 'text.format.type');
  }
}
