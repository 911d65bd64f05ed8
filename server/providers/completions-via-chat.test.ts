import { describe, expect, it } from 'vitest';
import { gatewayErrorFrom, testCallContext } from '../test-support/fixtures.ts';
import { completionsViaChat } from './completions-via-chat.ts';
import type { CallContext, Deployment, EndpointAdapter, OpenAIChunk, StreamTranslator, UpstreamRequest } from './types.ts';

/** A deployment whose provider has a chat endpoint only. */
const CHAT_ONLY: Partial<Deployment> = {
  id: 'dep-chat-only',
  modelName: 'chat-only',
  provider: 'anthropic',
  upstreamModel: 'claude-sonnet-4-5',
  apiBase: 'https://chat.example.com',
  apiKey: undefined,
  params: { model: 'anthropic/claude-sonnet-4-5' },
};

function completionCtx(body: Record<string, unknown>, stream = false): CallContext {
  return testCallContext({ model: 'chat-only', ...body }, { endpoint: 'completions', stream, deployment: CHAT_ONLY });
}

/** A chat adapter that records what it was asked and answers OpenAI-shaped chat. */
function recordingChat(extra: Partial<EndpointAdapter> = {}): EndpointAdapter & { seen: CallContext[] } {
  const seen: CallContext[] = [];
  return {
    seen,
    buildRequest(ctx): UpstreamRequest {
      seen.push(ctx);
      return { method: 'POST', url: 'https://chat.example.com/chat', headers: {}, body: JSON.stringify(ctx.body) };
    },
    ...extra,
  };
}

const chatAnswer = {
  id: 'chatcmpl-1',
  object: 'chat.completion',
  created: 1700000000,
  model: 'claude-sonnet-4-5',
  choices: [{ index: 0, message: { role: 'assistant', content: 'Hello there' }, finish_reason: 'length' }],
  usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
};

describe('completionsViaChat: request', () => {
  it('sends the prompt as one user message to the chat endpoint, without completion-only fields', () => {
    const chat = recordingChat();
    completionsViaChat(chat).buildRequest(completionCtx({ prompt: 'Once upon a time', max_tokens: 20, suffix: '!', echo: false, best_of: 2 }));
    expect(chat.seen).toHaveLength(1);
    expect(chat.seen[0]!.endpoint).toBe('chat');
    expect(chat.seen[0]!.body).toEqual({ model: 'chat-only', max_tokens: 20, messages: [{ role: 'user', content: 'Once upon a time' }] });
  });

  it('accepts a one-element prompt array', () => {
    const chat = recordingChat();
    completionsViaChat(chat).buildRequest(completionCtx({ prompt: ['only one'] }));
    expect(chat.seen[0]!.body.messages).toEqual([{ role: 'user', content: 'only one' }]);
  });

  it('answers 400 on several prompts or on token arrays', () => {
    const adapter = completionsViaChat(recordingChat());
    const several = gatewayErrorFrom(() => adapter.buildRequest(completionCtx({ prompt: ['a', 'b'] })));
    expect(several.status).toBe(400);
    expect(several.param).toBe('prompt');
    expect(several.message).toContain('one text prompt');
    expect(gatewayErrorFrom(() => adapter.buildRequest(completionCtx({ prompt: [[1, 2, 3]] }))).status).toBe(400);
    expect(gatewayErrorFrom(() => adapter.buildRequest(completionCtx({ prompt: 42 }))).status).toBe(400);
  });
});

describe('completionsViaChat: answers', () => {
  it('turns an OpenAI chat answer into a text_completion', () => {
    const body = completionsViaChat(recordingChat()).translateResponse!(chatAnswer, completionCtx({ prompt: 'x' }));
    expect(body).toEqual({
      id: 'chatcmpl-1',
      object: 'text_completion',
      created: 1700000000,
      model: 'claude-sonnet-4-5',
      choices: [{ text: 'Hello there', index: 0, logprobs: null, finish_reason: 'length' }],
      usage: chatAnswer.usage,
    });
  });

  it("runs the chat adapter's own translation first, with a chat context", () => {
    const contexts: CallContext[] = [];
    const chat = recordingChat({
      translateResponse(upstream, ctx) {
        contexts.push(ctx);
        return { ...chatAnswer, choices: [{ index: 0, message: { content: (upstream as { text: string }).text }, finish_reason: null }] };
      },
    });
    const body = completionsViaChat(chat).translateResponse!({ text: 'native' }, completionCtx({ prompt: 'x' }));
    expect(contexts[0]!.endpoint).toBe('chat');
    expect((body.choices as { text: string; finish_reason: string }[])[0]).toMatchObject({ text: 'native', finish_reason: 'stop' });
  });

  it('maps an OpenAI chat stream to text_completion chunks, usage chunk included', () => {
    const translator = completionsViaChat(recordingChat()).createStreamTranslator!(completionCtx({ prompt: 'x', stream: true }, true));
    const chunk = (delta: Record<string, unknown>, finish: string | null) =>
      JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta, finish_reason: finish }] });
    const out: OpenAIChunk[] = [
      ...translator.push({ data: chunk({ role: 'assistant', content: '' }, null) }),
      ...translator.push({ data: chunk({ content: 'Hi' }, null) }),
      ...translator.push({ data: chunk({}, 'stop') }),
      ...translator.push({ data: JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [], usage: chatAnswer.usage }) }),
      ...translator.push({ data: '[DONE]' }),
      ...translator.end(),
    ];
    expect(out).toEqual([
      { id: 'c', object: 'text_completion', created: 1, model: 'm', choices: [{ text: '', index: 0, logprobs: null, finish_reason: null }] },
      { id: 'c', object: 'text_completion', created: 1, model: 'm', choices: [{ text: 'Hi', index: 0, logprobs: null, finish_reason: null }] },
      { id: 'c', object: 'text_completion', created: 1, model: 'm', choices: [{ text: '', index: 0, logprobs: null, finish_reason: 'stop' }] },
      { id: 'c', object: 'text_completion', created: 1, model: 'm', choices: [], usage: chatAnswer.usage },
    ]);
  });

  it("wraps the chat adapter's own stream translator, including its final chunks", () => {
    const inner: StreamTranslator = {
      push: (e) => [{ id: 'n', choices: [{ index: 0, delta: { content: e.data } }] }],
      end: () => [{ id: 'n', choices: [], usage: chatAnswer.usage }],
    };
    const translator = completionsViaChat(recordingChat({ createStreamTranslator: () => inner })).createStreamTranslator!(completionCtx({ prompt: 'x' }, true));
    expect(translator.push({ event: 'content_block_delta', data: 'abc' })[0]).toMatchObject({ object: 'text_completion', choices: [{ text: 'abc' }] });
    expect(translator.end()).toEqual([{ id: 'n', object: 'text_completion', created: undefined, model: undefined, choices: [], usage: chatAnswer.usage }]);
  });
});
