/**
 * Legacy /completions for providers that only have a chat endpoint (LiteLLM's text_completion
 * bridge): the prompt becomes one user message and the chat answer becomes a text_completion.
 */
import { badRequest } from '../core/errors.ts';
import type { CallContext, EndpointAdapter, OpenAIChunk, StreamTranslator } from './types.ts';

/**
 * Legacy-completions parameters that score the prompt instead of (or besides) generating — lm-eval-harness's
 * log-likelihood requests send `max_tokens: 0, echo: true, logprobs: n`. A chat API answers none of them: each is
 * a 400 naming it. With drop_params `echo` and `logprobs` are left out; `max_tokens: 0` never is (generating
 * text when none was asked for would silently change the answer).
 */
function refuseScoringParams(ctx: CallContext): void {
  const { echo, logprobs, max_tokens: maxTokens } = ctx.body;
  const provider = ctx.deployment.provider;
  const why = `${provider} serves /completions through its chat API, which cannot score a prompt`;
  const where = "use a model served by OpenAI's completions endpoint (openai/, hosted_vllm/ and other OpenAI-compatible servers)";
  if (maxTokens === 0) throw badRequest(`\`max_tokens: 0\` asks for no generated tokens, but ${why}: ${where}.`, 'max_tokens');
  if (ctx.deployment.dropParams) return;
  if (echo === true) throw badRequest(`\`echo\` is not supported: ${why}. Remove it, set \`drop_params: true\`, or ${where}.`, 'echo');
  if (logprobs !== undefined && logprobs !== null && logprobs !== false) {
    throw badRequest(`\`logprobs\` is not supported: ${why}. Remove it, set \`drop_params: true\`, or ${where}.`, 'logprobs');
  }
}

/** The /completions request as the chat request it is sent as. */
export function chatContext(ctx: CallContext): CallContext {
  refuseScoringParams(ctx);
  // Completions' `logprobs` is a count; chat's is a boolean: it never carries over (refused above unless dropped).
  const { prompt, suffix: _suffix, echo: _echo, best_of: _bestOf, logprobs: _logprobs, ...rest } = ctx.body;
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
