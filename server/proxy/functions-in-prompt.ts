/**
 * LiteLLM's `add_function_to_prompt` (litellm_settings, a deployment's litellm_params, or `--add_function_to_prompt`):
 * a provider without tools (the flat-prompt ones: TGI's /generate, Replicate, SageMaker TGI) gets the request's
 * function definitions as text at the end of its system prompt, and `tools`, `tool_choice` (and the older
 * `functions`, `function_call`) are left out — instead of the 400 naming `tools`. Whether the provider takes tools
 * is its own adapter's decision: the request is folded only when building it refuses one of these parameters, so
 * this file holds no list of providers.
 */
import { GatewayError } from '../core/errors.ts';
import type { CallContext, EndpointAdapter } from '../providers/types.ts';

const TOOL_FIELDS = ['tools', 'tool_choice', 'parallel_tool_calls', 'functions', 'function_call'] as const;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The function definitions of `tools` (type function) and of the older `functions`. */
function functionDefinitions(body: Record<string, unknown>): Record<string, unknown>[] {
  const fromTools = Array.isArray(body.tools) ? body.tools.filter(isRecord).map((tool) => (isRecord(tool.function) ? tool.function : tool)) : [];
  const fromFunctions = Array.isArray(body.functions) ? body.functions.filter(isRecord) : [];
  return [...fromTools, ...fromFunctions];
}

/** What tool_choice / function_call asks of the model, as a sentence ('' when it leaves the choice to the model). */
function choiceSentence(body: Record<string, unknown>): string {
  const choice = body.tool_choice ?? body.function_call;
  if (choice === 'required' || choice === 'any') return '\nYou must call one of these functions.';
  if (isRecord(choice)) {
    const name = isRecord(choice.function) ? choice.function.name : choice.name;
    if (typeof name === 'string') return `\nYou must call the function \`${name}\`.`;
  }
  return '';
}

/** The text added to the system prompt: how to call, then one JSON definition per line. */
export function functionsPromptText(body: Record<string, unknown>): string {
  const definitions = functionDefinitions(body).map((definition) => JSON.stringify(definition));
  return (
    'You can call these functions. To call one, answer with only a JSON object ' +
    '{"name": "<function name>", "arguments": {<argument name>: <value>, …}} and nothing else.' +
    `${choiceSentence(body)}\nFunctions:\n${definitions.join('\n')}`
  );
}

/**
 * The body with its function definitions in the system prompt: appended to the first system (or developer)
 * message, or as a new system message first when there is none; every tool field left out.
 */
export function foldFunctionsIntoPrompt(body: Record<string, unknown>): Record<string, unknown> {
  const text = functionsPromptText(body);
  const messages = Array.isArray(body.messages) ? [...body.messages] : [];
  const at = messages.findIndex((m) => isRecord(m) && (m.role === 'system' || m.role === 'developer'));
  if (at < 0) messages.unshift({ role: 'system', content: text });
  else {
    const system = messages[at] as Record<string, unknown>;
    const content = system.content;
    messages[at] = {
      ...system,
      content: Array.isArray(content) ? [...content, { type: 'text', text: `\n\n${text}` }] : `${typeof content === 'string' ? content : ''}\n\n${text}`,
    };
  }
  const folded: Record<string, unknown> = { ...body, messages };
  for (const field of TOOL_FIELDS) delete folded[field];
  return folded;
}

const carriesFunctions = (body: Record<string, unknown>) => functionDefinitions(body).length > 0;

/**
 * The call's context, folded when the deployment asks for it and its adapter refuses the function definitions
 * themselves (`tools` / `functions`). The adapter is asked without the choice fields (a provider that takes tools
 * but not this tool_choice keeps its own 400) and as if drop_params were off (dropping the tools silently is what
 * add_function_to_prompt replaces). Any other refusal is left for the real build, which throws it where errors are
 * handled.
 */
export function withFunctionsInPromptWhenRefused(adapter: EndpointAdapter, ctx: CallContext): CallContext {
  if (!ctx.deployment.addFunctionToPrompt || ctx.endpoint !== 'chat' || !carriesFunctions(ctx.body)) return ctx;
  const { tool_choice: _choice, function_call: _call, parallel_tool_calls: _parallel, ...definitionsOnly } = ctx.body;
  try {
    adapter.buildRequest({ ...ctx, body: definitionsOnly, deployment: { ...ctx.deployment, dropParams: false } });
    return ctx;
  } catch (err) {
    if (err instanceof GatewayError && (err.param === 'tools' || err.param === 'functions')) return { ...ctx, body: foldFunctionsIntoPrompt(ctx.body) };
    return ctx;
  }
}
