/**
 * Gemini generateContent answer → OpenAI `chat.completion`. A prompt Gemini's safety filters blocked (no candidates,
 * promptFeedback.blockReason) is a content-policy error, so content_policy_fallbacks can take the call elsewhere; a
 * candidate stopped by them keeps what it said and finishes with `content_filter`. `label` names the provider.
 */
import { GatewayError } from '../../../core/errors.ts';
import type { CallContext } from '../../types.ts';
import { contentPolicyError } from './errors.ts';
import { toolCallId } from './tool-ids.ts';
import { toOpenAIUsage } from './usage.ts';
import type { GeminiCandidate, GeminiPart, GeminiResponse } from './wire.ts';
import { isRecord, toFinishReason } from './wire.ts';

export interface OpenAIToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export function translateGenerateContent(upstream: unknown, ctx: CallContext, label = 'Gemini'): Record<string, unknown> {
  if (!isRecord(upstream)) throw new GatewayError(502, `${label} returned a response that is not a generateContent answer.`, { type: 'upstream_error' });
  const answer = upstream as GeminiResponse;
  const candidates = Array.isArray(answer.candidates) ? answer.candidates : [];
  if (candidates.length === 0) throw blockedPromptError(answer, label);
  return {
    id: `chatcmpl-${answer.responseId ?? ctx.requestId}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: answer.modelVersion ?? ctx.deployment.upstreamModel,
    choices: candidates.map((candidate, position) => toChoice(candidate, position, ctx.requestId)),
    // No usage at all is reported as none, not as zero tokens, so the call is estimated rather than free.
    ...(isRecord(answer.usageMetadata) ? { usage: toOpenAIUsage(answer.usageMetadata) } : {}),
  };
}

/** The error for an answer without candidates: Gemini's safety block, or an answer that makes no sense. */
export function blockedPromptError(answer: GeminiResponse, label: string): GatewayError {
  const reason = answer.promptFeedback?.blockReason;
  if (reason) {
    const why = answer.promptFeedback?.blockReasonMessage ?? `the prompt was blocked (${reason})`;
    return contentPolicyError(`${label}: content policy: ${why}`);
  }
  return new GatewayError(502, `${label} returned an answer without candidates.`, { type: 'upstream_error' });
}

function toChoice(candidate: GeminiCandidate, position: number, requestId: string): Record<string, unknown> {
  const index = typeof candidate.index === 'number' ? candidate.index : position;
  const { content, reasoning, toolCalls } = readParts(candidate.content?.parts ?? [], `${requestId}:${index}`);
  const message: Record<string, unknown> = { role: 'assistant', content, refusal: null };
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  if (reasoning !== undefined) message.reasoning_content = reasoning;
  return {
    index,
    message,
    logprobs: null,
    finish_reason: toFinishReason(candidate.finishReason, toolCalls.length > 0) ?? 'stop',
  };
}

/** A candidate's parts: answer text, thought text, and function calls with their synthesised ids (tool-ids.ts). */
export function readParts(
  parts: readonly GeminiPart[],
  seed: string,
  firstCall = 0,
): { content: string | null; reasoning: string | undefined; toolCalls: OpenAIToolCall[] } {
  const texts: string[] = [];
  const thoughts: string[] = [];
  const toolCalls: OpenAIToolCall[] = [];
  for (const part of parts) {
    if (!isRecord(part)) continue;
    if (typeof part.text === 'string') (part.thought === true ? thoughts : texts).push(part.text);
    else if (isRecord(part.functionCall) && typeof part.functionCall.name === 'string') {
      const call = part.functionCall as NonNullable<GeminiPart['functionCall']>;
      toolCalls.push({
        id: toolCallId(seed, firstCall + toolCalls.length, call, typeof part.thoughtSignature === 'string' ? part.thoughtSignature : undefined),
        type: 'function',
        function: { name: call.name, arguments: JSON.stringify(call.args ?? {}) },
      });
    }
    // inlineData (generated images), executableCode and codeExecutionResult have no chat.completion counterpart.
  }
  return {
    content: texts.length > 0 ? texts.join('') : null,
    reasoning: thoughts.length > 0 ? thoughts.join('') : undefined,
    toolCalls,
  };
}
