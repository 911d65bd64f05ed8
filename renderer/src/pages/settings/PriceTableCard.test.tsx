// @vitest-environment jsdom
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PriceTableStatus } from '../../api/types.ts';
import { fakeGateway, findToast, gatewaySettings, jsonResponse, renderPage, type FakeRequest } from '../../test-utils.tsx';
import { SettingsPage } from '../SettingsPage.tsx';

const settings = gatewaySettings();

const bundled: PriceTableStatus = {
  source: 'bundled',
  models: 2980,
  entries: 2985,
  updated_at: null,
  from: '/app/resources/model_prices_and_context_window.json',
  default_url: 'https://raw.githubusercontent.com/BerriAI/litellm/main/model_prices_and_context_window.json',
  updatable: true,
  persistent: true,
  min_models: 1490,
  unpriced_deployments: [{ id: 'brand-new-1', model_name: 'brand-new', model: 'openai/gpt-brand-new' }],
};

const updated = (from: string): PriceTableStatus => ({
  ...bundled,
  source: 'updated',
  models: 3001,
  from,
  updated_at: '2026-12-03T10:00:00.000Z',
  unpriced_deployments: [],
});

const card = () => screen.getByRole('region', { name: 'Price table' });
const definitions = (root: HTMLElement) =>
  Object.fromEntries([...root.querySelectorAll('dl dt')].map((dt) => [dt.textContent, dt.nextElementSibling?.textContent]));
const jsonFile = (text: string, name = 'prices.json') => new File([text], name, { type: 'application/json' });

describe('Settings → Price table', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
  });

  it('shows the table in force and the deployments it cannot price', async () => {
    fakeGateway({ 'GET /admin/settings': settings, 'GET /admin/prices': bundled });
    renderPage(<SettingsPage />);
    await waitFor(() => expect(definitions(card())).toMatchObject({ Source: 'Bundled', 'Models priced': '2,980', Updated: '—' }));
    const note = within(card()).getByRole('note', { name: 'Unpriced deployments' });
    expect(note.textContent).toContain('brand-new');
    expect(note.textContent).toContain('openai/gpt-brand-new');
    expect((within(card()).getByRole('button', { name: 'Revert to bundled' }) as HTMLButtonElement).disabled).toBe(true);
    expect((within(card()).getByLabelText('Price table URL') as HTMLInputElement).value).toBe(bundled.default_url);
  });

  it('updates from a URL: posts it, then shows the new table', async () => {
    const user = userEvent.setup();
    const gateway = fakeGateway({
      'GET /admin/settings': settings,
      'GET /admin/prices': bundled,
      'POST /admin/prices': (r: FakeRequest) => updated((r.body as { url: string }).url),
    });
    renderPage(<SettingsPage />);
    const url = await within(await screen.findByRole('region', { name: 'Price table' })).findByLabelText('Price table URL');
    await user.clear(url);
    await user.type(url, 'https://mirror.example/prices.json');
    await user.click(within(card()).getByRole('button', { name: 'Update from URL' }));

    expect(await findToast('Price table updated: 3,001 models priced')).toBe('success');
    expect(gateway.callsTo('POST', '/admin/prices')[0]!.body).toEqual({ url: 'https://mirror.example/prices.json' });
    expect(definitions(card())).toMatchObject({ Source: 'Updated', 'Models priced': '3,001', From: 'https://mirror.example/prices.json' });
    expect(within(card()).queryByRole('note', { name: 'Unpriced deployments' })).toBeNull();
    expect((within(card()).getByRole('button', { name: 'Revert to bundled' }) as HTMLButtonElement).disabled).toBe(false);
  });

  it("uploads a file as { table }, and shows the gateway's refusal inline", async () => {
    const user = userEvent.setup();
    const gateway = fakeGateway({
      'GET /admin/settings': settings,
      'GET /admin/prices': bundled,
      'POST /admin/prices': () =>
        jsonResponse(400, {
          error: {
            message: 'Price table rejected: "x".input_cost_per_token is -1; a price must be a finite number ≥ 0.',
            type: 'invalid_request_error',
            param: 'table',
            code: 'price_table_rejected',
          },
        }),
    });
    renderPage(<SettingsPage />);
    const input = (await within(await screen.findByRole('region', { name: 'Price table' })).findByLabelText('Upload file')) as HTMLInputElement;
    await user.upload(input, jsonFile('{"x": {"litellm_provider": "openai", "input_cost_per_token": -1}}'));

    const alert = await within(card()).findByRole('alert');
    expect(alert.textContent).toBe('Price table rejected: "x".input_cost_per_token is -1; a price must be a finite number ≥ 0. (HTTP 400)');
    expect(gateway.callsTo('POST', '/admin/prices')[0]!.body).toEqual({ table: { x: { litellm_provider: 'openai', input_cost_per_token: -1 } } });
    expect(definitions(card())).toMatchObject({ Source: 'Bundled' });
  });

  it('says a file that is not JSON is not a price table, without asking the gateway', async () => {
    const user = userEvent.setup();
    const gateway = fakeGateway({ 'GET /admin/settings': settings, 'GET /admin/prices': bundled });
    renderPage(<SettingsPage />);
    const input = (await within(await screen.findByRole('region', { name: 'Price table' })).findByLabelText('Upload file')) as HTMLInputElement;
    await user.upload(input, jsonFile('<html>', 'page.json'));
    expect((await within(card()).findByRole('alert')).textContent).toMatch(/^page\.json is not a JSON price table/);
    expect(gateway.callsTo('POST', '/admin/prices')).toHaveLength(0);
  });

  it('reverts to the bundled table', async () => {
    const user = userEvent.setup();
    const gateway = fakeGateway({ 'GET /admin/settings': settings, 'GET /admin/prices': updated('upload'), 'DELETE /admin/prices': bundled });
    renderPage(<SettingsPage />);
    await waitFor(() => expect(definitions(card())).toMatchObject({ Source: 'Updated', From: 'upload' }));
    await user.click(within(card()).getByRole('button', { name: 'Revert to bundled' }));
    expect(await findToast('Back to the bundled price table: 2,980 models priced')).toBe('success');
    expect(gateway.callsTo('DELETE', '/admin/prices')).toHaveLength(1);
    expect(definitions(card())).toMatchObject({ Source: 'Bundled', Updated: '—' });
  });
});
