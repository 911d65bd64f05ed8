/**
 * Legacy /completions on Replicate: the gateway's completions-via-chat bridge wraps request adapters, but
 * Replicate answers through `local`, so the same bridge is done here — the prompt is one user message (sent as
 * the flat prompt as it is, or through a custom template), and chat answers become text_completion objects.
 */
import { badRequest } from '../../core/errors.ts';
import type { CallContext, LocalResult, OpenAIChunk } from '../types.ts';

export function chatContextOf(ctx: CallContext): CallContext {
  const { prompt, suffix: _suffix, echo: _echo, best_of: _bestOf, ...rest } = ctx.body;
  const text = Array.isArray(prompt) && prompt.length === 1 ? prompt[0] : prompt;
  if (typeof text !== 'string') throw badRequest('Replicate answers one text prompt per /completions request.', 'prompt');
  return { ...ctx, endpoint: 'chat', body: { ...rest, messages: [{ role: 'user', content: text }] } };
}

interface ChatChoice {
  index?: number;
  message?: { content?: string | null };
  delta?: { content?: string | null };
  finish_reason?: string | null;
}

function completionChunk(chunk: OpenAIChunk): OpenAIChunk {
  const choices = (chunk.choices as ChatChoice[] | undefined) ?? [];
  return {
    id: chunk.id,
    object: 'text_completion',
    created: chunk.created,
    model: chunk.model,
    choices: choices.map((c, i) => ({ text: c.delta?.content ?? '', index: c.index ?? i, logprobs: null, finish_reason: c.finish_reason ?? null })),
    ...(chunk.usage ? { usage: chunk.usage } : {}),
  };
}

async function* completionChunks(chunks: AsyncIterable<OpenAIChunk>): AsyncGenerator<OpenAIChunk> {
  for await (const chunk of chunks) yield completionChunk(chunk);
}

export function asCompletion(result: LocalResult): LocalResult {
  if (result.kind === 'stream') return { kind: 'stream', chunks: completionChunks(result.chunks) };
  const chat = result.body;
  const choices = (chat.choices as ChatChoice[] | undefined) ?? [];
  return {
    kind: 'json',
    body: {
      id: chat.id,
      object: 'text_completion',
      created: chat.created,
      model: chat.model,
      choices: choices.map((c, i) => ({ text: c.message?.content ?? '', index: c.index ?? i, logprobs: null, finish_reason: c.finish_reason ?? 'stop' })),
      ...(chat.usage ? { usage: chat.usage } : {}),
    },
  };
}
