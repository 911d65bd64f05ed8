import { describe, expect, it } from 'vitest';
import { thrownBy } from '../../test-support/fixtures.ts';
import { DeploymentError } from '../deployment-error.ts';
import { readCustomTemplate, renderCustomPrompt } from './custom.ts';

const llama2Like = {
  model: 'huggingface/my-model',
  roles: {
    system: { pre_message: '[INST] <<SYS>>\n', post_message: '\n<</SYS>>\n [/INST]\n' },
    user: { pre_message: '[INST] ', post_message: ' [/INST]\n' },
    assistant: { pre_message: '', post_message: '\n' },
  },
  initial_prompt_value: '\n',
  final_prompt_value: '\n',
  bos_token: '<s>',
  eos_token: '</s>',
};

const conversation = [
  { role: 'system', content: 'Be brief.' },
  { role: 'user', content: 'Hi' },
  { role: 'assistant', content: 'Hello!' },
  { role: 'user', content: 'Bye' },
];

describe('readCustomTemplate', () => {
  it('is undefined when litellm_params sets no template key', () => {
    expect(readCustomTemplate({ model: 'huggingface/x', temperature: 0.2 }, 'p')).toBeUndefined();
  });

  it('reads every key, missing affixes and tokens as empty strings', () => {
    expect(readCustomTemplate({ model: 'x', roles: { user: { pre_message: 'U:' } }, bos_token: '<s>' }, 'p')).toEqual({
      roles: { user: { pre_message: 'U:', post_message: '' } },
      initialPromptValue: '',
      finalPromptValue: '',
      bosToken: '<s>',
      eosToken: '',
    });
  });

  it('a template of only a final_prompt_value is a template', () => {
    expect(readCustomTemplate({ model: 'x', final_prompt_value: 'A:' }, 'p')?.finalPromptValue).toBe('A:');
  });

  it.each([
    [{ roles: 'user' }, 'p.roles'],
    [{ roles: [] }, 'p.roles'],
    [{ roles: { human: { pre_message: 'H' } } }, 'p.roles.human'],
    [{ roles: { user: 'U:' } }, 'p.roles.user'],
    [{ roles: { user: { pre_message: 1 } } }, 'p.roles.user.pre_message'],
    [{ roles: { assistant: { post_message: true } } }, 'p.roles.assistant.post_message'],
    [{ bos_token: 1 }, 'p.bos_token'],
    [{ eos_token: {} }, 'p.eos_token'],
    [{ initial_prompt_value: ['a'] }, 'p.initial_prompt_value'],
    [{ final_prompt_value: 0 }, 'p.final_prompt_value'],
  ])('refuses %j at load, naming %s', (bad, path) => {
    const error = thrownBy(() => readCustomTemplate({ model: 'x', ...bad }, 'p'), DeploymentError);
    expect(error.path).toBe(path);
  });
});

describe('renderCustomPrompt', () => {
  const template = (params: Record<string, unknown>) => {
    const read = readCustomTemplate({ model: 'x', ...params }, 'p');
    if (!read) throw new Error('no template');
    return read;
  };

  it('wraps each turn in its role affixes between the initial and final values, with bos and eos', () => {
    expect(renderCustomPrompt(template(llama2Like), conversation)).toBe(
      '<s>\n[INST] <<SYS>>\nBe brief.\n<</SYS>>\n [/INST]\n[INST] Hi [/INST]\nHello!\n</s><s>[INST] Bye [/INST]\n\n',
    );
  });

  it('opens with bos only once when no assistant turn closes one', () => {
    expect(
      renderCustomPrompt(template({ bos_token: '<s>', eos_token: '</s>' }), [
        { role: 'user', content: 'a' },
        { role: 'user', content: 'b' },
      ]),
    ).toBe('<s>ab');
  });

  it('puts bos before a system turn after an assistant turn, not before a tool result', () => {
    const t = template({ bos_token: '<s>', eos_token: '</s>', roles: { tool: { pre_message: '[T]', post_message: '[/T]' } } });
    expect(
      renderCustomPrompt(t, [
        { role: 'user', content: 'q' },
        { role: 'assistant', content: 'a' },
        { role: 'tool', content: 'r' },
        { role: 'system', content: 's' },
      ]),
    ).toBe('<s>qa</s>[T]r[/T]<s>s');
  });

  it('a role without affixes is its text alone', () => {
    expect(renderCustomPrompt(template({ roles: { user: { pre_message: 'U: ', post_message: '\n' } } }), conversation)).toBe('Be brief.U: Hi\nHello!U: Bye\n');
  });

  it('developer is system and function is tool', () => {
    const t = template({
      roles: { system: { pre_message: 'S[', post_message: ']' }, tool: { pre_message: 'T[', post_message: ']' } },
    });
    expect(
      renderCustomPrompt(t, [
        { role: 'developer', content: 'd' },
        { role: 'function', content: 'f' },
      ]),
    ).toBe('S[d]T[f]');
  });

  it('joins the text parts of a content array and leaves images out', () => {
    const t = template({ roles: { user: { pre_message: '<', post_message: '>' } } });
    const content = [
      { type: 'text', text: 'look ' },
      { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } },
      { type: 'text', text: 'here' },
    ];
    expect(renderCustomPrompt(t, [{ role: 'user', content }])).toBe('<look here>');
  });

  it("writes an assistant's tool calls as JSON when it has no text", () => {
    const t = template({ roles: { assistant: { pre_message: 'A: ', post_message: '\n' }, tool: { pre_message: 'T: ', post_message: '\n' } } });
    const calls = [{ id: 'c1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }];
    expect(
      renderCustomPrompt(t, [
        { role: 'assistant', content: null, tool_calls: calls },
        { role: 'tool', content: '18C' },
      ]),
    ).toBe('A: [{"name":"get_weather","arguments":{"city":"Paris"}}]\nT: 18C\n');
  });

  it('keeps unparsable tool arguments as their string', () => {
    const t = template({ final_prompt_value: '', initial_prompt_value: '', roles: {} });
    const calls = [{ function: { name: 'f', arguments: '{oops' } }];
    expect(renderCustomPrompt(t, [{ role: 'assistant', tool_calls: calls }])).toBe('[{"name":"f","arguments":"{oops"}]');
  });
});
