/**
 * OpenAI chat request → Bedrock Converse / ConverseStream request (`POST {runtime}/model/{modelId}/converse`,
 * `…/converse-stream`). https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html
 */
import { GatewayError } from '../../core/errors.ts';
import type { CallContext, Deployment, UpstreamRequest } from '../types.ts';
import { type ConverseMessage, toConverseConversation } from './messages.ts';
import { NATIVE_FIELDS, modelSpecificFields } from './params.ts';
import { RESPONSE_TOOL_NAME, type StructuredOutput, structuredOutput } from './structured-output.ts';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** reasoning_effort → an extended-thinking budget (Anthropic models on Bedrock take `thinking` as on Anthropic). */
const THINKING_BUDGET: Record<string, number> = { minimal: 1024, low: 1024, medium: 2048, high: 4096 };

/** A Bedrock API key (`api_key`, AWS_BEARER_TOKEN_BEDROCK) is a Bearer token, used instead of SigV4. */
export function bedrockKeyHeader(deployment: Deployment): Record<string, string> {
  return deployment.apiKey ? { authorization: `Bearer ${deployment.apiKey}` } : {};
}

/** `bedrock/converse/<model>` (LiteLLM's explicit route) names the same model as `bedrock/<model>`. */
export function modelUrl(deployment: Deployment, action: string): string {
  const model = deployment.upstreamModel.replace(/^(converse|invoke)\//, '');
  return `${deployment.apiBase}/model/${encodeURIComponent(model)}/${action}`;
}

function inferenceConfig(body: Record<string, unknown>): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  const maxTokens = body.max_completion_tokens ?? body.max_tokens;
  if (typeof maxTokens === 'number') config.maxTokens = maxTokens;
  if (typeof body.temperature === 'number') config.temperature = body.temperature;
  if (typeof body.top_p === 'number') config.topP = body.top_p;
  if (typeof body.stop === 'string') config.stopSequences = [body.stop];
  else if (Array.isArray(body.stop)) config.stopSequences = body.stop;
  return config;
}

function toolSpecs(tools: unknown): Record<string, unknown>[] {
  if (!Array.isArray(tools)) return [];
  return tools.filter(isRecord).map((tool, i) => {
    const fn = isRecord(tool.function) ? tool.function : undefined;
    if (tool.type !== 'function' || !fn || typeof fn.name !== 'string') {
      throw new GatewayError(400, `tools[${i}]: Bedrock takes function tools only.`, { param: `tools[${i}]` });
    }
    return {
      toolSpec: {
        name: fn.name,
        ...(typeof fn.description === 'string' && fn.description ? { description: fn.description } : {}),
        inputSchema: { json: isRecord(fn.parameters) ? fn.parameters : { type: 'object', properties: {} } },
      },
    };
  });
}

/**
 * Converse refuses toolUse / toolResult blocks without a toolConfig: a conversation that used tools but offers
 * none now declares the ones it used (with an open schema), as LiteLLM does.
 */
function toolsOfHistory(messages: ConverseMessage[]): Record<string, unknown>[] {
  const names = new Set<string>();
  let usedTools = false;
  for (const message of messages) {
    for (const block of message.content) {
      if (isRecord(block.toolUse) && typeof block.toolUse.name === 'string') names.add(block.toolUse.name);
      if (block.toolUse !== undefined || block.toolResult !== undefined) usedTools = true;
    }
  }
  if (!usedTools) return [];
  if (names.size === 0) names.add('tool');
  return [...names].map((name) => ({ toolSpec: { name, inputSchema: { json: { type: 'object', properties: {} } } } }));
}

/** tool_choice → Converse's toolChoice; `none` means no tools are offered at all (Converse has no "none"). */
function toolConfig(
  body: Record<string, unknown>,
  messages: ConverseMessage[],
  output: StructuredOutput,
  thinking: boolean,
): Record<string, unknown> | undefined {
  const offered = toolSpecs(body.tools);
  const choice = body.tool_choice;
  if (output.kind === 'tool') return answerToolConfig(offered, choice, output.toolSpec, thinking, messages);
  if (offered.length === 0 || choice === 'none') {
    const used = toolsOfHistory(messages);
    return used.length > 0 ? { tools: used } : undefined;
  }
  const tools = offered;
  if (choice === 'required') return { tools, toolChoice: { any: {} } };
  if (isRecord(choice) && isRecord(choice.function) && typeof choice.function.name === 'string') {
    return { tools, toolChoice: { tool: { name: choice.function.name } } };
  }
  return { tools, toolChoice: { auto: {} } };
}

/**
 * response_format through the answer tool. Alone, it is forced. Beside the client's tools (tool_choice auto or
 * required), the model must call one of them or the answer tool (`any`): it can still use tools, and its final
 * answer has the schema. A tool_choice naming a function forces that function this turn; `none` leaves only the
 * answer tool. Anthropic models refuse a forced tool while extended thinking is on, so then the choice is `auto`.
 */
function answerToolConfig(
  offered: Record<string, unknown>[],
  choice: unknown,
  answerTool: Record<string, unknown>,
  thinking: boolean,
  messages: ConverseMessage[],
): Record<string, unknown> {
  const clientTools = choice === 'none' ? [] : offered;
  const named = clientTools.map((tool) => (tool.toolSpec as { name: string }).name);
  const historyTools = toolsOfHistory(messages).filter(
    (tool) => !named.includes((tool.toolSpec as { name: string }).name) && (tool.toolSpec as { name: string }).name !== RESPONSE_TOOL_NAME,
  );
  const tools = [...clientTools, ...historyTools, { toolSpec: answerTool }];
  if (thinking) return { tools, toolChoice: { auto: {} } };
  if (clientTools.length === 0) return { tools, toolChoice: { tool: { name: RESPONSE_TOOL_NAME } } };
  if (isRecord(choice) && isRecord(choice.function) && typeof choice.function.name === 'string') {
    return { tools, toolChoice: { tool: { name: choice.function.name } } };
  }
  return { tools, toolChoice: { any: {} } };
}

function additionalFields(body: Record<string, unknown>, deployment: Deployment): Record<string, unknown> {
  const fields: Record<string, unknown> = { ...modelSpecificFields(body, deployment) };
  const effort = body.reasoning_effort;
  if (typeof effort === 'string' && effort !== 'none' && fields.thinking === undefined && /anthropic|claude/i.test(deployment.upstreamModel)) {
    fields.thinking = { type: 'enabled', budget_tokens: THINKING_BUDGET[effort] ?? THINKING_BUDGET.medium };
  }
  if (isRecord(body.additionalModelRequestFields)) Object.assign(fields, body.additionalModelRequestFields);
  return fields;
}

export function converseBody(ctx: CallContext): Record<string, unknown> {
  const { body, deployment } = ctx;
  const { system, messages } = toConverseConversation(body.messages);
  const out: Record<string, unknown> = { messages };
  if (system.length > 0) out.system = system;
  const inference = inferenceConfig(body);
  if (Object.keys(inference).length > 0) out.inferenceConfig = inference;
  const fields = additionalFields(body, deployment);
  const output = structuredOutput(body, deployment);
  const thinking = isRecord(fields.thinking) && fields.thinking.type !== 'disabled';
  const tools = toolConfig(body, messages, output, thinking);
  if (tools) out.toolConfig = tools;
  if (Object.keys(fields).length > 0) out.additionalModelRequestFields = fields;
  if (output.kind === 'native') out.outputConfig = output.outputConfig;
  for (const name of NATIVE_FIELDS) {
    if (name !== 'additionalModelRequestFields' && body[name] !== undefined) out[name] = body[name];
  }
  return out;
}

export function buildConverseRequest(ctx: CallContext): UpstreamRequest {
  return {
    url: modelUrl(ctx.deployment, ctx.stream ? 'converse-stream' : 'converse'),
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: ctx.stream ? 'application/vnd.amazon.eventstream' : 'application/json',
      ...bedrockKeyHeader(ctx.deployment),
      ...ctx.deployment.headers,
    },
    body: JSON.stringify(converseBody(ctx)),
  };
}
