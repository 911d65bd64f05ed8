/**
 * Anthropic Messages request → OpenAI chat completion body, for deployments whose provider is not
 * Anthropic. Only fields with an OpenAI meaning are carried; Anthropic-only ones (top_k, thinking,
 * service_tier, container, mcp_servers, cache_control, …) are left out because OpenAI-compatible
 * servers reject fields they do not know, and none of them changes what a valid answer looks like.
 */
import { badRequest } from '../../../core/errors.ts';
import { isRecord } from '../wire.ts';
import { toOpenAIMessages } from './messages-to-openai.ts';

export function toOpenAIChatBody(body: Record<string, unknown>): Record<string, unknown> {
  const messages = Array.isArray(body.messages) ? body.messages : [];
  const out: Record<string, unknown> = {
    model: body.model,
    messages: toOpenAIMessages(body.system, messages),
    max_tokens: body.max_tokens,
  };
  for (const name of ['temperature', 'top_p'] as const) {
    if (typeof body[name] === 'number') out[name] = body[name];
  }
  if (Array.isArray(body.stop_sequences) && body.stop_sequences.length > 0) out.stop = body.stop_sequences;
  if (isRecord(body.metadata) && typeof body.metadata.user_id === 'string') out.user = body.metadata.user_id;
  Object.assign(out, toolFields(body.tools, body.tool_choice));
  if (body.stream === true) {
    out.stream = true;
    // Usage arrives in the last chunk only when asked for; the message_delta event needs it.
    out.stream_options = { include_usage: true };
  }
  return out;
}

function toolFields(tools: unknown, choice: unknown): Record<string, unknown> {
  if (tools === undefined || tools === null) return {};
  if (!Array.isArray(tools)) throw badRequest('tools: must be an array.', 'tools');
  if (tools.length === 0) return {};
  const out: Record<string, unknown> = { tools: tools.map((tool: unknown, i) => toOpenAITool(tool, `tools.${i}`)) };
  if (choice === undefined || choice === null) return out;
  if (!isRecord(choice)) throw badRequest('tool_choice: must be an object.', 'tool_choice');
  switch (choice.type) {
    case 'auto':
      out.tool_choice = 'auto';
      break;
    case 'any':
      out.tool_choice = 'required';
      break;
    case 'none':
      out.tool_choice = 'none';
      break;
    case 'tool':
      if (typeof choice.name !== 'string') throw badRequest('tool_choice.name: Field required.', 'tool_choice.name');
      out.tool_choice = { type: 'function', function: { name: choice.name } };
      break;
    default:
      throw badRequest('tool_choice.type: must be one of auto, any, tool, none.', 'tool_choice.type');
  }
  if (choice.disable_parallel_tool_use === true && choice.type !== 'none') out.parallel_tool_calls = false;
  return out;
}

/**
 * Client tools (no type, or `custom`) become function tools. Anthropic's server and versioned tools
 * (web_search_…, bash_…, text_editor_…) run inside Anthropic's API, so no other provider can honour them.
 */
function toOpenAITool(tool: unknown, at: string): Record<string, unknown> {
  if (!isRecord(tool) || typeof tool.name !== 'string') throw badRequest(`${at}.name: Field required.`, `${at}.name`);
  if (tool.type !== undefined && tool.type !== null && tool.type !== 'custom') {
    throw badRequest(`${at}.type: the Anthropic tool \`${String(tool.type)}\` only runs on Anthropic; this model's provider is not Anthropic.`, `${at}.type`);
  }
  const fn: Record<string, unknown> = {
    name: tool.name,
    parameters: isRecord(tool.input_schema) ? tool.input_schema : { type: 'object', properties: {} },
  };
  if (typeof tool.description === 'string') fn.description = tool.description;
  return { type: 'function', function: fn };
}
