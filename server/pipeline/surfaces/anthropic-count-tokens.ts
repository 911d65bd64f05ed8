/**
 * /v1/messages/count_tokens: routed like a message (retries, fallbacks, cooldowns), but not billed and not
 * queued. An Anthropic deployment counts natively (its answer relayed as is), and so does Claude on a provider with
 * a native count of its own (Vertex AI's count-tokens:rawPredict, see its claude-native.ts); for any other the
 * gateway estimates with its own tokenizer (the one spend estimates use): system prompt, every message
 * (`role: "system"` ones included) and the tool definitions.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { documentTokens } from '../../providers/anthropic/inbound/count-tokens.ts';
import { forwardNativeJson, nativeMessagesRequest } from '../../proxy/anthropic-native.ts';
import { requestedModel, withoutGatewayFields } from '../../proxy/call.ts';
import type { Answer, Surface, SurfaceCall } from '../surface.ts';
import { writeAnthropicEvents } from './anthropic-messages.ts';
import { countPromptTokens } from '../../spend/tokenizer.ts';

type Body = Record<string, unknown>;

/** The tokenizer's count of system, messages and tools, plus the documents it cannot read; never zero. */
function estimatedInputTokens(body: Body): number {
  return Math.max(1, countPromptTokens('messages', body) + documentTokens(body));
}

export function anthropicCountTokensSurface(body: Body, clientHeaders: IncomingHttpHeaders): Surface<SurfaceCall, never> {
  let forwarded: Body | undefined;
  return {
    billedAs: undefined,
    stream: false,
    model: requestedModel(body),
    prepare: (deployment, modelGroup) => {
      forwarded ??= withoutGatewayFields(body);
      const upstreamRequest = nativeMessagesRequest(deployment, 'count_tokens', forwarded, clientHeaders);
      return upstreamRequest ? { deployment, modelGroup, upstreamRequest } : { deployment, modelGroup };
    },
    attempt: async (call, lifetime): Promise<Answer<never>> => {
      if (!call.upstreamRequest) return { kind: 'json', status: 200, body: { input_tokens: estimatedInputTokens(body) } };
      const answer = await forwardNativeJson(call.upstreamRequest, call.deployment, lifetime);
      return { kind: 'json', status: answer.status, headers: answer.headers, body: answer.text };
    },
    writeStream: writeAnthropicEvents,
  };
}
