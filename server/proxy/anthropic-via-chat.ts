/**
 * The translated path of the inbound Messages API: an Anthropic request for a deployment whose provider
 * is not Anthropic runs as an ordinary chat call (prepareCallFor → callForJson / the upstream stream),
 * and the answer is translated back into an Anthropic message or event stream.
 */
import type { AnswerContext } from '../providers/anthropic/inbound/response-from-openai.ts';
import { toAnthropicMessage } from '../providers/anthropic/inbound/response-from-openai.ts';
import { toOpenAIChatBody, type ChatTarget } from '../providers/anthropic/inbound/request-to-openai.ts';
import { AnthropicEventStream } from '../providers/anthropic/inbound/stream-from-openai.ts';
import { getProvider } from '../providers/registry.ts';
import type { Deployment, Usage } from '../providers/types.ts';
import { loadPriceTable } from '../prices/price-table.ts';
import { callForJson, prepareCallFor, withoutGatewayFields, type PreparedCall } from './call.ts';
import type { CallLifetime } from './call-lifetime.ts';
import { openChunkStream } from './chunk-stream.ts';

/** A chat call made from a Messages request, with what translating its answer back needs. */
export interface ChatCall extends PreparedCall {
  answer: AnswerContext;
}

/** OpenAI's own API (on OpenAI or Azure): chat `file` parts (base64 PDFs), and its reasoning models' rules. */
const OPENAI_APIS = new Set(['openai', 'azure']);

/**
 * Whether the model reasons: model_info.supports_reasoning when the config says, else the bundled table's
 * entry (the names the price book tries); a model the table does not know gets the benefit of the doubt and
 * its provider decides.
 */
function reasons(deployment: Deployment): boolean {
  const said = deployment.modelInfo.supports_reasoning;
  if (typeof said === 'boolean') return said;
  const table = loadPriceTable();
  const base = deployment.modelInfo.base_model;
  const names = [...(typeof base === 'string' ? [base] : []), `${deployment.provider}/${deployment.upstreamModel}`, deployment.upstreamModel];
  for (const name of names) {
    const entry = table.get(name);
    if (entry) return entry.supports_reasoning === true;
  }
  return true;
}

/** What `deployment` can take, for translating a Messages request into its chat call. */
export function chatTargetOf(deployment: Deployment): ChatTarget {
  const provider = getProvider(deployment.provider);
  const reasoning = reasons(deployment);
  // OpenAI's own reasoning models (on OpenAI or Azure) have a fixed sampling and a max_completion_tokens.
  const openaiReasoning = reasoning && OPENAI_APIS.has(deployment.provider);
  return {
    deployment,
    providerLabel: provider?.label ?? deployment.provider,
    accepts: new Set(provider?.requestParams.accepted ?? []),
    reasons: reasoning,
    takesFiles: OPENAI_APIS.has(deployment.provider),
    maxTokensField: openaiReasoning ? 'max_completion_tokens' : 'max_tokens',
    defaultSamplingOnly: openaiReasoning,
  };
}

/** The chat call for `deployment` (the router picked it for `modelGroup`). */
export function prepareChatCall(deployment: Deployment, modelGroup: string, body: Record<string, unknown>, requestId: string): ChatCall {
  // The gateway's own fields (fallbacks, num_retries, …) steered the router; they are not the provider's parameters.
  const chatBody = { ...toOpenAIChatBody(withoutGatewayFields(body), chatTargetOf(deployment)), model: modelGroup };
  const stopSequences = Array.isArray(body.stop_sequences) ? body.stop_sequences.filter((s): s is string => typeof s === 'string') : [];
  const answer = { model: String(body.model), requestId, stopSequences };
  return { ...prepareCallFor(deployment, modelGroup, 'chat', chatBody, requestId), answer };
}

export async function messageViaChat(call: ChatCall, lifetime: CallLifetime): Promise<Record<string, unknown>> {
  const { body } = await callForJson(call, lifetime);
  return toAnthropicMessage(body, call.answer);
}

export interface EventStream {
  frames: AsyncIterable<string>;
  toError(err: unknown): Error;
  close(): void;
}

/** Resolves once the upstream stream is open; its frames are Anthropic's events, usage recorded on the call. */
export async function eventsViaChat(call: ChatCall, lifetime: CallLifetime): Promise<EventStream> {
  const stream = await openChunkStream(call, lifetime);
  async function* frames(): AsyncGenerator<string> {
    const events = new AnthropicEventStream(call.answer);
    yield events.start();
    for await (const chunk of stream.chunks) {
      if (chunk.usage && typeof chunk.usage === 'object') call.usage = chunk.usage as Usage;
      const out = events.push(chunk);
      if (out) yield out;
    }
    yield events.end();
  }
  return { frames: frames(), toError: stream.toError, close: stream.close };
}
