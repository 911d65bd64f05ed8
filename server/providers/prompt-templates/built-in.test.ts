import { describe, expect, it } from 'vitest';
import { type BuiltInTemplate, builtInTemplateFor, renderBuiltInPrompt } from './built-in.ts';

const lone = [{ role: 'user', content: 'Hi' }];
const withSystem = [
  { role: 'system', content: 'Be brief.' },
  { role: 'user', content: 'Hi' },
];
const conversation = [
  { role: 'system', content: 'Be brief.' },
  { role: 'user', content: 'Hi' },
  { role: 'assistant', content: 'Hello!' },
  { role: 'user', content: 'Bye' },
];
const withTool = [
  { role: 'user', content: 'Weather?' },
  { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'w', arguments: '{}' } }] },
  { role: 'tool', tool_call_id: 'c1', content: '18C' },
];

const render = (template: BuiltInTemplate, messages: { role: string; content?: unknown }[]) => renderBuiltInPrompt(template, messages);

describe('builtInTemplateFor', () => {
  it.each([
    ['meta-llama/Llama-2-7b-chat-hf', 'llama-2'],
    ['llama2-13b-chat', 'llama-2'],
    ['codellama/CodeLlama-7b-Instruct-hf', 'llama-2'],
    ['meta-llama/Meta-Llama-3-8B-Instruct', 'llama-3'],
    ['meta-llama/Llama-3.1-70B-Instruct', 'llama-3'],
    ['meta/meta-llama-3-70b-instruct', 'llama-3'],
    ['llama3-8b', 'llama-3'],
    ['mistralai/Mistral-7B-Instruct-v0.2', 'mistral'],
    ['mistralai/Mixtral-8x7B-Instruct-v0.1', 'mistral'],
    ['Qwen/Qwen2.5-7B-Instruct', 'chatml'],
    ['01-ai/Yi-34B-Chat', 'chatml'],
    ['teknium/OpenHermes-2.5-Mistral-7B', 'chatml'],
    ['NousResearch/Nous-Hermes-2-Mixtral-8x7B-DPO', 'chatml'],
    ['cognitivecomputations/dolphin-2.6-mistral-7b', 'chatml'],
    ['HuggingFaceH4/zephyr-7b-beta', 'zephyr'],
    ['tiiuae/falcon-7b-instruct', 'falcon'],
    ['lmsys/vicuna-13b-v1.5', 'vicuna'],
    ['bigscience/bloom', 'plain'],
    ['gpt2', 'plain'],
  ])('%s → %s', (model, template) => {
    expect(builtInTemplateFor(model)).toBe(template);
  });
});

describe('llama-2', () => {
  it('a lone request', () => {
    expect(render('llama-2', lone)).toBe('<s>[INST] Hi [/INST]');
  });
  it('the system prompt inside the first instruction', () => {
    expect(render('llama-2', withSystem)).toBe('<s>[INST] <<SYS>>\nBe brief.\n<</SYS>>\n\nHi [/INST]');
  });
  it('a conversation: each answer closed with </s>, each request opened with <s>', () => {
    expect(render('llama-2', conversation)).toBe('<s>[INST] <<SYS>>\nBe brief.\n<</SYS>>\n\nHi [/INST] Hello! </s><s>[INST] Bye [/INST]');
  });
  it('consecutive requests and tool results join into one instruction', () => {
    expect(render('llama-2', withTool)).toBe('<s>[INST] Weather? [/INST] [{"name":"w","arguments":{}}] </s><s>[INST] 18C [/INST]');
    expect(
      render('llama-2', [
        { role: 'user', content: 'a' },
        { role: 'user', content: 'b' },
      ]),
    ).toBe('<s>[INST] a\n\nb [/INST]');
  });
  it('several system messages join; a system message mid-conversation still goes first', () => {
    expect(
      render('llama-2', [
        { role: 'system', content: 'A' },
        { role: 'user', content: 'q' },
        { role: 'system', content: 'B' },
      ]),
    ).toBe('<s>[INST] <<SYS>>\nA\n\nB\n<</SYS>>\n\nq [/INST]');
  });
  it('only a system message', () => {
    expect(render('llama-2', [{ role: 'system', content: 'S' }])).toBe('<s>[INST] <<SYS>>\nS\n<</SYS>>\n\n [/INST]');
  });
});

describe('llama-3', () => {
  it('a lone request', () => {
    expect(render('llama-3', lone)).toBe(
      '<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n',
    );
  });
  it('a conversation with a system turn', () => {
    expect(render('llama-3', conversation)).toBe(
      '<|begin_of_text|>' +
        '<|start_header_id|>system<|end_header_id|>\n\nBe brief.<|eot_id|>' +
        '<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>' +
        '<|start_header_id|>assistant<|end_header_id|>\n\nHello!<|eot_id|>' +
        '<|start_header_id|>user<|end_header_id|>\n\nBye<|eot_id|>' +
        '<|start_header_id|>assistant<|end_header_id|>\n\n',
    );
  });
  it('tool results under ipython', () => {
    expect(render('llama-3', withTool)).toBe(
      '<|begin_of_text|>' +
        '<|start_header_id|>user<|end_header_id|>\n\nWeather?<|eot_id|>' +
        '<|start_header_id|>assistant<|end_header_id|>\n\n[{"name":"w","arguments":{}}]<|eot_id|>' +
        '<|start_header_id|>ipython<|end_header_id|>\n\n18C<|eot_id|>' +
        '<|start_header_id|>assistant<|end_header_id|>\n\n',
    );
  });
});

describe('mistral', () => {
  it('a lone request', () => {
    expect(render('mistral', lone)).toBe('<s>[INST] Hi [/INST]');
  });
  it('the system prompt before the first request', () => {
    expect(render('mistral', withSystem)).toBe('<s>[INST] Be brief.\n\nHi [/INST]');
  });
  it('a conversation', () => {
    expect(render('mistral', conversation)).toBe('<s>[INST] Be brief.\n\nHi [/INST] Hello!</s>[INST] Bye [/INST]');
  });
  it('tool results are requests', () => {
    expect(render('mistral', withTool)).toBe('<s>[INST] Weather? [/INST] [{"name":"w","arguments":{}}]</s>[INST] 18C [/INST]');
  });
  it('an answer before any request', () => {
    expect(
      render('mistral', [
        { role: 'assistant', content: 'A' },
        { role: 'assistant', content: 'B' },
      ]),
    ).toBe('<s>[INST]  [/INST] A\n\nB</s>');
  });
});

describe('chatml', () => {
  it('a lone request', () => {
    expect(render('chatml', lone)).toBe('<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n');
  });
  it('a conversation', () => {
    expect(render('chatml', conversation)).toBe(
      '<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\nHello!<|im_end|>\n' +
        '<|im_start|>user\nBye<|im_end|>\n<|im_start|>assistant\n',
    );
  });
  it('tool results under tool', () => {
    expect(render('chatml', withTool)).toBe(
      '<|im_start|>user\nWeather?<|im_end|>\n<|im_start|>assistant\n[{"name":"w","arguments":{}}]<|im_end|>\n' +
        '<|im_start|>tool\n18C<|im_end|>\n<|im_start|>assistant\n',
    );
  });
});

describe('zephyr', () => {
  it('a conversation', () => {
    expect(render('zephyr', conversation)).toBe('<|system|>\nBe brief.</s>\n<|user|>\nHi</s>\n<|assistant|>\nHello!</s>\n<|user|>\nBye</s>\n<|assistant|>\n');
  });
  it('tool results are user turns', () => {
    expect(render('zephyr', [{ role: 'tool', content: '18C' }])).toBe('<|user|>\n18C</s>\n<|assistant|>\n');
  });
});

describe('falcon', () => {
  it('a lone request', () => {
    expect(render('falcon', lone)).toBe('User: Hi\nFalcon:');
  });
  it('a conversation', () => {
    expect(render('falcon', conversation)).toBe('System: Be brief.\nUser: Hi\nFalcon: Hello!\nUser: Bye\nFalcon:');
  });
});

describe('vicuna', () => {
  it("a lone request gets Vicuna's default system prompt", () => {
    expect(render('vicuna', lone)).toBe(
      "A chat between a curious user and an artificial intelligence assistant. The assistant gives helpful, detailed, and polite answers to the user's questions. USER: Hi ASSISTANT:",
    );
  });
  it('a conversation with its own system prompt', () => {
    expect(render('vicuna', conversation)).toBe('Be brief. USER: Hi ASSISTANT: Hello!</s>USER: Bye ASSISTANT:');
  });
});

describe('plain', () => {
  it('a lone request is its text', () => {
    expect(render('plain', lone)).toBe('Hi');
  });
  it('requests alone are their texts', () => {
    expect(
      render('plain', [
        { role: 'user', content: 'a' },
        { role: 'user', content: [{ type: 'text', text: 'b' }] },
      ]),
    ).toBe('a\n\nb');
  });
  it('a conversation is a labelled transcript ending where the answer begins', () => {
    expect(render('plain', conversation)).toBe('System: Be brief.\n\nUser: Hi\n\nAssistant: Hello!\n\nUser: Bye\n\nAssistant:');
  });
  it('tool results are labelled', () => {
    expect(render('plain', withTool)).toBe('User: Weather?\n\nAssistant: [{"name":"w","arguments":{}}]\n\nTool: 18C\n\nAssistant:');
  });
});
