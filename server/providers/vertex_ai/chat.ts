/**
 * The chat endpoint of a Vertex deployment: Claude models through the Anthropic transforms at `:rawPredict`,
 * every other model through Gemini's at `:generateContent`. The model decides, once per call.
 */
import { translateMessageResponse } from '../anthropic/response.ts';
import { createAnthropicStreamTranslator } from '../anthropic/stream.ts';
import type { CallContext, EndpointAdapter } from '../types.ts';
import { buildVertexClaudeRequest, isClaude } from './claude.ts';
import { vertexGemini } from './gemini.ts';

const claude: EndpointAdapter = {
  buildRequest: buildVertexClaudeRequest,
  translateResponse: translateMessageResponse,
  createStreamTranslator: createAnthropicStreamTranslator,
};

const adapterFor = (ctx: CallContext): EndpointAdapter => (isClaude(ctx.deployment.upstreamModel) ? claude : vertexGemini);

export const vertexChat = {
  buildRequest: (ctx: CallContext) => adapterFor(ctx).buildRequest(ctx),
  translateResponse: (upstream: unknown, ctx: CallContext) =>
    (adapterFor(ctx).translateResponse as NonNullable<EndpointAdapter['translateResponse']>)(upstream, ctx),
  createStreamTranslator: (ctx: CallContext) => (adapterFor(ctx).createStreamTranslator as NonNullable<EndpointAdapter['createStreamTranslator']>)(ctx),
} satisfies EndpointAdapter;
