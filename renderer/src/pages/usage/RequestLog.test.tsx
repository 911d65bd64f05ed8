// @vitest-environment jsdom
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SpendLogRow } from '../../api/types.ts';
import { fakeGateway, jsonResponse, renderPage } from '../../test-utils.tsx';
import { RequestLog } from './RequestLog.tsx';
import { spendLogRow } from './test-fixtures.ts';

const RANGE = { start_date: '2024-05-04', end_date: '2024-05-10' };

/** A request for gpt-4o that failed there and was answered by the claude group. */
const fellBack = spendLogRow({
  request_id: 'chatcmpl-fallback',
  requested_model: 'gpt-4o',
  model_group: 'claude',
  model: 'claude-sonnet-4-5',
  custom_llm_provider: 'anthropic',
  metadata: { fallback: true },
});
/** A request the upstream refused, its message quoting the key (masked by the gateway, but for one token). */
const failed = spendLogRow({
  request_id: 'chatcmpl-failed',
  status: 'failure',
  spend: 0,
  metadata: {
    http_status: 401,
    error_type: 'AuthenticationError',
    error_message:
      'Incorrect API key provided: sk-…wxyz. You can find your API key at https://platform.openai.com/account/api-keys.\nsecond line sk-live-abcdefghijklmnop9999',
    spend_nanos: 0,
  },
});

function gateway(rows: SpendLogRow[]) {
  return fakeGateway({
    'GET /spend/logs': () => jsonResponse(200, rows, { 'x-total-count': String(rows.length), 'x-total-pages': '1' }),
    'GET /key/list': { keys: [], total_count: 0, current_page: 1, total_pages: 1 },
    'GET /v1/models': { object: 'list', data: [{ id: 'claude' }, { id: 'gpt-4o' }] },
  });
}

/** The Request details dialog's terms → their values' text. */
function details(dialog: HTMLElement): Record<string, string | null> {
  return Object.fromEntries(
    [...dialog.querySelectorAll('.details-item')].map((item) => [item.querySelector('dt')?.textContent, item.querySelector('dd')?.textContent ?? null]),
  );
}

describe('RequestLog', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('shows a fallback as the model asked for → the group that served, in the table and the details', async () => {
    gateway([fellBack]);
    renderPage(<RequestLog range={RANGE} />, { path: '/usage' });
    const table = await screen.findByRole('table', { name: 'Requests' });
    const row = within(table).getAllByRole('row')[1]!;
    const model = within(row).getAllByRole('cell')[2]!;
    expect(model.querySelector('.req-model')?.textContent).toBe('gpt-4o → claude fallback');
    expect(model.querySelector('.req-model')?.getAttribute('title')).toBe('gpt-4o → served by claude (fallback)');
    expect(document.querySelector('.requests-footer')?.firstElementChild?.textContent).toBe('1 request');

    await userEvent.click(within(row).getByRole('button', { name: 'Details' }));
    const dialog = screen.getByRole('dialog', { name: 'Request details' });
    expect(details(dialog)).toMatchObject({
      Model: 'gpt-4o → served by claude fallback',
      'Requested model': 'gpt-4o',
      'Served by (model group)': 'claude',
      'Upstream model': 'claude-sonnet-4-5',
    });
    expect(details(dialog)['Model group']).toBeUndefined();
  });

  it("shows a failed request's upstream error message, masked", async () => {
    gateway([failed]);
    renderPage(<RequestLog range={RANGE} />, { path: '/usage' });
    const table = await screen.findByRole('table', { name: 'Requests' });
    await userEvent.click(within(table).getByRole('button', { name: 'Details' }));
    const dialog = screen.getByRole('dialog', { name: 'Request details' });
    expect(details(dialog)).toMatchObject({ 'HTTP status': '401', 'Error type': 'AuthenticationError', 'Model group': 'gpt-4o' });
    expect(details(dialog)['Error message']).toBe(
      'Incorrect API key provided: sk-…wxyz. You can find your API key at https://platform.openai.com/account/api-keys.\nsecond line sk-…9999',
    );
    expect(dialog.textContent).not.toContain('abcdefghijklmnop');
  });

  it('says "—" for a failure recorded before the gateway kept its message', async () => {
    gateway([spendLogRow({ status: 'failure', metadata: { http_status: 500, error_type: 'InternalServerError', error_message: undefined } })]);
    renderPage(<RequestLog range={RANGE} />, { path: '/usage' });
    const table = await screen.findByRole('table', { name: 'Requests' });
    await userEvent.click(within(table).getByRole('button', { name: 'Details' }));
    expect(details(screen.getByRole('dialog', { name: 'Request details' }))['Error message']).toBe('—');
  });
});
