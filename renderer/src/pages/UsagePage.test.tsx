// @vitest-environment jsdom
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { KeyObject, SpendLogRow, UsageDaily, UsageSummary } from '../api/types.ts';
import { fakeGateway, jsonResponse, renderPage, type FakeRequest } from '../test-utils.tsx';
import { UsagePage } from './UsagePage.tsx';
import { buildChartData, MAX_SERIES } from './usage/chart-data.ts';
import { spendLogRow } from './usage/test-fixtures.ts';
import { formatNanosUsd } from './usage/usage-format.ts';

// Dates only: timers stay real so user-event and TanStack Query run as usual. The chart needs no size:
// jsdom has no ResizeObserver, so recharts draws at the container's fixed initial dimension.
const NOW = new Date('2024-05-10T12:00:00Z');

const summary: UsageSummary = {
  start_date: '2024-04-11T00:00:00.000Z',
  end_date: '2024-05-11T00:00:00.000Z',
  requests: 1234,
  successful_requests: 1200,
  failed_requests: 34,
  error_rate: 34 / 1234,
  prompt_tokens: 100000,
  completion_tokens: 23456,
  total_tokens: 123456,
  cached_tokens: 0,
  spend: 1.5,
  spend_nanos: 1_500_000_000,
  estimated_requests: 0,
  unpriced_requests: 0,
  avg_duration_ms: 842.4,
  avg_ttft_ms: 210,
};

function daily(groupBy: 'key' | 'model', request: FakeRequest): UsageDaily {
  const dates = ['2024-05-08', '2024-05-09', '2024-05-10'];
  const base = {
    group_by: groupBy,
    start_date: `${request.query.get('start_date')}T00:00:00.000Z`,
    end_date: `${request.query.get('end_date')}T00:00:00.000Z`,
    dates,
  };
  const day = (date: string, group: string | null, label: string | null, spend: number, requests: number) => ({
    date,
    group,
    label,
    requests,
    failed_requests: 0,
    prompt_tokens: 10,
    completion_tokens: 5,
    spend,
  });
  return groupBy === 'model'
    ? {
        ...base,
        days: [
          day('2024-05-08', 'gpt-4o', 'gpt-4o', 1, 10),
          day('2024-05-10', 'gpt-4o', 'gpt-4o', 0.25, 3),
          day('2024-05-10', 'claude-sonnet', 'claude-sonnet', 0.25, 2),
        ],
      }
    : { ...base, days: [day('2024-05-08', 'id-b', 'aider-laptop', 1, 10), day('2024-05-10', 'id-a', null, 0.5, 5)] };
}

function logRow(over: Omit<Partial<SpendLogRow>, 'metadata'> & { metadata?: Partial<SpendLogRow['metadata']> }): SpendLogRow {
  return spendLogRow(over);
}

const keys = [
  { token: 'b'.repeat(64), key_id: 'id-b', key_name: 'sk-…bbbb', key_alias: 'aider-laptop' },
  { token: 'a'.repeat(64), key_id: 'id-a', key_name: 'sk-…aaaa', key_alias: null },
] as KeyObject[];

function gateway(logs: (r: FakeRequest) => { rows: SpendLogRow[]; total?: number; pages?: number } = () => ({ rows: [] }), totals: Partial<UsageSummary> = {}) {
  return fakeGateway({
    'GET /admin/usage/summary': { ...summary, ...totals },
    'GET /admin/usage/daily': (r: FakeRequest) => daily(r.query.get('group_by') as 'key' | 'model', r),
    'GET /spend/logs': (r: FakeRequest) => {
      const { rows, total = rows.length, pages = 1 } = logs(r);
      return jsonResponse(200, rows, { 'x-total-count': String(total), 'x-total-pages': String(pages) });
    },
    'GET /key/list': { keys, total_count: 2, current_page: 1, total_pages: 1 },
    'GET /v1/models': { object: 'list', data: [{ id: 'claude-sonnet' }, { id: 'gpt-4o' }] },
  });
}

const cells = (table: HTMLElement) =>
  within(table)
    .getAllByRole('row')
    .slice(1)
    .map((row) =>
      within(row)
        .getAllByRole('cell')
        .map((cell) => cell.textContent),
    );

/** A total by its label: the figure and the note under it. */
function stat(label: string) {
  const group = screen.getByRole('group', { name: label });
  return { value: group.querySelector('.stat-value')?.textContent, note: group.querySelector('.stat-note')?.textContent };
}
/** The text a chart points to with aria-describedby. */
const description = (element: HTMLElement) => document.getElementById(element.getAttribute('aria-describedby') ?? '')?.textContent;
/** The pager under the request log. */
function pager() {
  const nav = screen.getByRole('navigation', { name: 'Pages' });
  const button = (name: string) => (within(nav).getByRole('button', { name }) as HTMLButtonElement).disabled;
  return { page: nav.querySelector('span')?.textContent, previousDisabled: button('Previous'), nextDisabled: button('Next') };
}

describe('UsagePage', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('shows the totals and spend per day by model, then by key', async () => {
    const g = gateway();
    const user = userEvent.setup();
    renderPage(<UsagePage />, { path: '/usage' });
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Usage');

    await screen.findByRole('group', { name: 'Spend' });
    expect(stat('Spend')).toEqual({ value: '$1.50', note: undefined });
    expect(stat('Requests')).toEqual({ value: '1,234', note: '1,200 ok · 34 failed' });
    expect(stat('Tokens')).toEqual({ value: '123,456', note: '100,000 in · 23,456 out' });
    expect(stat('Error rate')).toEqual({ value: '2.8%', note: undefined });
    expect(stat('Avg latency')).toEqual({ value: '842 ms', note: 'first token 210 ms' });
    const summaryCall = g.callsTo('GET', '/admin/usage/summary')[0]!;
    expect([summaryCall.query.get('start_date'), summaryCall.query.get('end_date')]).toEqual(['2024-04-11', '2024-05-10']);

    const chart = await screen.findByRole('img', { name: 'Spend per day by model' });
    // Three days of the range, each drawn (zero where nothing was spent), two models stacked.
    await waitFor(() => expect(chart.querySelectorAll('.recharts-bar-rectangle').length).toBeGreaterThan(0));
    expect(description(chart)).toBe('$1.50 over 3 days across 2 models.');
    const byModel = screen.getByRole('table', { name: 'Totals by model' });
    expect(cells(byModel)).toEqual([
      ['gpt-4o', '$1.25', '13', '0'],
      ['claude-sonnet', '$0.25', '2', '0'],
    ]);
    expect(screen.getByRole('button', { name: 'By model' }).getAttribute('aria-pressed')).toBe('true');
    expect(g.callsTo('GET', '/admin/usage/daily')[0]!.query.get('group_by')).toBe('model');

    await user.click(screen.getByRole('button', { name: 'By key' }));
    expect(screen.getByRole('button', { name: 'By key' }).getAttribute('aria-pressed')).toBe('true');
    expect(screen.getByRole('button', { name: 'By model' }).getAttribute('aria-pressed')).toBe('false');
    expect(description(await screen.findByRole('img', { name: 'Spend per day by key' }))).toBe('$1.50 over 3 days across 2 keys.');
    const byKeyCall = g.callsTo('GET', '/admin/usage/daily').at(-1)!;
    expect(byKeyCall.query.get('group_by')).toBe('key');
    expect(byKeyCall.query.get('start_date')).toBe('2024-04-11');
    const byKey = screen.getByRole('table', { name: 'Totals by key' });
    // A key without an alias takes its masked name from the key list.
    expect(cells(byKey)).toEqual([
      ['aider-laptop', '$1.00', '10', '0'],
      ['sk-…aaaa', '$0.50', '5', '0'],
    ]);
  });

  it('asks for another range', async () => {
    const g = gateway();
    const user = userEvent.setup();
    renderPage(<UsagePage />, { path: '/usage' });
    await screen.findByRole('group', { name: 'Spend' });
    await user.selectOptions(screen.getByLabelText('Range'), 'Last 7 days');
    await waitFor(() => expect(g.callsTo('GET', '/admin/usage/summary').at(-1)!.query.get('start_date')).toBe('2024-05-04'));
    for (const path of ['/admin/usage/daily', '/spend/logs']) {
      const call = g.callsTo('GET', path).at(-1)!;
      expect([call.query.get('start_date'), call.query.get('end_date')]).toEqual(['2024-05-04', '2024-05-10']);
    }
  });

  it('lists requests, builds the query from the filters and pages with x-total-pages', async () => {
    const rows = [
      logRow({}),
      logRow({
        request_id: 'chatcmpl-2',
        key_alias: null,
        api_key: 'a'.repeat(64),
        status: 'failure',
        spend: 0,
        prompt_tokens: 0,
        completion_tokens: 0,
        model_group: 'claude-sonnet',
        model: 'claude-sonnet-4-5',
        metadata: { http_status: 429, error_type: 'RateLimitError', spend_nanos: 0, key_id: 'id-a' },
      }),
      // A revoked key's request: no alias, no masked name left, so the start of its hash.
      logRow({ request_id: 'chatcmpl-3', key_alias: null, api_key: 'c'.repeat(64), metadata: { key_id: 'id-revoked' } }),
    ];
    const g = gateway((r) => ({ rows: r.query.get('page') === '2' ? [logRow({ request_id: 'chatcmpl-older' })] : rows, total: 120, pages: 3 }));
    const user = userEvent.setup();
    renderPage(<UsagePage />, { path: '/usage' });

    const table = await screen.findByRole('table', { name: 'Requests' });
    expect(document.querySelector('.requests-footer')?.firstElementChild?.textContent).toBe('120 requests'); // x-total-count
    const headers = within(table)
      .getAllByRole('columnheader')
      .map((h) => h.textContent);
    expect(headers).toEqual(['Time', 'Key', 'Model', 'Deployment', 'Tokens', 'Cost', 'Latency', 'Status', 'Details']);
    const [first, second, third] = cells(table) as [string[], string[], string[]];
    expect(first).toEqual(['1 min ago', 'aider-laptop', 'gpt-4ogpt-4o-2024-08-06', 'dep-1234…', '20 / 10', '$0.000123', '1000 ms', 'success 200', 'Details']);
    expect(within(within(table).getAllByRole('row')[1]!).getByText('gpt-4o-2024-08-06').className).toBe('cell-note'); // the upstream model, under the group
    expect(second.slice(1, 3)).toEqual(['sk-…aaaa', 'claude-sonnetclaude-sonnet-4-5']);
    expect(second[7]).toBe('failure 429');
    expect(
      within(table)
        .getAllByText(/^(success|failure) \d+$/)
        .map((badge) => badge.className),
    ).toEqual(['badge badge-ok', 'badge badge-danger', 'badge badge-ok']);
    expect(third[1]).toBe('cccccccc…');
    expect(pager()).toEqual({ page: 'Page 1 of 3', previousDisabled: true, nextDisabled: false });

    const first_call = g.callsTo('GET', '/spend/logs')[0]!;
    expect(Object.fromEntries(first_call.query)).toEqual({ start_date: '2024-04-11', end_date: '2024-05-10', page: '1', page_size: '50' });

    await user.click(screen.getByRole('button', { name: 'Next' }));
    await waitFor(() => expect(pager().page).toBe('Page 2 of 3'));
    expect(g.callsTo('GET', '/spend/logs').at(-1)!.query.get('page')).toBe('2');
    await waitFor(() => expect(within(screen.getByRole('table', { name: 'Requests' })).getAllByRole('row')).toHaveLength(2));
    expect(pager()).toEqual({ page: 'Page 2 of 3', previousDisabled: false, nextDisabled: false });

    // Each filter goes into the query, and starts again at page 1.
    await user.selectOptions(await screen.findByLabelText('Key'), 'aider-laptop');
    await waitFor(() => expect(g.callsTo('GET', '/spend/logs').at(-1)!.query.get('api_key')).toBe('id-b'));
    expect(g.callsTo('GET', '/spend/logs').at(-1)!.query.get('page')).toBe('1');
    await user.selectOptions(screen.getByLabelText('Model'), 'claude-sonnet');
    await user.selectOptions(screen.getByLabelText('Status'), 'Failure');
    await waitFor(() => expect(g.callsTo('GET', '/spend/logs').at(-1)!.query.get('status')).toBe('failure'));
    expect(Object.fromEntries(g.callsTo('GET', '/spend/logs').at(-1)!.query)).toEqual({
      start_date: '2024-04-11',
      end_date: '2024-05-10',
      api_key: 'id-b',
      model: 'claude-sonnet',
      status: 'failure',
      page: '1',
      page_size: '50',
    });
    await user.selectOptions(screen.getByLabelText('Key'), 'All keys');
    await waitFor(() => expect(g.callsTo('GET', '/spend/logs').at(-1)!.query.has('api_key')).toBe(false));
  });

  it('opens a request with every field and its exact cost', async () => {
    gateway(() => ({
      rows: [
        logRow({}),
        logRow({
          request_id: 'chatcmpl-failed',
          status: 'failure',
          user: 'alice',
          metadata: { http_status: 503, error_type: 'ServiceUnavailableError', usage_source: 'estimated', spend_nanos: 1, stream: false },
        }),
      ],
    }));
    const user = userEvent.setup();
    renderPage(<UsagePage />, { path: '/usage' });
    const table = await screen.findByRole('table', { name: 'Requests' });

    await user.click(within(table).getByText('success 200'));
    let d = within(screen.getByRole('dialog', { name: 'Request details' }));
    const field = (term: string) => d.getByText(term, { selector: 'dt' }).nextElementSibling?.textContent;
    expect(field('Cost')).toBe('$0.000123450');
    expect(field('Request ID')).toBe('chatcmpl-1');
    expect(field('Time to first token')).toBe('250 ms');
    expect(field('Cached tokens')).toBe('4');
    expect(field('Usage source')).toBe('Reported (by the provider)');
    expect(field('Stream')).toBe('Yes');
    expect(field('Cache hit')).toBe('No');
    expect(field('API base')).toBe('https://api.openai.com/v1');
    expect(field('Upstream model')).toBe('gpt-4o-2024-08-06');
    expect(d.queryByText('Error type')).toBeNull();
    await user.click(d.getByRole('button', { name: 'Close' }));
    expect(screen.queryByRole('dialog', { name: 'Request details' })).toBeNull();

    // From the keyboard: the row's "Details" button.
    const failedRow = within(table).getByText('failure 503').closest('tr') as HTMLElement;
    within(failedRow).getByRole('button', { name: 'Details' }).focus();
    await user.keyboard('{Enter}');
    d = within(screen.getByRole('dialog', { name: 'Request details' }));
    expect(field('Cost')).toBe('$0.000000001');
    expect(field('HTTP status')).toBe('503');
    expect(field('Error type')).toBe('ServiceUnavailableError');
    expect(field('Usage source')).toBe('Estimated (tokenizer count; the provider reported none)');
    expect(field('Stream')).toBe('No');
    expect(field('End user')).toBe('alice');
  });

  it('flags a call to a model with no price with an "unpriced" badge, and says so in its details and the totals', async () => {
    gateway(
      () => ({
        rows: [
          logRow({}),
          logRow({ request_id: 'chatcmpl-unpriced', spend: 0, model_group: 'brand-new', metadata: { spend_nanos: 0, cost_source: 'unpriced' } }),
        ],
      }),
      { unpriced_requests: 3, estimated_requests: 2 },
    );
    const user = userEvent.setup();
    renderPage(<UsagePage />, { path: '/usage' });
    const table = await screen.findByRole('table', { name: 'Requests' });
    expect(stat('Spend').note).toBe('3 unpriced ($0) · 2 with estimated usage');
    expect(screen.getByRole('group', { name: 'Spend' }).querySelector('.stat-warning')?.textContent).toBe('3 unpriced ($0)');
    const [priced, unpriced] = cells(table) as [string[], string[]];
    expect(priced[5]).toBe('$0.000123');
    expect(unpriced[5]).toBe('$0.00 unpriced');
    const badges = within(table).getAllByText('unpriced');
    expect(badges).toHaveLength(1);
    expect(badges[0]!.className).toBe('badge badge-warning');
    expect(badges[0]!.closest('tr')?.textContent).toContain('brand-new');

    await user.click(badges[0]!);
    const d = within(screen.getByRole('dialog', { name: 'Request details' }));
    expect(d.getByText('Priced from', { selector: 'dt' }).nextElementSibling?.textContent).toBe(
      'Unpriced: no price is known for this model, so it counts as $0',
    );
  });

  it('says when the range has no requests yet and how to send one', async () => {
    gateway();
    renderPage(<UsagePage />, { path: '/usage' });
    await screen.findByText('No requests in this range yet');
    expect(screen.queryByRole('table', { name: 'Requests' })).toBeNull();
    // A curl line for the first model the gateway serves.
    await waitFor(() => expect(document.querySelector('.state-empty pre')?.textContent).toContain('"model": "claude-sonnet"'));
    expect(document.querySelector('.state-empty pre')?.textContent).toMatch(/^curl http:\/\/\S+\/v1\/chat\/completions /);
  });

  it("shows the gateway's message when the request log fails", async () => {
    fakeGateway({
      'GET /admin/usage/summary': summary,
      'GET /admin/usage/daily': (r: FakeRequest) => daily('model', r),
      'GET /spend/logs': () => jsonResponse(400, { error: { message: '`status` must be `success` or `failure`.' } }),
      'GET /key/list': { keys, total_count: 2, current_page: 1, total_pages: 1 },
      'GET /v1/models': { object: 'list', data: [] },
    });
    renderPage(<UsagePage />, { path: '/usage' });
    expect((await screen.findByText(/must be `success` or `failure`/)).textContent).toBe('`status` must be `success` or `failure`. (HTTP 400)');
  });
});

describe('usage helpers', () => {
  it('formats nano-dollars exactly', () => {
    expect(formatNanosUsd(123450)).toBe('$0.000123450');
    expect(formatNanosUsd(12_345_678_901)).toBe('$12.345678901');
    expect(formatNanosUsd(0)).toBe('$0.000000000');
  });

  it('draws every date, zero where nothing was spent, and folds small groups into "Other"', () => {
    const days = Array.from({ length: 10 }, (_, i) => ({
      date: '2024-05-02',
      group: `m${i}`,
      label: `m${i}`,
      requests: 1,
      failed_requests: 0,
      prompt_tokens: 1,
      completion_tokens: 1,
      spend: 10 - i,
    }));
    const data = buildChartData({ group_by: 'model', start_date: '', end_date: '', dates: ['2024-05-01', '2024-05-02'], days }, (g) => g ?? '?');
    expect(data.series).toHaveLength(MAX_SERIES);
    expect(data.series.at(-1)).toMatchObject({ name: 'Other', spend: 3 + 2 + 1, requests: 3 });
    expect(data.rows[0]).toEqual({ date: '2024-05-01', s0: 0, s1: 0, s2: 0, s3: 0, s4: 0, s5: 0, s6: 0, s7: 0 });
    expect(data.rows[1]).toMatchObject({ s0: 10, s7: 6 });
    expect(data.groups).toHaveLength(10);
    expect(data.total).toBe(55);
  });
});
