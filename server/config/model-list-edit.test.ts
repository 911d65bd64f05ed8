import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { editModelList, type ModelListEdit } from './model-list-edit.ts';

const js = (text: string) => parseDocument(text, { version: '1.1', merge: true }).toJS() as Record<string, unknown>;
const names = (text: string) => (js(text).model_list as { model_name: string }[] | null)?.map((e) => e.model_name) ?? [];
const add = (model_name: string): ModelListEdit => ({ kind: 'add', entry: { model_name, litellm_params: { model: 'mock/echo' } } });

describe('editModelList', () => {
  it('splices block lists without touching the rest, in any indentation', () => {
    const text = 'model_list:\n- model_name: a # first\n  litellm_params: {model: mock/echo}\n\n# trailing\nrouter_settings: {}\n';
    const out = editModelList(text, add('b'));
    expect(out).toBe(
      'model_list:\n- model_name: a # first\n  litellm_params: {model: mock/echo}\n- model_name: b\n  litellm_params:\n    model: mock/echo\n\n# trailing\nrouter_settings: {}\n',
    );
    expect(editModelList(out, { kind: 'remove', index: 1 })).toBe(text);
  });

  it('keeps Windows line endings', () => {
    const text = 'model_list:\r\n  - model_name: a\r\n    litellm_params: { model: mock/echo }\r\n';
    const out = editModelList(text, add('b'));
    expect(out.replace(/\r\n/g, '')).not.toContain('\n');
    expect(names(out)).toEqual(['a', 'b']);
  });

  it('handles a file without a final newline', () => {
    expect(names(editModelList('model_list:\n  - model_name: a\n    litellm_params: { model: mock/echo }', add('b')))).toEqual(['a', 'b']);
  });

  it('stays correct with anchors and merge keys (falling back to the Document API where splicing would change the meaning)', () => {
    const text =
      'base: &base { model: mock/echo, rpm: 5 }\nmodel_list:\n  - model_name: a\n    litellm_params: { <<: *base }\n  - model_name: b\n    litellm_params: *base\n';
    const updated = editModelList(text, { kind: 'update', index: 1, patch: { model_name: 'bb', litellm_params: { rpm: 7 } } });
    const list = js(updated).model_list as { model_name: string; litellm_params: Record<string, unknown> }[];
    expect(list.map((e) => e.model_name)).toEqual(['a', 'bb']);
    expect(list[1]?.litellm_params).toEqual({ model: 'mock/echo', rpm: 7 });
    expect(list[0]?.litellm_params).toEqual({ model: 'mock/echo', rpm: 5 });
    expect(names(editModelList(text, { kind: 'remove', index: 0 }))).toEqual(['b']);
  });

  it('creates model_list when the file has none', () => {
    expect(names(editModelList('', add('a')))).toEqual(['a']);
    expect(js(editModelList('general_settings: { master_key: sk-1 }\n', add('a'))).general_settings).toEqual({ master_key: 'sk-1' });
  });

  it('a null deletes a key; the entry keeps llm_params when it uses that name', () => {
    const text = 'model_list:\n  - model_name: a\n    llm_params:\n      model: mock/echo\n      rpm: 3\n';
    const out = editModelList(text, { kind: 'update', index: 0, patch: { litellm_params: { rpm: null, tpm: 9 } } });
    expect(js(out).model_list).toEqual([{ model_name: 'a', llm_params: { model: 'mock/echo', tpm: 9 } }]);
  });
});

describe('editModelList and YAML anchors', () => {
  it('refuses to change a mapping other entries share through an anchor', () => {
    const text = 'model_list:\n  - model_name: a\n    litellm_params: &base { model: mock/echo }\n  - model_name: b\n    litellm_params: *base\n';
    expect(() => editModelList(text, { kind: 'update', index: 0, patch: { litellm_params: { rpm: 1 } } })).toThrow(/anchor &base/);
    // The entry that only refers to it gets its own copy.
    const out = editModelList(text, { kind: 'update', index: 1, patch: { litellm_params: { rpm: 1 } } });
    expect(js(out).model_list).toEqual([
      { model_name: 'a', litellm_params: { model: 'mock/echo' } },
      { model_name: 'b', litellm_params: { model: 'mock/echo', rpm: 1 } },
    ]);
  });
});
