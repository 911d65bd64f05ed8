import { describe, expect, it } from 'vitest';
import { expectValid } from '../../e2e/support/openapi.ts';
import { parseSse } from '../../e2e/support/sse.ts';
import { AnswerCollector } from './answer-collector.ts';
import { assembleAnswer } from './assemble.ts';
import { answerAsChunks, replayFrames } from './replay.ts';

const usage = { prompt_tokens: 12, completion_tokens: 7, total_tokens: 19 };

const textAnswer = {
  id: 'chatcmpl-abc',
  object: 'chat.completion',
  created: 1_700_000_000,
  model: 'gpt-4o-2024-08-06',
  system_fingerprint: 'fp_1',
  choices: [{ index: 0, message: { role: 'assistant', content: 'Hello there.', refusal: null }, logprobs: null, finish_reason: 'stop' }],
  usage,
};

const toolAnswer = {
  id: 'chatcmpl-tools',
  object: 'chat.completion',
  created: 1_700_000_001,
  model: 'gpt-4o',
  choices: [
    {
      index: 0,
      message: {
        role: 'assistant',
        content: null,
        refusal: null,
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
          { id: 'call_2', type: 'function', function: { name: 'get_time', arguments: '{}' } },
        ],
      },
      logprobs: null,
      finish_reason: 'tool_calls',
    },
  ],
  usage,
};

const twoChoices = {
  ...textAnswer,
  id: 'chatcmpl-n2',
  choices: [
    { index: 0, message: { role: 'assistant', content: 'One.', refusal: null, reasoning_content: 'thinking…' }, logprobs: null, finish_reason: 'stop' },
    {
      index: 1,
      message: { role: 'assistant', content: 'Two.', refusal: null },
      logprobs: { content: [{ token: 'Two', logprob: -0.1, bytes: [84, 119, 111], top_logprobs: [] }], refusal: null },
      finish_reason: 'length',
    },
  ],
};

const completionAnswer = {
  id: 'cmpl-1',
  object: 'text_completion',
  created: 1_700_000_002,
  model: 'gpt-3.5-turbo-instruct',
  choices: [{ text: 'Once upon a time', index: 0, logprobs: null, finish_reason: 'length' }],
  usage,
};

describe('answerAsChunks (chat)', () => {
  it.each([
    ['text', textAnswer],
    ['tool calls', toolAnswer],
    ['two choices with logprobs and reasoning', twoChoices],
  ])('%s: every chunk is a valid CreateChatCompletionStreamResponse; usage last', (_name, answer) => {
    const chunks = answerAsChunks('chat', answer);
    for (const chunk of chunks) expectValid('CreateChatCompletionStreamResponse', chunk);
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage });
    expect(chunks.every((c) => c.id === answer.id && c.object === 'chat.completion.chunk' && c.created === answer.created && c.model === answer.model)).toBe(
      true,
    );
  });

  it('role chunk, content chunk, finish chunk, usage chunk', () => {
    const deltas = answerAsChunks('chat', textAnswer).map((c) => (c.choices as { delta: unknown; finish_reason: unknown }[])[0]);
    expect(deltas).toEqual([
      { index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null },
      { index: 0, delta: { content: 'Hello there.' }, logprobs: null, finish_reason: null },
      { index: 0, delta: {}, logprobs: null, finish_reason: 'stop' },
      undefined,
    ]);
  });

  it('tool calls carry their index', () => {
    const chunk = answerAsChunks('chat', toolAnswer).find((c) => JSON.stringify(c).includes('tool_calls"'));
    const calls = (chunk!.choices as { delta: { tool_calls: { index: number; id: string }[] } }[])[0]!.delta.tool_calls;
    expect(calls.map((c) => [c.index, c.id])).toEqual([
      [0, 'call_1'],
      [1, 'call_2'],
    ]);
  });

  it('no usage chunk for an answer without usage', () => {
    const { usage: _none, ...bare } = textAnswer;
    expect(answerAsChunks('chat', bare).some((c) => Array.isArray(c.choices) && c.choices.length === 0)).toBe(false);
  });
});

describe('answerAsChunks (text completions)', () => {
  it('text chunk, finish chunk, usage chunk; valid as OpenAI sends them', () => {
    const chunks = answerAsChunks('completions', completionAnswer);
    expect(chunks.map((c) => c.choices)).toEqual([
      [{ text: 'Once upon a time', index: 0, logprobs: null, finish_reason: null }],
      [{ text: '', index: 0, logprobs: null, finish_reason: 'length' }],
      [],
    ]);
    // The spec's CreateCompletionResponse does not allow OpenAI's own `finish_reason: null` on non-final chunks.
    for (const chunk of chunks) {
      const choices = (chunk.choices as { finish_reason: unknown }[]).map((c) => ({ ...c, finish_reason: c.finish_reason ?? 'stop' }));
      expectValid('CreateCompletionResponse', { ...chunk, choices });
    }
  });
});

describe('assembleAnswer', () => {
  it.each([
    ['text', textAnswer],
    ['tool calls', toolAnswer],
    ['two choices', twoChoices],
  ])('chat %s: assembleAnswer(answerAsChunks(x)) equals x', (_name, answer) => {
    expect(assembleAnswer('chat', answerAsChunks('chat', answer))).toEqual(answer);
  });

  it('text completion round trip', () => {
    expect(assembleAnswer('completions', answerAsChunks('completions', completionAnswer))).toEqual(completionAnswer);
  });

  it('rebuilds from fine-grained upstream chunks: content pieces, tool arguments split by index', () => {
    const head = { id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm' };
    const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({
      ...head,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
      usage: null,
    });
    const chunks = [
      chunk({ role: 'assistant', content: null }),
      chunk({ tool_calls: [{ index: 0, id: 'call_a', type: 'function', function: { name: 'f', arguments: '' } }] }),
      chunk({ tool_calls: [{ index: 1, id: 'call_b', type: 'function', function: { name: 'g', arguments: '{"x"' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '{"a":' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '1}' } }] }),
      chunk({ tool_calls: [{ index: 1, function: { arguments: ':2}' } }] }),
      chunk({}, 'tool_calls'),
      { ...head, choices: [], usage },
    ];
    const answer = assembleAnswer('chat', chunks)!;
    expect(answer).toMatchObject({ object: 'chat.completion', usage, choices: [{ finish_reason: 'tool_calls' }] });
    const message = (answer.choices as { message: { content: unknown; tool_calls: unknown } }[])[0]!.message;
    expect(message.content).toBeNull();
    expect(message.tool_calls).toEqual([
      { id: 'call_a', type: 'function', function: { name: 'f', arguments: '{"a":1}' } },
      { id: 'call_b', type: 'function', function: { name: 'g', arguments: '{"x":2}' } },
    ]);
  });

  it('is undefined for an unfinished stream, an error event, or nothing', () => {
    const chunks = answerAsChunks('chat', textAnswer);
    expect(assembleAnswer('chat', chunks.slice(0, 2))).toBeUndefined();
    expect(assembleAnswer('chat', [...chunks.slice(0, 2), { error: { message: 'boom' } }])).toBeUndefined();
    expect(assembleAnswer('chat', [])).toBeUndefined();
  });
});

describe('replayFrames', () => {
  async function text(frames: AsyncIterable<string>): Promise<string> {
    let out = '';
    for await (const frame of frames) out += frame;
    return out;
  }

  it('withholds the usage chunk unless the client asked for it', async () => {
    const without = parseSse(await text(replayFrames('chat', textAnswer, false))).map((e) => JSON.parse(e.data) as { choices: unknown[] });
    expect(without).toHaveLength(3);
    expect(without.every((c) => c.choices.length > 0)).toBe(true);
    const withUsage = parseSse(await text(replayFrames('chat', textAnswer, true))).map((e) => JSON.parse(e.data) as { usage?: unknown });
    expect(withUsage).toHaveLength(4);
    expect(withUsage.at(-1)!.usage).toEqual(usage);
  });
});

describe('AnswerCollector', () => {
  it("rebuilds the answer from the frames the client got, with the call's usage when they did not carry it", async () => {
    const collector = new AnswerCollector();
    const passed: string[] = [];
    for await (const frame of collector.tap(replayFrames('chat', textAnswer, false))) passed.push(frame);
    expect(passed.join('')).toContain('Hello there.');
    expect(collector.answer('chat', usage)).toEqual(textAnswer);
    const { usage: _u, ...withoutUsage } = textAnswer;
    expect(collector.answer('chat')).toEqual(withoutUsage);
  });

  it('parses frames split anywhere, multi-line data, and skips [DONE] and non-JSON events', () => {
    const collector = new AnswerCollector();
    const frames = answerAsChunks('chat', textAnswer).map((c) => `data: ${JSON.stringify(c, null, 1)}\n\n`.replace(/\n(?!\n|$)/g, '\ndata: '));
    const all = `data: not-json\n\n${frames.join('')}data: [DONE]\n\n`;
    collector.keep(all.slice(0, 50));
    collector.keep(all.slice(50));
    expect(collector.answer('chat')).toEqual(textAnswer);
  });
});
