/**
 * The chat endpoint of a Vertex deployment: Claude models through the Anthropic transforms at `:rawPredict`, Mistral's
 * at their `:rawPredict` and Model Garden's `publisher/model` MaaS models (Llama, …) or deployed endpoints at the
 * OpenAI-compatible endpoint — both OpenAI-shaped, so untranslated — and every other model through Gemini's
 * transforms at `:generateContent`. The model decides, once per call.
 */
import { translateMessageResponse } from '../anthropic/response.ts';
import { createAnthropicStreamTranslator } from '../anthropic/stream.ts';
import type { CallContext, EndpointAdapter, StreamFrame, StreamTranslator } from '../types.ts';
import { buildVertexClaudeRequest, isClaude } from './claude.ts';
import { vertexGemini } from './gemini.ts';
import { isMistral, vertexMistral } from './partner-mistral.ts';
import { isOpenapiModel, vertexOpenapi } from './partner-openapi.ts';

const claude: EndpointAdapter = {
  buildRequest: buildVertexClaudeRequest,
  translateResponse: translateMessageResponse,
  createStreamTranslator: createAnthropicStreamTranslator,
};

/** The adapter of the deployment's model family (Mistral before the `publisher/model` test: `mistralai/codestral-2` is Mistral's). */
export function vertexChatAdapter(model: string): EndpointAdapter {
  if (isClaude(model)) return claude;
  if (isMistral(model)) return vertexMistral;
  if (isOpenapiModel(model)) return vertexOpenapi;
  return vertexGemini;
}

const adapterFor = (ctx: CallContext): EndpointAdapter => vertexChatAdapter(ctx.deployment.upstreamModel);

export const vertexChat = {
  buildRequest: (ctx: CallContext) => adapterFor(ctx).buildRequest(ctx),
  // An OpenAI-shaped family has no translation: its answer is the OpenAI body already.
  translateResponse: (upstream: unknown, ctx: CallContext) => adapterFor(ctx).translateResponse?.(upstream, ctx) ?? (upstream as Record<string, unknown>),
  // Undefined for an OpenAI-shaped family: the proxy then relays its chunks without re-serialising (call.ts, completions-via-chat.ts).
  createStreamTranslator: (ctx: CallContext) => adapterFor(ctx).createStreamTranslator?.(ctx) as StreamTranslator<StreamFrame>,
} satisfies EndpointAdapter;
