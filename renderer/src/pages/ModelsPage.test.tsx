// @vitest-environment jsdom
import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ModelEntry } from '../api/types.ts';
import { fakeGateway, findToast, jsonResponse, renderPage } from '../test-utils.tsx';
import { ModelsPage } from './ModelsPage.tsx';
import { HealthBadge } from './models/DeploymentRow.tsx';
import { AZURE_ENTRY, MOCK_ENTRY, OPENAI_ENTRY, PROVIDERS_ANSWER, health, healthAnswer } from './models/test-fixtures.ts';

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

function gateway(entries: ModelEntry[], extra: Parameters<typeof fakeGateway>[0] = {}) {
  return fakeGateway({
    'GET /model/info': () => ({ data: entries }),
    'GET /admin/deployments/health': healthAnswer([
      health('mock-1', 'mock-gpt', 'mock/echo', { success_rate: 0.985, latency_p50_ms: 42, requests: 200 }),
      health('openai-1', 'gpt-4o', 'openai/gpt-4o', {
        state: 'cooling',
        cooldown_remaining_s: 12,
        success_rate: 0.5,
        last_error: { message: 'Incorrect API key provided: sk-…abcd.', status: 401, at: new Date(Date.now() - 120_000).toISOString() },
      }),
      health('azure-1', 'gpt-4o', 'azure/prod-gpt4o', { state: 'failing', success_rate: 0 }),
    ]),
    'GET /admin/providers': PROVIDERS_ANSWER,
    ...extra,
  });
}

/** A deployment row's cell in the column headed `column`. */
function column(row: HTMLElement, name: string): HTMLTableCellElement {
  const headers = [...(row.closest('table')?.querySelectorAll('thead th') ?? [])].map((th) => th.textContent);
  expect(headers).toContain(name);
  return (row as HTMLTableRowElement).cells[headers.indexOf(name)]!;
}
const items = (cell: HTMLElement) => [...cell.querySelectorAll('li')].map((li) => li.textContent);
/** "URL …" and "Key …" under a deployment's upstream model. */
const details = (row: HTMLElement) => [...column(row, 'Deployment').querySelectorAll('.deployment-cell-detail')].map((d) => d.textContent);
const badge = (row: HTMLElement) => column(row, 'Health').querySelector('.badge');
/** The deployment rows on the page, by their accessible names. */
const deploymentRows = () =>
  screen
    .queryAllByRole('row')
    .map((r) => r.getAttribute('aria-label'))
    .filter(Boolean);

describe('ModelsPage: deployments and health', () => {
  it('lists model groups with each deployment, its key as the API gives it, limits and health', async () => {
    gateway([MOCK_ENTRY, OPENAI_ENTRY, AZURE_ENTRY]);
    renderPage(<ModelsPage />, { path: '/models' });
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Models');
    expect((await screen.findAllByRole('heading', { level: 2 })).map((h) => h.textContent)).toEqual(['mock-gpt', 'gpt-4o']);
    expect(deploymentRows()).toEqual(['mock-gpt mock/echo', 'gpt-4o openai/gpt-4o', 'gpt-4o azure/prod-gpt4o']);

    const mock = screen.getByRole('row', { name: 'mock-gpt mock/echo' });
    expect(details(mock)).toEqual(['URL built-in, offline']); // no key line for the built-in mock
    await waitFor(() => expect(badge(mock)?.textContent).toBe('healthy'));
    expect(badge(mock)?.className).toBe('badge badge-ok');
    expect(items(column(mock, 'Health'))).toEqual(['Success 98.5%', 'p50 42 ms', '200 calls in 5 min']);
    expect(column(mock, 'Limits').textContent).toBe('—');

    const openai = screen.getByRole('row', { name: 'gpt-4o openai/gpt-4o' });
    expect(details(openai)).toEqual(['URL provider default', 'Key keychain/model-openai-1-api_key']);
    expect(items(column(openai, 'Limits'))).toEqual(['RPM 500', 'TPM 100,000', 'timeout 30 s']);
    expect(badge(openai)?.textContent).toMatch(/^cooling 1[12] s$/);
    expect(badge(openai)?.className).toBe('badge badge-warning');
    expect(column(openai, 'Last error').firstElementChild?.textContent).toBe('Incorrect API key provided: sk-…abcd.');
    expect(within(openai).getByText(/HTTP 401/).textContent).toBe('HTTP 401 · 2 min ago');

    const azure = screen.getByRole('row', { name: 'gpt-4o azure/prod-gpt4o' });
    expect(details(azure)).toEqual(['URL https://acme.openai.azure.com', 'Key sk-…abcd']);
    expect(badge(azure)?.textContent).toBe('failing');
    expect(badge(azure)?.className).toBe('badge badge-danger');
    expect([...document.querySelectorAll('.model-group-header > span')].map((s) => s.textContent)).toEqual([
      '1 deployment · 1 healthy',
      '2 deployments · 2 failing or cooling',
    ]);
  });

  it('flags a deployment with no price and says how to give it one; priced ones carry no flag', async () => {
    const unpriced: ModelEntry = {
      model_name: 'brand-new',
      litellm_params: { model: 'openai/gpt-brand-new', api_key: 'keychain/model-brand-new-api_key' },
      model_info: { id: 'brand-new-1', db_model: false, cost_source: 'unpriced', price_table_entry: null },
    };
    const priced: ModelEntry = { ...OPENAI_ENTRY, model_info: { ...OPENAI_ENTRY.model_info, cost_source: 'deployment', price_table_entry: 'gpt-4o' } };
    gateway([priced, unpriced]);
    renderPage(<ModelsPage />);
    const row = await screen.findByRole('row', { name: 'brand-new openai/gpt-brand-new' });
    const flag = within(row).getByRole('note', { name: 'No price' });
    expect(within(flag).getByText('no price').className).toBe('badge badge-warning');
    expect(flag.textContent).toContain('set input_cost_per_token / output_cost_per_token');
    expect(flag.textContent).toContain('update the price table in Settings');
    expect(within(screen.getByRole('row', { name: 'gpt-4o openai/gpt-4o' })).queryByRole('note', { name: 'No price' })).toBeNull();
  });

  it('counts a cooldown down every second', () => {
    vi.useFakeTimers();
    const fetchedAt = Date.now();
    const { container } = render(<HealthBadge health={health('a', 'a', 'mock/a', { state: 'cooling', cooldown_remaining_s: 12 })} fetchedAt={fetchedAt} />);
    expect(container.textContent).toBe('cooling 12 s');
    act(() => void vi.advanceTimersByTime(3000));
    expect(container.textContent).toBe('cooling 9 s');
    act(() => void vi.advanceTimersByTime(10_000));
    expect(container.textContent).toBe('cooling');
  });

  it('shows an empty state with the Add model button when there are no models', async () => {
    gateway([]);
    renderPage(<ModelsPage />, { path: '/models' });
    await screen.findByText('No models yet');
    expect(screen.queryByRole('table')).toBeNull();
    expect(screen.queryByRole('dialog')).toBeNull();
    // The header has no Add model button of its own here: the empty state's is the one.
    const add = screen.getByRole('button', { name: 'Add model' });
    expect(add.closest('.state-empty')).not.toBeNull();
    await userEvent.click(add);
    const dialog = screen.getByRole('dialog');
    expect(dialog.hasAttribute('open')).toBe(true);
    expect(dialog.querySelector('h2')?.textContent).toBe('Add model');
  });

  it('shows the error when the model list cannot be read', async () => {
    const fake = fakeGateway({
      'GET /model/info': () => jsonResponse(500, { error: { message: 'database is locked' } }),
      'GET /admin/deployments/health': healthAnswer([]),
    });
    renderPage(<ModelsPage />, { path: '/models' });
    // A 5xx is asked again twice (the app's retry policy) before it shows.
    expect((await screen.findByRole('alert', {}, { timeout: 6000 })).textContent).toContain('database is locked (HTTP 500)');
    expect(fake.callsTo('GET', '/model/info')).toHaveLength(3);
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(fake.callsTo('GET', '/model/info')).toHaveLength(4));
  });
});

describe('ModelsPage: Test', () => {
  it('shows latency and the reply when the deployment answers', async () => {
    const fake = gateway([MOCK_ENTRY, OPENAI_ENTRY], {
      'POST /admin/deployments/mock-1/test': { ok: true, latency_ms: 123.4, model: 'echo', reply: 'Echo: ping' },
    });
    renderPage(<ModelsPage />, { path: '/models' });
    const row = await screen.findByRole('row', { name: 'mock-gpt mock/echo' });
    await userEvent.click(within(row).getByRole('button', { name: 'Test' }));
    await waitFor(() => expect(within(row).getByRole('status').textContent).toBe('OK · 123 ms · “Echo: ping”'));
    expect(fake.callsTo('POST', '/admin/deployments/mock-1/test')).toHaveLength(1);
    // The other row is untouched.
    expect(within(screen.getByRole('row', { name: 'gpt-4o openai/gpt-4o' })).queryByRole('status')).toBeNull();
  });

  it('shows the status and the exact error when it fails', async () => {
    gateway([OPENAI_ENTRY], {
      'POST /admin/deployments/openai-1/test': {
        ok: false,
        latency_ms: 87,
        status: 401,
        error: {
          message: 'Incorrect API key provided: sk-…abcd. You can find your API key at https://platform.openai.com/account/api-keys.',
          type: 'authentication_error',
        },
      },
    });
    renderPage(<ModelsPage />, { path: '/models' });
    const row = await screen.findByRole('row', { name: 'gpt-4o openai/gpt-4o' });
    await userEvent.click(within(row).getByRole('button', { name: 'Test' }));
    await waitFor(() =>
      expect(within(row).getByRole('status').textContent).toBe(
        'Failed · HTTP 401 · Incorrect API key provided: sk-…abcd. You can find your API key at https://platform.openai.com/account/api-keys.',
      ),
    );
  });

  it('shows the gateway refusing the test itself', async () => {
    gateway([MOCK_ENTRY], {
      'POST /admin/deployments/mock-1/test': () => jsonResponse(404, { error: { message: 'No deployment has the id `mock-1`.', param: 'id' } }),
    });
    renderPage(<ModelsPage />, { path: '/models' });
    const row = await screen.findByRole('row', { name: 'mock-gpt mock/echo' });
    await userEvent.click(within(row).getByRole('button', { name: 'Test' }));
    await waitFor(() => expect(within(row).getByRole('status').textContent).toBe('Failed · HTTP 404 · No deployment has the id `mock-1`.'));
  });
});

describe('ModelsPage: Delete', () => {
  it('asks first, then removes the deployment by id', async () => {
    let entries = [MOCK_ENTRY, OPENAI_ENTRY];
    const fake = gateway([], {
      'GET /model/info': () => ({ data: entries }),
      'POST /model/delete': (request: { body: unknown }) => {
        entries = entries.filter((e) => e.model_info.id !== (request.body as { id: string }).id);
        return { message: 'Model: mock-1 deleted successfully' };
      },
    });
    renderPage(<ModelsPage />, { path: '/models' });
    const row = await screen.findByRole('row', { name: 'mock-gpt mock/echo' });
    await userEvent.click(within(row).getByRole('button', { name: 'Delete' }));
    const dialog = screen.getByRole('dialog', { name: 'Delete model' });
    expect(dialog.textContent).toContain('mock/echo');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(fake.callsTo('POST', '/model/delete')).toHaveLength(0);

    await userEvent.click(within(row).getByRole('button', { name: 'Delete' }));
    await userEvent.click(within(screen.getByRole('dialog', { name: 'Delete model' })).getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(screen.queryByRole('row', { name: 'mock-gpt mock/echo' })).toBeNull());
    expect(fake.callsTo('POST', '/model/delete').map((c) => c.body)).toEqual([{ id: 'mock-1' }]);
    expect(deploymentRows()).toEqual(['gpt-4o openai/gpt-4o']);
    expect(await findToast('Deleted mock-gpt (mock/echo)')).toBe('success');
  });

  it('puts the row back and says why when the gateway refuses', async () => {
    const message = 'This gateway runs without a config file (it was started with --model), so there is no config.yaml to change.';
    let release: () => void = () => {};
    const answered = new Promise<void>((resolve) => (release = resolve));
    gateway([MOCK_ENTRY], {
      'POST /model/delete': async () => {
        await answered;
        return jsonResponse(409, { error: { message, code: 'no_config_file' } });
      },
    });
    renderPage(<ModelsPage />, { path: '/models' });
    const row = await screen.findByRole('row', { name: 'mock-gpt mock/echo' });
    await userEvent.click(within(row).getByRole('button', { name: 'Delete' }));
    await userEvent.click(within(screen.getByRole('dialog', { name: 'Delete model' })).getByRole('button', { name: 'Delete' }));
    // Optimistic: gone at once…
    await waitFor(() => expect(screen.queryByRole('row', { name: 'mock-gpt mock/echo' })).toBeNull());
    release();
    // …and back when refused, with the gateway's message.
    await waitFor(() => expect(deploymentRows()).toEqual(['mock-gpt mock/echo']));
    expect((await screen.findByRole('alert')).textContent).toBe(message);
    expect(await findToast(`Could not delete mock-gpt (mock/echo): ${message} (HTTP 409)`)).toBe('error');
  });
});
