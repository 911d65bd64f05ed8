// @vitest-environment jsdom
/** The Add / Edit model dialog with a provider's own fields (AWS keys for Bedrock, a service account key for Vertex AI). */
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ModelEntry } from '../../api/types.ts';
import { fakeGateway, gatewaySettings, renderPage, type FakeRequest } from '../../test-utils.tsx';
import { ModelsPage } from '../ModelsPage.tsx';
import { BEDROCK_ENTRY, MOCK_ENTRY, PROVIDERS_ANSWER, health, healthAnswer } from './test-fixtures.ts';

afterEach(() => vi.unstubAllGlobals());

type Body = { model_name: string; litellm_params: Record<string, unknown> };

function gateway(entries: ModelEntry[]) {
  return fakeGateway({
    'GET /model/info': () => ({ data: entries }),
    'GET /admin/deployments/health': healthAnswer(entries.map((e) => health(e.model_info.id, e.model_name, e.litellm_params.model))),
    'GET /admin/providers': PROVIDERS_ANSWER,
    'GET /admin/settings': gatewaySettings(),
    'POST /model/new': (request: FakeRequest) => ({ model_id: 'new-1', ...(request.body as Body), model_info: { id: 'new-1', db_model: false } }),
    'POST /model/update': (request: FakeRequest) => {
      const body = request.body as { model_info: { id: string }; litellm_params?: Record<string, unknown> };
      const entry = entries.find((e) => e.model_info.id === body.model_info.id)!;
      return {
        model_id: entry.model_info.id,
        model_name: entry.model_name,
        litellm_params: { ...entry.litellm_params, ...body.litellm_params },
        model_info: entry.model_info,
      };
    },
  });
}

const field = (dialog: HTMLElement, label: string) => within(dialog).getByLabelText(label) as HTMLInputElement;
const errorOf = (input: HTMLElement) => document.getElementById(`${input.id}-error`)?.textContent;
const hintOf = (input: HTMLElement) => document.getElementById(`${input.id}-hint`)?.textContent;
const save = (dialog: HTMLElement) => userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));

async function openAdd(provider: string) {
  renderPage(<ModelsPage />, { path: '/models' });
  await userEvent.click(await screen.findByRole('button', { name: 'Add model' }));
  const dialog = screen.getByRole('dialog', { name: 'Add model' });
  await userEvent.selectOptions(await within(dialog).findByLabelText('Provider'), provider);
  return dialog;
}

async function openEdit(rowName: string) {
  renderPage(<ModelsPage />, { path: '/models' });
  const edit = within(await screen.findByRole('row', { name: rowName })).getByRole('button', { name: 'Edit' }) as HTMLButtonElement;
  await waitFor(() => expect(edit.disabled).toBe(false));
  await userEvent.click(edit);
  return screen.getByRole('dialog', { name: 'Edit model' });
}

describe('Add model: the provider’s own fields', () => {
  it('Bedrock: region, keys as password fields saying where they go, the keys posted in litellm_params', async () => {
    const fake = gateway([MOCK_ENTRY]);
    const dialog = await openAdd('bedrock');
    expect(field(dialog, 'AWS region').placeholder).toBe('us-west-2');
    expect(hintOf(field(dialog, 'AWS region'))).toBe('Empty: read from AWS_REGION_NAME, AWS_REGION or AWS_DEFAULT_REGION.');
    for (const label of ['AWS access key ID', 'AWS secret access key', 'AWS session token']) {
      expect(field(dialog, label).type).toBe('password');
      await waitFor(() => expect(hintOf(field(dialog, label))).toContain('Kept in the OS keychain; config.yaml gets a keychain/ reference.'));
    }
    expect(field(dialog, 'AWS profile').type).toBe('text');
    // Other providers do not show them.
    await userEvent.selectOptions(field(dialog, 'Provider'), 'openai');
    expect(within(dialog).queryByLabelText('AWS region')).toBeNull();
    await userEvent.selectOptions(field(dialog, 'Provider'), 'bedrock');

    await userEvent.type(field(dialog, 'Model name'), 'claude');
    await userEvent.type(field(dialog, 'Upstream model'), 'anthropic.claude-3-5-sonnet-20240620-v1:0');
    await userEvent.type(field(dialog, 'AWS region'), 'eu-west-1');
    await userEvent.type(field(dialog, 'AWS access key ID'), 'AKIAIOSFODNN7EXAMPLE');
    await userEvent.type(field(dialog, 'AWS secret access key'), 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY');
    await userEvent.type(field(dialog, 'AWS session token'), 'keychain/aws-session');
    await save(dialog);
    await waitFor(() => expect(fake.callsTo('POST', '/model/new')).toHaveLength(1));
    expect(fake.callsTo('POST', '/model/new')[0]?.body).toEqual({
      model_name: 'claude',
      litellm_params: {
        model: 'bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0',
        aws_region_name: 'eu-west-1',
        aws_access_key_id: 'AKIAIOSFODNN7EXAMPLE',
        aws_secret_access_key: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
        aws_session_token: 'keychain/aws-session',
      },
    });
  });

  it('Bedrock: a setting with a field of its own is refused in Extra params', async () => {
    const fake = gateway([MOCK_ENTRY]);
    const dialog = await openAdd('bedrock');
    await userEvent.type(field(dialog, 'Model name'), 'claude');
    await userEvent.type(field(dialog, 'Upstream model'), 'anthropic.claude-3-haiku-20240307-v1:0');
    await userEvent.click(field(dialog, 'Extra params (JSON)'));
    await userEvent.paste('{"aws_region_name": "eu-west-1"}');
    await save(dialog);
    expect(errorOf(field(dialog, 'Extra params (JSON)'))).toBe('`aws_region_name` has its own field above; set it there.');
    expect(fake.callsTo('POST', '/model/new')).toHaveLength(0);
  });

  it('Vertex AI: pasted service account JSON is posted as it is (several lines); bad JSON is named next to the field', async () => {
    const fake = gateway([MOCK_ENTRY]);
    const dialog = await openAdd('vertex_ai');
    const key = field(dialog, 'Service account key');
    expect(key.tagName).toBe('TEXTAREA');
    expect(hintOf(key)).toBe(
      'A key file path stays in config.yaml as written; pasted JSON goes to the gateway’s secret store (the OS keychain, or its encrypted file). Empty: read from VERTEXAI_CREDENTIALS or GOOGLE_APPLICATION_CREDENTIALS.',
    );
    await userEvent.type(field(dialog, 'Model name'), 'gemini');
    await userEvent.type(field(dialog, 'Upstream model'), 'gemini-2.5-flash');
    await userEvent.type(field(dialog, 'Google Cloud project'), 'acme-prod');
    await userEvent.click(key);
    await userEvent.paste('{\n  "type": "service_account",\n  "client_email": "gw@acme-prod.iam.gserviceaccount.com"\n');
    await save(dialog);
    expect(errorOf(key)).toMatch(/^Not valid JSON: .*Paste the whole key file, or give its path\.$/);
    expect(fake.callsTo('POST', '/model/new')).toHaveLength(0);

    await userEvent.click(key);
    await userEvent.paste('}\n');
    await save(dialog);
    await waitFor(() => expect(fake.callsTo('POST', '/model/new')).toHaveLength(1));
    expect(fake.callsTo('POST', '/model/new')[0]?.body).toEqual({
      model_name: 'gemini',
      litellm_params: {
        model: 'vertex_ai/gemini-2.5-flash',
        vertex_project: 'acme-prod',
        vertex_credentials: '{\n  "type": "service_account",\n  "client_email": "gw@acme-prod.iam.gserviceaccount.com"\n}',
      },
    });
  });

  it('Azure: an Entra ID token in its field stands in for the API key', async () => {
    const fake = gateway([MOCK_ENTRY]);
    const dialog = await openAdd('azure');
    await userEvent.type(field(dialog, 'Model name'), 'gpt-4o');
    await userEvent.type(field(dialog, 'Upstream model'), 'prod');
    await userEvent.type(field(dialog, 'API base'), 'https://acme.openai.azure.com');
    await save(dialog);
    expect(errorOf(field(dialog, 'API key'))).toMatch(/Azure OpenAI needs an API key/);
    await userEvent.type(field(dialog, 'Entra ID token'), 'eyJ0eXAiOiJKV1Qi.token');
    await save(dialog);
    await waitFor(() => expect(fake.callsTo('POST', '/model/new')).toHaveLength(1));
    expect(fake.callsTo('POST', '/model/new')[0]?.body).toMatchObject({ litellm_params: { azure_ad_token: 'eyJ0eXAiOiJKV1Qi.token' } });
  });

  it('Replicate: the poll interval must be a number, and is sent as one', async () => {
    const fake = gateway([MOCK_ENTRY]);
    const dialog = await openAdd('replicate');
    await userEvent.type(field(dialog, 'Model name'), 'llama');
    await userEvent.type(field(dialog, 'Upstream model'), 'meta/meta-llama-3-8b-instruct');
    await userEvent.type(field(dialog, 'API key'), 'r8_key');
    await userEvent.type(field(dialog, 'Poll interval (s)'), 'fast');
    await save(dialog);
    expect(errorOf(field(dialog, 'Poll interval (s)'))).toBe('Enter a number greater than 0.');
    await userEvent.clear(field(dialog, 'Poll interval (s)'));
    await userEvent.type(field(dialog, 'Poll interval (s)'), '0.25');
    await save(dialog);
    await waitFor(() => expect(fake.callsTo('POST', '/model/new')).toHaveLength(1));
    expect(fake.callsTo('POST', '/model/new')[0]?.body).toMatchObject({ litellm_params: { replicate_poll_interval: 0.25 } });
  });
});

describe('Edit model: the provider’s own fields', () => {
  it('prefills settings, never secrets (their hint shows the current reference), and sends only what changed', async () => {
    const fake = gateway([BEDROCK_ENTRY]);
    const dialog = await openEdit('claude bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0');
    expect(field(dialog, 'AWS region').value).toBe('eu-west-1');
    expect(field(dialog, 'AWS secret access key').value).toBe('');
    expect(hintOf(field(dialog, 'AWS secret access key'))).toContain('Leave empty to keep the current value (keychain/model-bedrock-1-aws_secret_access_key).');
    expect(hintOf(field(dialog, 'AWS session token'))).toContain('Empty: read from AWS_SESSION_TOKEN.');
    expect(field(dialog, 'Extra params (JSON)').value).toBe('');

    await userEvent.type(field(dialog, 'AWS secret access key'), 'rotated-secret-key');
    await userEvent.clear(field(dialog, 'AWS region'));
    await save(dialog);
    expect(errorOf(field(dialog, 'AWS region'))).toMatch(/An edit cannot clear this/);
    expect(fake.callsTo('POST', '/model/update')).toHaveLength(0);

    await userEvent.type(field(dialog, 'AWS region'), 'eu-central-1');
    await save(dialog);
    await waitFor(() => expect(fake.callsTo('POST', '/model/update')).toHaveLength(1));
    expect(fake.callsTo('POST', '/model/update')[0]?.body).toEqual({
      model_info: { id: 'bedrock-1' },
      litellm_params: { aws_region_name: 'eu-central-1', aws_secret_access_key: 'rotated-secret-key' },
    });
  });
});
