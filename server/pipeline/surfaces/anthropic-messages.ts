/**
 * The Anthropic Messages surface (/v1/messages), for Claude Code and the Anthropic SDKs. Per attempt, for the
 * deployment the router picked: an Anthropic deployment — or Claude on a provider whose descriptor builds Messages
 * requests natively (Vertex AI) — gets the request natively and its answer is relayed byte for byte (thinking
 * signatures, cache_control, betas intact); any other gets it translated into a chat call, whose answer is translated back.
 * So a fallback from an Anthropic deployment to an OpenAI-compatible one works like any other.
 *
 * Not cached: the response cache keeps and replays OpenAI answers only.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { errorEventFrame } from '../../providers/anthropic/inbound/errors.ts';
import type { Deployment, UpstreamRequest } from '../../providers/types.ts';
import { forwardNativeJson, forwardNativeStream, nativeMessagesRequest } from '../../proxy/anthropic-native.ts';
import { eventsViaChat, messageViaChat, prepareChatCall, type ChatCall } from '../../proxy/anthropic-via-chat.ts';
import { requestedModel, withoutGatewayFields } from '../../proxy/call.ts';
import type { CallLifetime } from '../../proxy/call-lifetime.ts';
import { writeEvents } from '../../proxy/event-writer.ts';
import type { Answer, StreamWriter, Surface, SurfaceCall } from '../surface.ts';

type Body = Record<string, unknown>;
type Frame = string | Uint8Array;

/** A call relayed natively to an Anthropic deployment (or Claude behind another provider's URL and auth). */
export interface NativeCall extends SurfaceCall {
  upstreamRequest: UpstreamRequest;
}

export type MessagesCall = NativeCall | ChatCall;

/** Anthropic's framing: events as they are, a late failure as one `event: error`, no end marker. */
export const writeAnthropicEvents: StreamWriter<Frame> = (res, frames, toError, beforeEnd) =>
  writeEvents(res, frames, { toError, errorFrame: errorEventFrame, beforeEnd });

type AnswerBlock = { type?: string; text?: unknown; thinking?: unknown; input?: unknown };

/** The generated text of an Anthropic message (thinking, text blocks, tool inputs): for a usage estimate. Thinking is billed as output. */
function messageText(message: unknown): string {
  const content = (message as { content?: AnswerBlock[] } | undefined)?.content ?? [];
  return content.map(blockText).join('');
}

function blockText(block: AnswerBlock): string {
  if (block.type === 'text' && typeof block.text === 'string') return block.text;
  if (block.type === 'thinking' && typeof block.thinking === 'string') return block.thinking;
  return block.type === 'tool_use' ? JSON.stringify(block.input ?? {}) : '';
}

function parsedOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

async function nativeAttempt(call: NativeCall, lifetime: CallLifetime, stream: boolean): Promise<Answer<Frame>> {
  if (!stream) {
    const answer = await forwardNativeJson(call.upstreamRequest, call.deployment, lifetime);
    call.usage = answer.usage;
    return {
      kind: 'json',
      status: answer.status,
      headers: answer.headers,
      body: answer.text,
      usage: answer.usage,
      completionText: () => messageText(parsedOrUndefined(answer.text)),
    };
  }
  const opened = await forwardNativeStream(call.upstreamRequest, call.deployment, lifetime);
  return { kind: 'stream', headers: opened.headers, frames: opened.frames, usage: opened.usage, toError: opened.toError, close: opened.close };
}

async function viaChatAttempt(call: ChatCall, lifetime: CallLifetime, stream: boolean): Promise<Answer<Frame>> {
  if (!stream) {
    const message = await messageViaChat(call, lifetime);
    return { kind: 'json', status: 200, body: message, usage: call.usage, completionText: () => messageText(message) };
  }
  const opened = await eventsViaChat(call, lifetime);
  return { kind: 'stream', frames: opened.frames, usage: () => call.usage, toError: opened.toError, close: opened.close };
}

/** `clientHeaders`: the client's anthropic-version and anthropic-beta reach a native deployment. */
export function anthropicMessagesSurface(body: Body, clientHeaders: IncomingHttpHeaders): Surface<MessagesCall, Frame> {
  const stream = body.stream === true;
  // The gateway's own fields (fallbacks, num_retries, timeout, …) steer the router; Anthropic would refuse them.
  let forwarded: Body | undefined;
  const prepare = (deployment: Deployment, modelGroup: string, requestId: string): MessagesCall => {
    forwarded ??= withoutGatewayFields(body);
    const upstreamRequest = nativeMessagesRequest(deployment, 'messages', forwarded, clientHeaders);
    return upstreamRequest ? { deployment, modelGroup, upstreamRequest } : prepareChatCall(deployment, modelGroup, body, requestId);
  };
  return {
    billedAs: 'messages',
    stream,
    model: requestedModel(body),
    prepare,
    attempt: (call, lifetime) => ('answer' in call ? viaChatAttempt(call, lifetime, stream) : nativeAttempt(call, lifetime, stream)),
    writeStream: writeAnthropicEvents,
  };
}
