// @vitest-environment jsdom
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ModelEntry } from '../../api/types.ts';
import { fakeGateway, gatewaySettings, findToast, jsonResponse, renderPage, type FakeRequest } from '../../test-utils.tsx';
import { ModelsPage } from '../ModelsPage.tsx';
import { AZURE_ENTRY, MOCK_ENTRY, OPENAI_ENTRY, PROVIDERS_ANSWER, health, healthAnswer } from './test-fixtures.ts';

afterEach(() => vi.unstubAllGlobals());

const stored = (body: { model_name: string; litellm_params: Record<string, unknown> }, id = 'new-1') => ({
  model_id: id,
  model_name: body.model_name,
  litellm_params: { ...body.litellm_params, ...(body.litellm_params.api_key ? { api_key: `keychain/model-${id}-api_key` } : {}) },
  model_info: { id, db_model: false },
});

function gateway(entries: ModelEntry[], routes: Parameters<typeof fakeGateway>[0] = {}) {
  return fakeGateway({
    'GET /model/info': () => ({ data: entries }),
    'GET /admin/deployments/health': healthAnswer(entries.map((e) => health(e.model_info.id, e.model_name, e.litellm_params.model))),
    'GET /admin/providers': PROVIDERS_ANSWER,
    'GET /admin/settings': gatewaySettings(),
    'POST /model/new': (request: FakeRequest) => stored(request.body as { model_name: string; litellm_params: Record<string, unknown> }),
    ...routes,
  });
}

async function openAdd() {
  renderPage(<ModelsPage />, { path: '/models' });
  await userEvent.click(await screen.findByRole('button', { name: 'Add model' }));
  const dialog = screen.getByRole('dialog', { name: 'Add model' });
  // The form appears once the gateway's provider list has arrived.
  await within(dialog).findByLabelText('Provider');
  return dialog;
}

const field = (dialog: HTMLElement, label: string) => within(dialog).getByLabelText(label) as HTMLInputElement;
const errorOf = (input: HTMLElement) => document.getElementById(`${input.id}-error`)?.textContent;
const hintOf = (input: HTMLElement) => document.getElementById(`${input.id}-hint`)?.textContent;

describe('Add model', () => {
  it('offers the providers the gateway lists, in its order, starting on OpenAI', async () => {
    const fake = gateway([MOCK_ENTRY]);
    const dialog = await openAdd();
    const options = [...field(dialog, 'Provider').querySelectorAll('option')];
    expect(options.map((o) => [o.value, o.textContent])).toEqual(PROVIDERS_ANSWER.data.map((p) => [p.id, p.label]));
    expect(field(dialog, 'Provider').value).toBe('openai');
    expect(fake.callsTo('GET', '/admin/providers')).toHaveLength(1);
  });

  it('shows why the providers cannot be read, and asks again on Retry', async () => {
    let refusing = true;
    const fake = gateway([MOCK_ENTRY], {
      'GET /admin/providers': () => (refusing ? jsonResponse(403, { error: { message: 'Admin routes need the master key.' } }) : PROVIDERS_ANSWER),
    });
    renderPage(<ModelsPage />, { path: '/models' });
    await userEvent.click(await screen.findByRole('button', { name: 'Add model' }));
    const dialog = screen.getByRole('dialog', { name: 'Add model' });
    expect((await within(dialog).findByRole('alert')).textContent).toBe('Something went wrongAdmin routes need the master key. (HTTP 403)Retry');
    expect(within(dialog).queryByLabelText('Provider')).toBeNull();
    const refused = fake.callsTo('GET', '/admin/providers').length;
    refusing = false;
    await userEvent.click(within(dialog).getByRole('button', { name: 'Retry' }));
    expect(((await within(dialog).findByLabelText('Provider')) as HTMLSelectElement).value).toBe('openai');
    expect(fake.callsTo('GET', '/admin/providers')).toHaveLength(refused + 1);
  });

  it('says the key goes to the encrypted file when that is the secret store, not the OS keychain', async () => {
    gateway([MOCK_ENTRY], {
      'GET /admin/settings': gatewaySettings({
        secret_store: { kind: 'file', weaker_protection: true, description: 'An AES-256-GCM encrypted file, /data/secrets.enc.' },
      }),
    });
    const dialog = await openAdd();
    await waitFor(() =>
      expect(hintOf(field(dialog, 'API key'))).toBe(
        'Kept in the encrypted secrets file in the data directory (no OS keychain here); config.yaml gets a keychain/ reference. Or type os.environ/OPENAI_API_KEY to read it from the environment.',
      ),
    );
    expect(hintOf(field(dialog, 'API key'))).not.toContain('OS keychain;');
  });

  it('shows the fields the chosen provider needs', async () => {
    gateway([MOCK_ENTRY]);
    const dialog = await openAdd();
    // OpenAI: key, optional base with its default as placeholder, no API version.
    expect(field(dialog, 'API key').type).toBe('password');
    await waitFor(() => expect(hintOf(field(dialog, 'API key'))).toContain('Kept in the OS keychain; config.yaml gets a keychain/ reference'));
    expect(field(dialog, 'API base').placeholder).toBe('https://api.openai.com/v1');
    expect(within(dialog).queryByLabelText('API version')).toBeNull();

    await userEvent.selectOptions(field(dialog, 'Provider'), 'Azure OpenAI');
    expect(field(dialog, 'API version').placeholder).toBe('2024-10-21');
    await userEvent.type(field(dialog, 'Model name'), 'gpt-4o');
    await userEvent.type(field(dialog, 'Upstream model'), 'prod');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(errorOf(field(dialog, 'API base'))).toBe('Azure OpenAI needs its URL, e.g. https://my-resource.openai.azure.com.');
    expect(errorOf(field(dialog, 'API key'))).toMatch(/Azure OpenAI needs an API key/);

    await userEvent.selectOptions(field(dialog, 'Provider'), 'Ollama');
    expect(within(dialog).queryByLabelText('API version')).toBeNull();
    expect(hintOf(field(dialog, 'API key'))).toContain('Optional for Ollama');
    expect(field(dialog, 'API base').placeholder).toBe('http://localhost:11434');

    await userEvent.selectOptions(field(dialog, 'Provider'), 'OpenAI-compatible (vLLM, LM Studio…)');
    expect(hintOf(field(dialog, 'API base'))).toBe('Required.');

    await userEvent.selectOptions(field(dialog, 'Provider'), 'Mock (offline)');
    expect(within(dialog).queryByLabelText('API base')).toBeNull();
    expect(within(dialog).queryByLabelText('API key')).toBeNull();
  });

  it('adds an Ollama model without a key', async () => {
    const fake = gateway([MOCK_ENTRY]);
    const dialog = await openAdd();
    await userEvent.selectOptions(field(dialog, 'Provider'), 'ollama');
    await userEvent.type(field(dialog, 'Model name'), 'llama');
    await userEvent.type(field(dialog, 'Upstream model'), 'llama3.1');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Add model' })).toBeNull());
    expect(fake.callsTo('POST', '/model/new').map((c) => c.body)).toEqual([{ model_name: 'llama', litellm_params: { model: 'ollama/llama3.1' } }]);
    expect(await findToast('Added llama (ollama/llama3.1)')).toBe('success');
  });

  it('refuses extra params that are not a JSON object, keeping what was typed', async () => {
    const fake = gateway([MOCK_ENTRY]);
    const dialog = await openAdd();
    await userEvent.selectOptions(field(dialog, 'Provider'), 'mock');
    await userEvent.type(field(dialog, 'Model name'), 'echo');
    await userEvent.type(field(dialog, 'Upstream model'), 'echo');
    const extra = field(dialog, 'Extra params (JSON)');
    await userEvent.click(extra);
    await userEvent.paste('{"temperature": 0.2,');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(errorOf(extra)).toMatch(/^Not valid JSON/);
    expect(extra.value).toBe('{"temperature": 0.2,');
    expect(field(dialog, 'Model name').value).toBe('echo');

    await userEvent.clear(extra);
    await userEvent.paste('[1, 2]');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(errorOf(extra)).toBe('Write a JSON object, e.g. {"temperature": 0.2}.');

    await userEvent.clear(extra);
    await userEvent.paste('{"rpm": 5}');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(errorOf(extra)).toBe('`rpm` has its own field above; set it there.');
    expect(fake.callsTo('POST', '/model/new')).toHaveLength(0);
  });

  it('checks numbers next to their fields', async () => {
    const fake = gateway([MOCK_ENTRY]);
    const dialog = await openAdd();
    await userEvent.selectOptions(field(dialog, 'Provider'), 'mock');
    await userEvent.type(field(dialog, 'Model name'), 'echo');
    await userEvent.type(field(dialog, 'Upstream model'), 'echo');
    await userEvent.type(field(dialog, 'RPM'), '1.5');
    await userEvent.type(field(dialog, 'Timeout (s)'), '0');
    await userEvent.type(field(dialog, 'Input price ($ per 1M tokens)'), '-1');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(errorOf(field(dialog, 'RPM'))).toBe('Enter a whole number, 0 or more.');
    expect(errorOf(field(dialog, 'Timeout (s)'))).toBe('Enter a number of seconds greater than 0.');
    expect(errorOf(field(dialog, 'Input price ($ per 1M tokens)'))).toBe('Enter a price of 0 or more.');
    expect(fake.callsTo('POST', '/model/new')).toHaveLength(0);
  });

  it('posts the entry: provider/model, key, limits, prices per token and extra params', async () => {
    const fake = gateway([MOCK_ENTRY]);
    const dialog = await openAdd();
    await userEvent.type(field(dialog, 'Model name'), 'gpt-4o');
    await userEvent.selectOptions(field(dialog, 'Provider'), 'OpenAI');
    await userEvent.type(field(dialog, 'Upstream model'), 'gpt-4o');
    await userEvent.type(field(dialog, 'API key'), 'sk-proj-abc123');
    await userEvent.type(field(dialog, 'RPM'), '500');
    await userEvent.type(field(dialog, 'TPM'), '100000');
    await userEvent.type(field(dialog, 'Timeout (s)'), '30');
    await userEvent.type(field(dialog, 'Input price ($ per 1M tokens)'), '2.5');
    await userEvent.type(field(dialog, 'Output price ($ per 1M tokens)'), '10');
    await userEvent.click(field(dialog, 'Extra params (JSON)'));
    await userEvent.paste('{"temperature": 0.2, "max_tokens": 1024}');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(fake.callsTo('POST', '/model/new')).toHaveLength(1));
    expect(fake.callsTo('POST', '/model/new')[0]?.body).toEqual({
      model_name: 'gpt-4o',
      litellm_params: {
        model: 'openai/gpt-4o',
        api_key: 'sk-proj-abc123',
        rpm: 500,
        tpm: 100000,
        timeout: 30,
        input_cost_per_token: 0.0000025,
        output_cost_per_token: 0.00001,
        temperature: 0.2,
        max_tokens: 1024,
      },
    });
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Add model' })).toBeNull());
  });

  it("shows the gateway's error in the dialog and loses nothing typed", async () => {
    gateway([MOCK_ENTRY], {
      'POST /model/new': () =>
        jsonResponse(400, { error: { message: 'model_list[1].litellm_params.api_base: Azure needs api_base.', code: 'invalid_model_config' } }),
    });
    const dialog = await openAdd();
    await userEvent.type(field(dialog, 'Model name'), 'gpt');
    await userEvent.type(field(dialog, 'Upstream model'), 'gpt-4o');
    await userEvent.type(field(dialog, 'API key'), 'sk-typed');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect((await within(dialog).findByRole('alert')).textContent).toBe('model_list[1].litellm_params.api_base: Azure needs api_base. (HTTP 400)');
    expect(screen.getByRole('dialog', { name: 'Add model' })).toBe(dialog);
    expect(field(dialog, 'Model name').value).toBe('gpt');
    expect(field(dialog, 'Upstream model').value).toBe('gpt-4o');
    expect(field(dialog, 'API key').value).toBe('sk-typed');
  });

  it('shows the 409 of a gateway without a config file', async () => {
    const message = 'This gateway runs without a config file (it was started with --model), so there is no config.yaml to change.';
    gateway([MOCK_ENTRY], { 'POST /model/new': () => jsonResponse(409, { error: { message, code: 'no_config_file' } }) });
    const dialog = await openAdd();
    await userEvent.selectOptions(field(dialog, 'Provider'), 'mock');
    await userEvent.type(field(dialog, 'Model name'), 'x');
    await userEvent.type(field(dialog, 'Upstream model'), 'echo');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect((await within(dialog).findByRole('alert')).textContent).toBe(`${message} (HTTP 409)`);
    // The page says it too, above the list.
    await userEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(screen.getByRole('alert').textContent).toBe(message);
  });
});

describe('Edit model', () => {
  async function openEdit(entries: ModelEntry[], rowName: string, routes: Parameters<typeof fakeGateway>[0] = {}) {
    const fake = gateway(entries, {
      'POST /model/update': (request: FakeRequest) => {
        const body = request.body as { model_info: { id: string }; model_name?: string; litellm_params?: Record<string, unknown> };
        const entry = entries.find((e) => e.model_info.id === body.model_info.id)!;
        return stored(
          { model_name: body.model_name ?? entry.model_name, litellm_params: { ...entry.litellm_params, ...body.litellm_params } },
          entry.model_info.id,
        );
      },
      ...routes,
    });
    renderPage(<ModelsPage />, { path: '/models' });
    const row = await screen.findByRole('row', { name: rowName });
    // Editable once the provider list says what the deployment's provider needs.
    const edit = within(row).getByRole('button', { name: 'Edit' }) as HTMLButtonElement;
    await waitFor(() => expect(edit.disabled).toBe(false));
    await userEvent.click(edit);
    return { fake, dialog: screen.getByRole('dialog', { name: 'Edit model' }) };
  }

  it('is prefilled, never with the key, and sends only what changed', async () => {
    const { fake, dialog } = await openEdit([OPENAI_ENTRY], 'gpt-4o openai/gpt-4o');
    expect(field(dialog, 'Model name').value).toBe('gpt-4o');
    expect(field(dialog, 'Provider').value).toBe('openai');
    expect(field(dialog, 'Upstream model').value).toBe('gpt-4o');
    expect(field(dialog, 'API key').value).toBe('');
    expect(hintOf(field(dialog, 'API key'))).toContain('Leave empty to keep the current key (keychain/model-openai-1-api_key).');
    expect(field(dialog, 'RPM').value).toBe('500');
    expect(field(dialog, 'Timeout (s)').value).toBe('30');
    expect(field(dialog, 'Input price ($ per 1M tokens)').value).toBe('2.5');
    expect(field(dialog, 'Output price ($ per 1M tokens)').value).toBe('10');
    expect(JSON.parse(field(dialog, 'Extra params (JSON)').value)).toEqual({ temperature: 0.2 });

    await userEvent.clear(field(dialog, 'RPM'));
    await userEvent.type(field(dialog, 'RPM'), '100');
    await userEvent.clear(field(dialog, 'Output price ($ per 1M tokens)'));
    await userEvent.type(field(dialog, 'Output price ($ per 1M tokens)'), '12');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(fake.callsTo('POST', '/model/update')).toHaveLength(1));
    expect(fake.callsTo('POST', '/model/update')[0]?.body).toEqual({
      model_info: { id: 'openai-1' },
      litellm_params: { rpm: 100, output_cost_per_token: 0.000012 },
    });
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Edit model' })).toBeNull());
  });

  it('sends a new key only when one is typed, and a renamed group', async () => {
    const { fake, dialog } = await openEdit([AZURE_ENTRY], 'gpt-4o azure/prod-gpt4o');
    expect(field(dialog, 'Provider').value).toBe('azure');
    expect(field(dialog, 'API base').value).toBe('https://acme.openai.azure.com');
    expect(field(dialog, 'API version').value).toBe('2024-06-01');
    await userEvent.clear(field(dialog, 'Model name'));
    await userEvent.type(field(dialog, 'Model name'), 'gpt-4o-eu');
    await userEvent.type(field(dialog, 'API key'), 'new-azure-key');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(fake.callsTo('POST', '/model/update')).toHaveLength(1));
    expect(fake.callsTo('POST', '/model/update')[0]?.body).toEqual({
      model_info: { id: 'azure-1' },
      model_name: 'gpt-4o-eu',
      litellm_params: { api_key: 'new-azure-key' },
    });
  });

  it('says a setting cannot be cleared by an edit instead of pretending', async () => {
    const { fake, dialog } = await openEdit([OPENAI_ENTRY], 'gpt-4o openai/gpt-4o');
    await userEvent.clear(field(dialog, 'TPM'));
    await userEvent.clear(field(dialog, 'Extra params (JSON)'));
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(errorOf(field(dialog, 'TPM'))).toMatch(/An edit cannot clear this/);
    expect(errorOf(field(dialog, 'Extra params (JSON)'))).toMatch(/`temperature` cannot be removed by an edit/);
    expect(fake.callsTo('POST', '/model/update')).toHaveLength(0);
  });

  it('never writes a masked secret back as a value', async () => {
    const entry: ModelEntry = {
      model_name: 'team',
      litellm_params: { model: 'openai/gpt-4o', headers: { Authorization: 'Bearer sk-…wxyz', 'X-Team': 'a' } },
      model_info: { id: 'team-1', db_model: false },
    };
    const { fake, dialog } = await openEdit([entry], 'team openai/gpt-4o');
    const extra = field(dialog, 'Extra params (JSON)');
    expect(JSON.parse(extra.value)).toEqual({ headers: { Authorization: 'Bearer sk-…wxyz', 'X-Team': 'a' } });
    await userEvent.clear(extra);
    await userEvent.paste('{"headers": {"Authorization": "Bearer sk-…wxyz", "X-Team": "b"}}');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(errorOf(extra)).toBe('`headers` still holds the masked secret Bearer sk-…wxyz: type the full value, or leave `headers` as it was.');
    expect(fake.callsTo('POST', '/model/update')).toHaveLength(0);
  });

  it('cannot edit a deployment whose provider the gateway does not list', async () => {
    const entry: ModelEntry = { model_name: 'ds', litellm_params: { model: 'deepseek/deepseek-chat' }, model_info: { id: 'ds-1', db_model: false } };
    const fake = gateway([entry, OPENAI_ENTRY]);
    renderPage(<ModelsPage />, { path: '/models' });
    const openai = within(await screen.findByRole('row', { name: 'gpt-4o openai/gpt-4o' })).getByRole('button', { name: 'Edit' }) as HTMLButtonElement;
    await waitFor(() => expect(openai.disabled).toBe(false));
    const edit = within(screen.getByRole('row', { name: 'ds deepseek/deepseek-chat' })).getByRole('button', { name: 'Edit' }) as HTMLButtonElement;
    expect(edit.disabled).toBe(true);
    expect(edit.title).toBe('This provider is not one the form knows; edit it in config.yaml.');
    expect(fake.callsTo('GET', '/admin/providers').length).toBeGreaterThan(0);
  });

  it('closes without a request when nothing changed', async () => {
    const { fake, dialog } = await openEdit([MOCK_ENTRY, OPENAI_ENTRY], 'mock-gpt mock/echo');
    expect(field(dialog, 'Provider').value).toBe('mock');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Edit model' })).toBeNull());
    expect(fake.callsTo('POST', '/model/update')).toHaveLength(0);
  });
});
