// @vitest-environment jsdom
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { KeyListAnswer, Overview } from '../api/types.ts';
import { fakeGateway, jsonResponse, keyObject, renderPage } from '../test-utils.tsx';
import { OverviewPage, formatUptime } from './OverviewPage.tsx';
import { CLIENTS, shellQuote, snippetFor, yamlString } from './overview/snippets.ts';

const overview: Overview = {
  status: 'running',
  version: '0.1.0',
  base_url: 'http://localhost:4000',
  started_at: '2026-01-01T00:00:00Z',
  uptime_s: 3 * 3600 + 12 * 60,
  requests_per_minute: 42,
  today: { requests: 200, spend: 1.2345, errors: 5, error_rate: 0.025 },
  deployments: { total: 5, healthy: 3, unhealthy: 1, cooling: 1, unknown: 0 },
  models: ['gpt-4o', 'claude-sonnet'],
};

const key = keyObject;
const keys: KeyListAnswer = {
  keys: [key({ key_id: 'k1', key_alias: 'team-a' }), key({ key_id: 'k2', key_name: 'sk-…wxyz', models: ['gpt-4o'] })],
  total_count: 2,
  current_page: 1,
  total_pages: 1,
};

/** A figure on the page by its label: its value and its detail line. */
function stat(label: string) {
  const figure = screen.getByText(label, { selector: '.stat-label' }).parentElement;
  return { value: figure?.querySelector('.stat-value')?.textContent, detail: figure?.querySelector('.stat-detail')?.textContent };
}

const snippetText = () => within(screen.getByRole('tabpanel')).getByText((_, el) => el?.tagName === 'PRE').textContent ?? '';

describe('OverviewPage', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('shows the gateway figures', async () => {
    const user = userEvent.setup();
    const gateway = fakeGateway({ 'GET /admin/overview': overview, 'GET /key/list': keys });
    renderPage(<OverviewPage />);
    await screen.findByText('Running');
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Overview');
    expect(stat('State')).toEqual({ value: 'Running', detail: undefined });
    const base = screen.getByRole('region', { name: 'Gateway' });
    expect(base.querySelector('.overview-url-value')?.textContent).toBe('http://localhost:4000');
    expect(stat('Base URL').detail).toBe('OpenAI clients: http://localhost:4000/v1');
    expect(stat('Version')).toEqual({ value: '0.1.0', detail: 'up 3 h 12 min' });
    expect(stat('Requests/min')).toEqual({ value: '42', detail: 'in the last 60 seconds' });
    expect(stat('Spend today')).toEqual({ value: '$1.23', detail: '200 requests since 00:00 UTC' });
    expect(stat('Error rate today')).toEqual({ value: '2.5%', detail: '5 of 200 requests failed' });
    expect(stat('Deployments')).toEqual({ value: '3 healthy / 1 unhealthy', detail: '1 cooling down' });
    await user.click(within(base).getByRole('button', { name: 'Copy base URL' }));
    expect(await navigator.clipboard.readText()).toBe('http://localhost:4000');
    // The key list asks for whole objects (aliases), as many as a page holds.
    await waitFor(() => expect(gateway.callsTo('GET', '/key/list')).toHaveLength(1));
    expect(gateway.callsTo('GET', '/key/list')[0]!.query.get('return_full_object')).toBe('true');
    expect(gateway.callsTo('GET', '/key/list')[0]!.query.get('size')).toBe('100');
  });

  it('says "1 request", not "1 requests"', async () => {
    fakeGateway({ 'GET /admin/overview': { ...overview, today: { requests: 1, spend: 0.0001, errors: 1, error_rate: 1 } }, 'GET /key/list': keys });
    renderPage(<OverviewPage />);
    await screen.findByText('Running');
    expect(stat('Spend today').detail).toBe('1 request since 00:00 UTC');
    expect(stat('Error rate today').detail).toBe('1 of 1 request failed');
  });

  it("brings 'Connect a client' forward on the desktop app's first run", async () => {
    fakeGateway({ 'GET /admin/overview': overview, 'GET /key/list': keys });
    renderPage(<OverviewPage />, { path: '/?welcome=connect-client' });
    const heading = await screen.findByRole('heading', { level: 2, name: 'Connect a client' });
    await waitFor(() => expect(document.activeElement).toBe(heading));
  });

  it('fills the snippet with the base URL, the chosen model and a pasted key, and switches clients', async () => {
    fakeGateway({ 'GET /admin/overview': overview, 'GET /key/list': keys });
    renderPage(<OverviewPage />);
    await screen.findByRole('heading', { name: 'Connect a client' });
    expect(screen.getAllByRole('tab').map((t) => t.textContent)).toEqual([...CLIENTS]);
    expect(screen.getByRole('tab', { name: 'Aider' }).getAttribute('aria-selected')).toBe('true');

    // No raw key: a placeholder naming the chosen key, and the note.
    await waitFor(() => expect(snippetText()).toContain('sk-...your "team-a" key'));
    expect(snippetText()).toContain('export OPENAI_API_BASE=http://localhost:4000/v1');
    expect(snippetText()).toContain('aider --model openai/gpt-4o');
    expect(screen.getByText(/paste the key shown when it was created/).textContent).toContain('in place of sk-...your "team-a" key');

    await userEvent.selectOptions(screen.getByLabelText('Model'), 'claude-sonnet');
    await userEvent.type(screen.getByLabelText('Paste a key (optional)'), 'sk-pasted-123');
    expect(snippetText()).toContain('openai/claude-sonnet');
    expect(snippetText()).toContain('export OPENAI_API_KEY=sk-pasted-123');
    expect(screen.queryByText(/paste the key shown when it was created/)).toBeNull();

    await userEvent.click(screen.getByRole('tab', { name: 'Claude Code' }));
    expect(screen.getByRole('tab', { name: 'Claude Code' }).getAttribute('aria-selected')).toBe('true');
    expect(screen.getByRole('tab', { name: 'Aider' }).getAttribute('aria-selected')).toBe('false');
    expect(snippetText()).toContain('export ANTHROPIC_BASE_URL=http://localhost:4000\n');
    expect(snippetText()).toContain('export ANTHROPIC_AUTH_TOKEN=sk-pasted-123');
    expect(snippetText()).toContain('export ANTHROPIC_MODEL=claude-sonnet');

    await userEvent.click(screen.getByRole('tab', { name: 'OpenAI SDK (Python)' }));
    expect(snippetText()).toContain('base_url="http://localhost:4000/v1"');
    expect(snippetText()).toContain('api_key="sk-pasted-123"');
    expect(snippetText()).toContain('model="claude-sonnet"');

    // Arrow keys move between tabs.
    await userEvent.keyboard('{ArrowRight}');
    expect(screen.getByRole('tab', { name: 'OpenAI SDK (JS)' }).getAttribute('aria-selected')).toBe('true');
    expect(document.activeElement).toBe(screen.getByRole('tab', { name: 'OpenAI SDK (JS)' }));
    expect(snippetText()).toContain('baseURL: "http://localhost:4000/v1"');

    // The Copy button copies exactly the snippet.
    const writeText = vi.fn(async () => {});
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    await userEvent.click(within(screen.getByRole('tabpanel')).getByRole('button', { name: 'Copy' }));
    expect(writeText).toHaveBeenCalledWith(snippetText());
  });

  it('names the chosen key in the placeholder and warns when it may not call the model', async () => {
    fakeGateway({ 'GET /admin/overview': overview, 'GET /key/list': keys });
    renderPage(<OverviewPage />);
    const keySelect = await screen.findByLabelText('Key');
    await waitFor(() =>
      expect(
        within(keySelect)
          .getAllByRole('option')
          .map((o) => o.textContent),
      ).toEqual(['team-a (sk-…abcd)', 'sk-…wxyz']),
    );
    await userEvent.selectOptions(keySelect, 'k2');
    expect(snippetText()).toContain("'sk-...your sk-…wxyz key'");
    expect(screen.queryByRole('note')).toBeNull();
    await userEvent.selectOptions(screen.getByLabelText('Model'), 'claude-sonnet');
    expect(screen.getByRole('note').textContent).toContain('may only call gpt-4o');
  });

  it('shows the error with a Retry that asks again', async () => {
    let fail = true;
    const gateway = fakeGateway({
      'GET /admin/overview': () => (fail ? jsonResponse(500, { error: { message: 'Database is locked' } }) : overview),
      'GET /key/list': keys,
    });
    renderPage(<OverviewPage />);
    const alert = await screen.findByRole('alert', {}, { timeout: 5000 });
    expect(alert.textContent).toContain('Database is locked (HTTP 500)');
    fail = false;
    await userEvent.click(within(alert).getByRole('button', { name: 'Retry' }));
    await screen.findByText('Running');
    expect(screen.queryByRole('alert')).toBeNull();
    expect(stat('Requests/min').value).toBe('42');
    expect(gateway.callsTo('GET', '/admin/overview').length).toBeGreaterThanOrEqual(2);
  });
});

describe('client snippets', () => {
  const input = { baseUrl: 'http://localhost:4000', model: 'gpt-4o', key: 'sk-abc' };

  it('uses each client’s own configuration format', () => {
    expect(snippetFor('Continue', input).text).toContain('provider: openai\n    model: gpt-4o\n    apiBase: http://localhost:4000/v1\n    apiKey: sk-abc');
    const libre = snippetFor('LibreChat', input).text;
    expect(libre).toContain('endpoints:\n  custom:\n    - name: "LLM Gateway"');
    expect(libre).toContain('baseURL: "http://localhost:4000/v1"');
    expect(libre).toContain('default: ["gpt-4o"]');
    expect(libre).toContain('LLM_GATEWAY_API_KEY=sk-abc');
    expect(snippetFor('Open WebUI', input).text).toContain('OPENAI_API_BASE_URL=http://localhost:4000/v1 \\\nOPENAI_API_KEY=sk-abc \\\nopen-webui serve');
    const curl = snippetFor('curl', input).text;
    expect(curl).toContain('curl http://localhost:4000/v1/chat/completions');
    expect(curl).toContain(`-H 'Authorization: Bearer sk-abc'`);
    expect(curl).toContain(`-d '{"model":"gpt-4o","messages":[{"role":"user","content":"Hello!"}]}'`);
  });

  it('quotes values for the shell and YAML', () => {
    expect(shellQuote('plain-value')).toBe('plain-value');
    expect(shellQuote(`it's "x"`)).toBe(`'it'\\''s "x"'`);
    expect(yamlString('gpt-4o')).toBe('gpt-4o');
    expect(yamlString('true')).toBe('"true"');
    expect(yamlString('a: b')).toBe('"a: b"');
    expect(yamlString('sk-...your "x" key')).toBe('"sk-...your \\"x\\" key"');
  });

  it('formats uptime', () => {
    expect(formatUptime(42)).toBe('42 s');
    expect(formatUptime(300)).toBe('5 min');
    expect(formatUptime(7200)).toBe('2 h');
    expect(formatUptime(2 * 86400 + 4 * 3600)).toBe('2 d 4 h');
  });
});
