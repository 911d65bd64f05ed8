// @vitest-environment jsdom
import { cleanup, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { UsageDaily } from '../../api/types.ts';
import { fakeGateway, renderPage } from '../../test-utils.tsx';
import { SpendChart } from './SpendChart.tsx';

const RANGE = { start_date: '2024-05-09', end_date: '2024-05-10' };

/** One day of spend by model; `spends` in the order the gateway lists them. */
function daily(spends: Record<string, number>): UsageDaily {
  return {
    group_by: 'model',
    start_date: '2024-05-09T00:00:00.000Z',
    end_date: '2024-05-11T00:00:00.000Z',
    dates: ['2024-05-09', '2024-05-10'],
    days: Object.entries(spends).map(([model, spend]) => ({
      date: '2024-05-10',
      group: model,
      label: model,
      requests: 1,
      failed_requests: 0,
      prompt_tokens: 1,
      completion_tokens: 1,
      spend,
    })),
  };
}

/** Each legend entry's name → the colour its swatch is drawn in. */
async function legendColours(): Promise<Record<string, string | null>> {
  const chart = await screen.findByRole('img', { name: 'Spend per day by model' });
  await waitFor(() => expect(chart.querySelectorAll('.recharts-legend-item').length).toBeGreaterThan(1));
  return Object.fromEntries(
    [...chart.querySelectorAll('.recharts-legend-item')].map((item) => [
      item.querySelector('.recharts-legend-item-text')?.textContent,
      item.querySelector('path')?.getAttribute('fill') ?? null,
    ]),
  );
}

async function renderedWith(spends: Record<string, number>) {
  fakeGateway({
    'GET /admin/usage/daily': daily(spends),
    'GET /key/list': { keys: [], total_count: 0, current_page: 1, total_pages: 1 },
  });
  renderPage(<SpendChart range={RANGE} />, { path: '/usage' });
  const colours = await legendColours();
  cleanup();
  vi.unstubAllGlobals();
  return colours;
}

describe('SpendChart', () => {
  afterEach(() => vi.unstubAllGlobals());

  it("keeps each model's colour when the ranking changes between renders", async () => {
    const first = await renderedWith({ 'gpt-4o': 2, claude: 1 });
    const second = await renderedWith({ 'gpt-4o': 1, claude: 2 });
    expect(Object.keys(first).sort()).toEqual(['claude', 'gpt-4o']);
    expect(first['gpt-4o']).toMatch(/^var\(--chart-\d\)$/);
    expect(second['gpt-4o']).toBe(first['gpt-4o']);
    expect(second.claude).toBe(first.claude);
    expect(first.claude).not.toBe(first['gpt-4o']);
  });

  it('says "1 model", not "1 models"', async () => {
    fakeGateway({
      'GET /admin/usage/daily': daily({ 'gpt-4o': 0.00045 }),
      'GET /key/list': { keys: [], total_count: 0, current_page: 1, total_pages: 1 },
    });
    renderPage(<SpendChart range={RANGE} />, { path: '/usage' });
    const chart = await screen.findByRole('img', { name: 'Spend per day by model' });
    expect(document.getElementById(chart.getAttribute('aria-describedby') ?? '')?.textContent).toBe('$0.00045 over 2 days across 1 model.');
  });
});
