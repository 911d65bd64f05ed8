/**
 * Legacy /completions for providers that only have a chat endpoint (LiteLLM's text_completion
 * bridge): the prompt becomes one user message and the chat answer becomes a text_completion.
 */
import { badRequest } from '../core/errors.ts';
import type { CallContext, EndpointAdapter, OpenAIChunk, StreamTranslator } from './types.ts';

/** The /completions request as the chat request it is sent as. */
export function chatContext(ctx: CallContext): CallContext {
  const { prompt, suffix: _suffix, echo: _echo, best_of: _bestOf, ...rest } = ctx.body;
  let text: unknown = prompt;
  if (Array.isArray(prompt)) {
    if (prompt.length !== 1 || typeof prompt[0] !== 'string') {
      throw badRequest(`${ctx.deployment.provider} answers one text prompt per /completions request; send the prompts one by one.`, 'prompt');
    }
    text = prompt[0];
  }
  if (typeof text !== 'string') throw badRequest('`prompt` must be a string.', 'prompt');
  return { ...ctx, endpoint: 'chat', body: { ...rest, messages: [{ role: 'user', content: text }] } };
}

interface ChatChoice {
  index?: number;
  message?: { content?: string | null };
  delta?: { content?: string | null };
  finish_reason?: string | null;
}

/** A chat answer as a text_completion. */
export function completionFromChat(chat: Record<string, unknown>): Record<string, unknown> {
  const choices = (chat.choices as ChatChoice[] | undefined) ?? [];
  return {
    id: chat.id,
    object: 'text_completion',
    created: chat.created,
    model: chat.model,
    choices: choices.map((c, i) => ({ text: c.message?.content ?? '', index: c.index ?? i, logprobs: null, finish_reason: c.finish_reason ?? 'stop' })),
    ...(chat.usage ? { usage: chat.usage } : {}),
  };
}

/** A chat chunk as a text_completion chunk. */
export function completionChunkFromChat(chunk: OpenAIChunk): OpenAIChunk {
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

/** An OpenAI-shaped chat stream read as chunk objects, for chat adapters without their own translator. */
function parseOpenAIChunks(): StreamTranslator {
  return {
    push: ({ data }) => (data === '[DONE]' ? [] : [JSON.parse(data) as OpenAIChunk]),
    end: () => [],
  };
}

export function completionsViaChat(chat: EndpointAdapter): EndpointAdapter {
  return {
    buildRequest: (ctx) => chat.buildRequest(chatContext(ctx)),
    translateResponse(upstream, ctx) {
      const answer = chat.translateResponse ? chat.translateResponse(upstream, chatContext(ctx)) : (upstream as Record<string, unknown>);
      return completionFromChat(answer);
    },
    createStreamTranslator(ctx) {
      const inner = chat.createStreamTranslator?.(chatContext(ctx)) ?? parseOpenAIChunks();
      return {
        push: (event) => inner.push(event).map(completionChunkFromChat),
        end: () => inner.end().map(completionChunkFromChat),
      };
    },
  };
}
