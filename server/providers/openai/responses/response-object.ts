/**
 * The `Response` envelope: an answer's status, output and usage, with the request's settings echoed back the
 * way the API does (its defaults where the request left a setting out). Shared by the JSON answer and every
 * response.* stream event, so they agree field for field.
 */
import { type Item, type ResponseObject, isRecord } from './wire.ts';

export interface ResponseContext {
  /** `resp_…` */
  id: string;
  /** Unix seconds. */
  createdAt: number;
  /** The client's Responses request body. */
  request: Record<string, unknown>;
  /** The model name to answer with (the name the client asked for). */
  model: string;
  /**
   * The previous_response_id chain's items, when it has additional_tools items: their tools name the model's
   * calls too. Optional; the request's own tools and input are always read.
   */
  history?: readonly Item[] | undefined;
}

export type ResponseStatus = 'completed' | 'incomplete' | 'in_progress' | 'failed';

export interface ResponseState {
  status: ResponseStatus;
  output: Item[];
  /** A ResponseUsage; left out until known (the schema has no null usage). */
  usage?: Record<string, unknown> | undefined;
  /** Set for status failed. */
  error?: { code: string; message: string } | undefined;
  /** Set for status incomplete. */
  incompleteReason?: 'max_output_tokens' | 'content_filter' | undefined;
}

export function responseObject(ctx: ResponseContext, state: ResponseState): ResponseObject {
  const req = ctx.request;
  const reasoning = isRecord(req.reasoning) ? req.reasoning : {};
  const text = isRecord(req.text) ? req.text : {};
  const orNull = (value: unknown, type: string) => (typeof value === type ? value : null);
  return {
    id: ctx.id,
    object: 'response',
    created_at: ctx.createdAt,
    status: state.status,
    background: false,
    completed_at: state.status === 'completed' ? Math.floor(Date.now() / 1000) : null,
    error: state.error ?? null,
    incomplete_details: state.incompleteReason ? { reason: state.incompleteReason } : null,
    instructions: orNull(req.instructions, 'string'),
    max_output_tokens: orNull(req.max_output_tokens, 'number'),
    max_tool_calls: orNull(req.max_tool_calls, 'number'),
    model: ctx.model,
    output: state.output,
    parallel_tool_calls: typeof req.parallel_tool_calls === 'boolean' ? req.parallel_tool_calls : true,
    previous_response_id: orNull(req.previous_response_id, 'string'),
    prompt_cache_key: orNull(req.prompt_cache_key, 'string'),
    reasoning: { effort: orNull(reasoning.effort, 'string'), summary: orNull(reasoning.summary, 'string') },
    safety_identifier: orNull(req.safety_identifier, 'string'),
    service_tier: 'default',
    store: typeof req.store === 'boolean' ? req.store : true,
    temperature: typeof req.temperature === 'number' ? req.temperature : 1,
    text: { format: isRecord(text.format) ? text.format : { type: 'text' }, verbosity: typeof text.verbosity === 'string' ? text.verbosity : 'medium' },
    tool_choice: req.tool_choice ?? 'auto',
    tools: Array.isArray(req.tools) ? req.tools.map(echoTool) : [],
    top_logprobs: typeof req.top_logprobs === 'number' ? req.top_logprobs : 0,
    top_p: typeof req.top_p === 'number' ? req.top_p : 1,
    truncation: req.truncation === 'auto' ? 'auto' : 'disabled',
    ...(state.usage ? { usage: state.usage } : {}),
    ...(typeof req.user === 'string' ? { user: req.user } : {}),
    metadata: isRecord(req.metadata) ? req.metadata : {},
  };
}

/** A function tool as the API echoes it: description, parameters and strict always present (null when not given). */
function echoTool(tool: unknown): unknown {
  if (!isRecord(tool) || tool.type !== 'function') return tool;
  return {
    ...tool,
    description: tool.description ?? null,
    parameters: isRecord(tool.parameters) ? tool.parameters : null,
    strict: typeof tool.strict === 'boolean' ? tool.strict : null,
  };
}
