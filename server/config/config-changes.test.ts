import { describe, expect, it } from 'vitest';
import { configChanges } from './config-changes.ts';
import { parseConfig } from './load.ts';
import { assignModelIds } from './model-ids.ts';

const load = (text: string) => {
  const loaded = parseConfig(text, 'config.yaml', { env: {} });
  assignModelIds(loaded);
  return loaded.raw;
};

const BEFORE = `model_list:
  - { model_name: a, litellm_params: { model: mock/a } }
  - { model_name: b, litellm_params: { model: mock/b }, model_info: { id: b-1 } }
  - { model_name: b, litellm_params: { model: mock/b2 }, model_info: { id: b-2 } }
  - { model_name: gone, litellm_params: { model: mock/gone } }
litellm_settings: { drop_params: true, num_retries: 1 }
router_settings: { routing_strategy: simple-shuffle }
general_settings: { master_key: os.environ/KEY }
`;

describe('configChanges', () => {
  it('nothing for the same config', () => {
    expect(configChanges(load(BEFORE), load(BEFORE))).toEqual({ models_added: [], models_removed: [], models_changed: [], settings_changed: [] });
  });

  it('pairs entries by id, then id-less ones by name; names settings that changed, never their values', () => {
    const after = `model_list:
  - { model_name: a, litellm_params: { model: mock/a, mock_response: changed } }
  - { model_name: b, litellm_params: { model: mock/b }, model_info: { id: b-1 } }
  - { model_name: b, litellm_params: { model: mock/b3 }, model_info: { id: b-2 } }
  - { model_name: new, litellm_params: { model: mock/new } }
litellm_settings: { drop_params: true, num_retries: 2, request_timeout: 5 }
general_settings: { master_key: os.environ/OTHER_KEY }
`;
    expect(configChanges(load(BEFORE), load(after))).toEqual({
      models_added: ['new'],
      models_removed: ['gone'],
      models_changed: ['a', 'b (id b-2)'],
      settings_changed: ['litellm_settings.num_retries', 'litellm_settings.request_timeout', 'router_settings.routing_strategy', 'general_settings.master_key'],
    });
  });

  it('a given id that changes is another deployment', () => {
    const after = BEFORE.replace('id: b-2', 'id: b-9');
    expect(configChanges(load(BEFORE), load(after))).toMatchObject({ models_added: ['b (id b-9)'], models_removed: ['b (id b-2)'], models_changed: [] });
  });
});
