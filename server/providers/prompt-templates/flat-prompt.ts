/**
 * What every flat-prompt API (TGI's /generate, Replicate's language models, SageMaker's TGI containers) does with
 * an OpenAI chat request before its own names apply: the messages it can render, and the request fields that
 * are model parameters. Such an API takes one prompt string and no tools, so a request that carries tools, tool
 * choices, images or audio is a 400 naming what it cannot take — unless the deployment drops parameters
 * (drop_params), then they are left out.
 */
import { unsupportedParamError, leaveOutUnsupported } from '../request-params.ts';
import type { RequestParams } from '../descriptor.ts';
import type { CallContext, Deployment } from '../types.ts';
import type { PromptMessage } from './messages.ts';

const isEmptyList = (v: unknown) => Array.isArray(v) && v.length === 0;
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** OpenAI parameters no flat-prompt API takes, each with the test of its neutral value (left out silently). */
export const FLAT_PROMPT_UNSUPPORTED: NonNullable<RequestParams['unsupported']> = {
  n: (v) => v === 1,
  tools: isEmptyList,
  tool_choice: (v) => v === 'none' || v === 'auto',
  parallel_tool_calls: () => true,
  functions: isEmptyList,
  function_call: (v) => v === 'none' || v === 'auto',
  response_format: (v) => isRecord(v) && v.type === 'text',
  logprobs: (v) => v === false,
  top_logprobs: (v) => v === 0,
  logit_bias: (v) => isRecord(v) && Object.keys(v).length === 0,
};

/** The call's own fields and what the gateway reads: never model parameters. */
const CALL_FIELDS = new Set(['model', 'messages', 'stream', 'stream_options', 'user', 'store', 'metadata', 'service_tier']);

/**
 * The request's model parameters, under OpenAI's names, for the provider to rename: the call's own fields, unset
 * and null values and left-out unsupported ones skipped; an unsupported value that cannot be left out throws the
 * 400 naming it and `providerLabel`.
 */
export function flatPromptParams(
  ctx: Pick<CallContext, 'body' | 'deployment'>,
  providerLabel: string,
  unsupported: NonNullable<RequestParams['unsupported']> = FLAT_PROMPT_UNSUPPORTED,
): [key: string, value: unknown][] {
  const rules = { accepted: [], unsupported };
  return Object.entries(ctx.body).filter(
    ([key, value]) => !CALL_FIELDS.has(key) && value !== undefined && value !== null && !leaveOutUnsupported(rules, providerLabel, key, value, ctx.deployment),
  );
}

/**
 * The request's messages for a prompt template. A content part other than text (an image, audio, a file) has no
 * place in a prompt string: a 400 naming it (`messages[1].content[0].image_url`) and `providerLabel`, or with
 * drop_params left out (the template reads text parts only).
 */
export function flatPromptMessages(body: Record<string, unknown>, providerLabel: string, deployment: Deployment): PromptMessage[] {
  const messages = Array.isArray(body.messages) ? (body.messages as PromptMessage[]) : [];
  if (deployment.dropParams) return messages;
  messages.forEach((message, i) => {
    if (!Array.isArray(message?.content)) return;
    message.content.forEach((part: unknown, j) => {
      const type = isRecord(part) && typeof part.type === 'string' ? part.type : 'unknown';
      // A refusal is what the assistant said; the template has no text of it to render, as for any empty turn.
      if (type !== 'text' && type !== 'refusal') throw unsupportedParamError(providerLabel, `messages[${i}].content[${j}].${type}`, deployment);
    });
  });
  return messages;
}
