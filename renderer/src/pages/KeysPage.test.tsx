// @vitest-environment jsdom
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { KeyObject } from '../api/types.ts';
import { keyObject as baseKey, fakeGateway, findToast, jsonResponse, renderPage, type FakeRequest } from '../test-utils.tsx';
import { KeysPage } from './KeysPage.tsx';

const DAY = 86_400_000;

function keyObject(over: Partial<KeyObject>): KeyObject {
  return baseKey({ token: 'a'.repeat(64), key_id: 'id-a', key_name: 'sk-…aaaa', created_at: new Date(Date.now() - 3 * DAY).toISOString(), ...over });
}

const budgeted = keyObject({
  token: 'b'.repeat(64),
  key_id: 'id-b',
  key_name: 'sk-…bbbb',
  key_alias: 'aider-laptop',
  spend: 0.0123,
  total_spend: 0.0123,
  max_budget: 5,
  budget_duration: '30d',
  budget_reset_at: new Date(Date.now() + 10 * DAY + 60_000).toISOString(),
  expires: new Date(Date.now() + 20 * DAY + 60_000).toISOString(),
  models: ['gpt-4o', 'claude-sonnet'],
  rpm_limit: 60,
  tpm_limit: 10000,
  max_parallel_requests: 2,
  last_active: new Date(Date.now() - 3 * 60_000).toISOString(),
});
const unaliased = keyObject({ spend: 0.5 });

/** A gateway whose key list follows the test's changes. */
function gateway(initial: KeyObject[], extra: Record<string, unknown> = {}) {
  let keys = [...initial];
  const fake = fakeGateway({
    'GET /key/list': () => ({ keys, total_count: keys.length, current_page: 1, total_pages: Math.ceil(keys.length / 25) }),
    'GET /v1/models': { object: 'list', data: [{ id: 'claude-sonnet' }, { id: 'gpt-4o' }, { id: 'mock-gpt' }] },
    ...extra,
  });
  return { ...fake, setKeys: (next: KeyObject[]) => (keys = next) };
}

const rowOf = (name: string) => screen.getByRole('button', { name: `Edit ${name}` }).closest('tr') as HTMLTableRowElement;

/** The text of a row's cell in the column headed `column`. */
function cellText(row: HTMLTableRowElement, column: string): string | null | undefined {
  const headers = [...(row.closest('table')?.querySelectorAll('thead th') ?? [])].map((th) => th.textContent);
  expect(headers).toContain(column);
  return row.cells[headers.indexOf(column)]?.textContent;
}

/** Which keys the table lists, in order, by their Edit buttons. */
const listedKeys = () => screen.queryAllByRole('button', { name: /^Edit / }).map((button) => button.getAttribute('aria-label')?.slice('Edit '.length));

/** The error message a form field points to with aria-describedby, if any. */
const fieldError = (field: HTMLElement) =>
  field
    .getAttribute('aria-describedby')
    ?.split(' ')
    .map((id) => document.getElementById(id))
    .find((el) => el?.classList.contains('field-error'))?.textContent;

describe('KeysPage table', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('shows each key with spend against budget, expiry, limits and last use', async () => {
    const g = gateway([budgeted, unaliased]);
    renderPage(<KeysPage />, { path: '/keys' });
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Keys');
    await screen.findByText('aider-laptop');
    expect(listedKeys()).toEqual(['aider-laptop', 'sk-…aaaa']);
    const row = rowOf('aider-laptop');
    expect(within(row).getByRole('meter', { name: 'Spend of aider-laptop' }).getAttribute('aria-valuetext')).toBe('$0.0123 of $5.00');
    expect(cellText(row, 'Spend')).toBe('$0.0123 of $5.00Monthly · resets in 10 d');
    expect(within(row).getByText('resets in 10 d').parentElement?.textContent).toBe('Monthly · resets in 10 d');
    expect(cellText(row, 'Alias')).toBe('aider-laptopsk-…bbbb');
    expect(cellText(row, 'Models')).toBe('gpt-4o, claude-sonnet');
    expect(cellText(row, 'Expires')).toBe('in 20 d');
    expect(cellText(row, 'Limits')).toBe('60 RPM · 10,000 TPM · 2 parallel');
    expect(cellText(row, 'Last used')).toBe('3 min ago');

    // A key without an alias goes by its masked name; without a budget, just the spend.
    const other = rowOf('sk-…aaaa');
    expect(cellText(other, 'Spend')).toBe('$0.50');
    expect(within(other).queryByRole('meter')).toBeNull();
    expect(cellText(other, 'Models')).toBe('All models');
    expect(cellText(other, 'Expires')).toBe('Never');
    expect(cellText(other, 'Last used')).toBe('Never');
    expect(cellText(other, 'Limits')).toBe('None');
    expect(
      within(other)
        .getAllByRole('button')
        .map((button) => button.getAttribute('aria-label')),
    ).toEqual(['Edit sk-…aaaa', 'Rotate sk-…aaaa', 'Revoke sk-…aaaa']);

    const list = g.callsTo('GET', '/key/list')[0]!;
    expect(list.query.get('return_full_object')).toBe('true');
    expect(list.query.get('page')).toBe('1');
    expect(list.query.get('size')).toBe('25');
  });

  it('shows spend and last use within 2 s of a paid call, without a reload', async () => {
    // Only the intervals are fake: TanStack Query's refetchInterval is the clock under test; the rest runs as usual.
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      const g = gateway([keyObject({ key_alias: 'aider-laptop', spend: 0, last_active: null })]);
      renderPage(<KeysPage />, { path: '/keys' });
      await screen.findByText('aider-laptop');
      expect(cellText(rowOf('aider-laptop'), 'Spend')).toBe('$0.00');
      expect(cellText(rowOf('aider-laptop'), 'Last used')).toBe('Never');
      const before = g.callsTo('GET', '/key/list').length;

      // A paid call lands; the gateway's key list now says so.
      g.setKeys([keyObject({ key_alias: 'aider-laptop', spend: 0.0123, last_active: new Date().toISOString() })]);
      await vi.advanceTimersByTimeAsync(2_000);
      await waitFor(() => expect(cellText(rowOf('aider-laptop'), 'Spend')).toBe('$0.0123'));
      expect(cellText(rowOf('aider-laptop'), 'Last used')).toBe('just now');
      expect(g.callsTo('GET', '/key/list').length).toBe(before + 1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('offers "Create key" when there are no keys', async () => {
    gateway([]);
    renderPage(<KeysPage />, { path: '/keys' });
    await screen.findByText('No keys yet');
    expect(screen.queryByRole('table')).toBeNull();
    expect(screen.queryByRole('dialog')).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Create key' }));
    const dialog = screen.getByRole('dialog', { name: 'Create key' });
    expect(dialog.hasAttribute('open')).toBe(true);
    expect((within(dialog).getByLabelText('Alias') as HTMLInputElement).value).toBe('');
  });

  it("shows the gateway's message when the list cannot be read", async () => {
    fakeGateway({ 'GET /key/list': () => jsonResponse(403, { error: { message: 'Only the master key may list keys.' } }) });
    renderPage(<KeysPage />, { path: '/keys' });
    expect((await screen.findByRole('alert')).textContent).toContain('Only the master key may list keys. (HTTP 403)');
  });
});

describe('Create key', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('validates, sends every field and shows the raw key once with a copy button', async () => {
    const user = userEvent.setup();
    const g = gateway([], {
      'POST /key/generate': (r: FakeRequest) => ({
        ...keyObject({ key_alias: 'ci', key_name: 'sk-…Zz9q' }),
        key: 'sk-RAWKEYabcdefghijklmnZz9q',
        token_id: 'c'.repeat(64),
        duration: (r.body as { duration?: string }).duration ?? null,
      }),
    });
    renderPage(<KeysPage />, { path: '/keys' });
    await user.click(await screen.findByRole('button', { name: 'Create key' }));
    const dialog = screen.getByRole('dialog', { name: 'Create key' });
    const d = within(dialog);

    await user.type(d.getByLabelText('Alias'), 'ci');
    await user.click(await d.findByRole('checkbox', { name: 'gpt-4o' }));
    await user.click(d.getByRole('checkbox', { name: 'mock-gpt' }));
    await user.type(d.getByLabelText('Budget (USD)'), 'ten');
    await user.selectOptions(d.getByLabelText('Budget period'), 'Monthly');
    await user.selectOptions(d.getByLabelText('Duration'), '90 days');
    await user.type(d.getByLabelText('RPM limit'), '60');
    await user.type(d.getByLabelText('TPM limit'), '1.5');
    await user.click(d.getByLabelText('Metadata (JSON)'));
    await user.paste('{"team": ');
    await user.click(d.getByRole('button', { name: 'Create' }));

    // Each bad field says why, next to it; focus goes to the first; nothing is sent and nothing typed is lost.
    expect(d.getByLabelText('Budget (USD)').getAttribute('aria-invalid')).toBe('true');
    expect(document.activeElement).toBe(d.getByLabelText('Budget (USD)'));
    expect(fieldError(d.getByLabelText('Budget (USD)'))).toBe('Enter a dollar amount of 0 or more, e.g. 5 or 0.50.');
    expect(fieldError(d.getByLabelText('TPM limit'))).toBe('Enter the TPM limit as a whole number of 0 or more, or leave it empty for no limit.');
    expect(fieldError(d.getByLabelText('Metadata (JSON)'))).toMatch(/^Not valid JSON:/);
    expect(fieldError(d.getByLabelText('RPM limit'))).toBeUndefined();
    expect(g.callsTo('POST', '/key/generate')).toHaveLength(0);
    expect((d.getByLabelText('Alias') as HTMLInputElement).value).toBe('ci');
    expect((d.getByLabelText('Metadata (JSON)') as HTMLTextAreaElement).value).toBe('{"team": ');

    await user.clear(d.getByLabelText('Budget (USD)'));
    await user.type(d.getByLabelText('Budget (USD)'), '10');
    await user.clear(d.getByLabelText('TPM limit'));
    await user.type(d.getByLabelText('TPM limit'), '100000');
    await user.clear(d.getByLabelText('Metadata (JSON)'));
    await user.click(d.getByLabelText('Metadata (JSON)'));
    await user.paste('["not", "an object"]');
    await user.click(d.getByRole('button', { name: 'Create' }));
    expect(fieldError(d.getByLabelText('Metadata (JSON)'))).toBe('Metadata must be a JSON object, e.g. {"team": "web"}.');
    expect(fieldError(d.getByLabelText('Budget (USD)'))).toBeUndefined();

    await user.clear(d.getByLabelText('Metadata (JSON)'));
    await user.click(d.getByLabelText('Metadata (JSON)'));
    await user.paste('{"team": "web"}');
    await user.click(d.getByRole('button', { name: 'Create' }));

    const newKey = (await d.findByLabelText('New key')) as HTMLInputElement;
    expect(g.callsTo('POST', '/key/generate')[0]!.body).toEqual({
      key_alias: 'ci',
      models: ['gpt-4o', 'mock-gpt'],
      max_budget: 10,
      budget_duration: '30d',
      duration: '90d',
      rpm_limit: 60,
      tpm_limit: 100000,
      metadata: { team: 'web' },
    });
    expect(newKey.value).toBe('sk-RAWKEYabcdefghijklmnZz9q');
    expect(newKey.readOnly).toBe(true);
    expect(d.getByRole('note').textContent).toMatch(/will not be shown again/);
    const copy = d.getByRole('button', { name: 'Copy' });
    await user.click(copy);
    expect(await navigator.clipboard.readText()).toBe('sk-RAWKEYabcdefghijklmnZz9q');
    expect(copy.textContent).toBe('Copied');

    await user.click(d.getByRole('button', { name: 'Done' }));
    expect(screen.queryByRole('dialog', { name: 'Create key' })).toBeNull();
    // Opening the dialog again starts a fresh form: the raw key is gone for good.
    await user.click(screen.getByRole('button', { name: 'Create key' }));
    const again = within(screen.getByRole('dialog', { name: 'Create key' }));
    expect(again.queryByLabelText('New key')).toBeNull();
    expect((again.getByLabelText('Alias') as HTMLInputElement).value).toBe('');
    expect(screen.queryByDisplayValue('sk-RAWKEYabcdefghijklmnZz9q')).toBeNull();
  });

  it('sends only what was filled in (no models = every model) and shows a refusal in the dialog', async () => {
    const user = userEvent.setup();
    const g = gateway([], {
      'POST /key/generate': () => jsonResponse(400, { error: { message: 'Invalid budget_duration "x"', param: 'budget_duration' } }),
    });
    renderPage(<KeysPage />, { path: '/keys' });
    await user.click(await screen.findByRole('button', { name: 'Create key' }));
    const d = within(screen.getByRole('dialog', { name: 'Create key' }));
    await user.type(d.getByLabelText('Alias'), '  spaced  ');
    await user.click(d.getByRole('button', { name: 'Create' }));
    expect((await d.findByRole('alert')).textContent).toContain('Invalid budget_duration "x" (HTTP 400)');
    expect(g.callsTo('POST', '/key/generate')[0]!.body).toEqual({ key_alias: 'spaced' });
    expect((d.getByLabelText('Alias') as HTMLInputElement).value).toBe('  spaced  ');
  });
});

describe('Key actions', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('revokes after confirming, removing the row at once', async () => {
    const user = userEvent.setup();
    let finish!: () => void;
    const g = gateway([budgeted, unaliased], {
      'POST /key/delete': (r: FakeRequest) =>
        new Promise((resolve) => {
          finish = () => {
            g.setKeys([unaliased]);
            resolve({ deleted_keys: (r.body as { keys: string[] }).keys });
          };
        }),
    });
    renderPage(<KeysPage />, { path: '/keys' });
    await user.click(await screen.findByRole('button', { name: 'Revoke aider-laptop' }));
    const dialog = screen.getByRole('dialog', { name: 'Revoke key' });
    expect(dialog.querySelector('p')?.textContent).toMatch(/^Revoke aider-laptop\? Requests with it are refused/);
    await user.click(within(dialog).getByRole('button', { name: 'Revoke' }));
    expect(screen.queryByRole('dialog', { name: 'Revoke key' })).toBeNull();
    await waitFor(() => expect(screen.queryByText('aider-laptop')).toBeNull());
    expect(g.callsTo('POST', '/key/delete')[0]!.body).toEqual({ keys: [budgeted.token] });
    finish();
    expect(await findToast('Key aider-laptop revoked')).toBe('success');
    expect(screen.queryByText('aider-laptop')).toBeNull();
    expect(listedKeys()).toEqual(['sk-…aaaa']);
  });

  it('puts a revoked row back with a toast when the gateway refuses', async () => {
    const user = userEvent.setup();
    gateway([budgeted, unaliased], { 'POST /key/delete': () => jsonResponse(500, { error: { message: 'disk I/O error' } }) });
    renderPage(<KeysPage />, { path: '/keys' });
    await user.click(await screen.findByRole('button', { name: 'Revoke aider-laptop' }));
    await user.click(within(screen.getByRole('dialog', { name: 'Revoke key' })).getByRole('button', { name: 'Revoke' }));
    expect(await findToast('Could not revoke aider-laptop: disk I/O error (HTTP 500)')).toBe('error');
    expect(listedKeys()).toEqual(['aider-laptop', 'sk-…aaaa']);
  });

  it('rotates after confirming and shows the new key once', async () => {
    const user = userEvent.setup();
    const g = gateway([unaliased], {
      'POST /key/regenerate': () => ({ ...keyObject({ key_name: 'sk-…NEW1' }), key: 'sk-NEWRAWKEY000000000NEW1', token_id: 'd'.repeat(64), duration: null }),
    });
    renderPage(<KeysPage />, { path: '/keys' });
    await user.click(await screen.findByRole('button', { name: 'Rotate sk-…aaaa' }));
    const d = within(screen.getByRole('dialog', { name: 'Rotate key' }));
    expect(d.queryByLabelText('New key')).toBeNull();
    await user.click(d.getByRole('button', { name: 'Rotate' }));
    const field = (await d.findByLabelText('New key')) as HTMLInputElement;
    expect(field.value).toBe('sk-NEWRAWKEY000000000NEW1');
    expect(g.callsTo('POST', '/key/regenerate')[0]!.body).toEqual({ key: unaliased.token });
    await user.click(d.getByRole('button', { name: 'Copy' }));
    expect(await navigator.clipboard.readText()).toBe('sk-NEWRAWKEY000000000NEW1');
    await user.click(d.getByRole('button', { name: 'Done' }));
    expect(screen.queryByRole('dialog', { name: 'Rotate key' })).toBeNull();
    expect(screen.queryByDisplayValue('sk-NEWRAWKEY000000000NEW1')).toBeNull();
  });

  it('edits alias, models, budget and limits, showing the change at once', async () => {
    const user = userEvent.setup();
    let finish!: () => void;
    const g = gateway([budgeted], {
      'POST /key/update': (r: FakeRequest) =>
        new Promise((resolve) => {
          finish = () => {
            const body = r.body as Partial<KeyObject>;
            const updated = { ...budgeted, ...body, token: budgeted.token };
            g.setKeys([updated]);
            resolve(updated);
          };
        }),
    });
    renderPage(<KeysPage />, { path: '/keys' });
    await user.click(await screen.findByRole('button', { name: 'Edit aider-laptop' }));
    const d = within(screen.getByRole('dialog', { name: 'Edit key' }));
    expect((d.getByLabelText('Alias') as HTMLInputElement).value).toBe('aider-laptop');
    expect((d.getByRole('checkbox', { name: 'gpt-4o' }) as HTMLInputElement).checked).toBe(true);
    expect((d.getByLabelText('Budget (USD)') as HTMLInputElement).value).toBe('5');
    expect((d.getByLabelText('Budget period') as HTMLSelectElement).value).toBe('30d');
    expect(d.queryByLabelText('Duration')).toBeNull();

    await user.clear(d.getByLabelText('Alias'));
    await user.type(d.getByLabelText('Alias'), 'aider-desktop');
    await user.click(d.getByRole('checkbox', { name: 'claude-sonnet' }));
    await user.clear(d.getByLabelText('Budget (USD)'));
    await user.type(d.getByLabelText('Budget (USD)'), '20');
    await user.clear(d.getByLabelText('RPM limit'));
    await user.click(d.getByRole('button', { name: 'Save' }));

    expect(screen.queryByRole('dialog', { name: 'Edit key' })).toBeNull();
    const edited = rowOf('aider-desktop'); // before the gateway answers
    expect(cellText(edited, 'Models')).toBe('gpt-4o');
    expect(within(edited).getByRole('meter').getAttribute('aria-valuetext')).toBe('$0.0123 of $20.00');
    expect(cellText(edited, 'Limits')).toBe('10,000 TPM · 2 parallel');
    expect(g.callsTo('POST', '/key/update')[0]!.body).toEqual({
      key: budgeted.token,
      key_alias: 'aider-desktop',
      models: ['gpt-4o'],
      max_budget: 20,
      rpm_limit: null,
      tpm_limit: 10000,
    });
    finish();
    expect(await findToast('Key saved')).toBe('success');
  });

  it('rolls an edit back with a toast when the gateway refuses', async () => {
    const user = userEvent.setup();
    const g = gateway([budgeted], {
      'POST /key/update': () => jsonResponse(400, { error: { message: 'Invalid budget_duration "2x"', param: 'budget_duration' } }),
    });
    renderPage(<KeysPage />, { path: '/keys' });
    await user.click(await screen.findByRole('button', { name: 'Edit aider-laptop' }));
    const d = within(screen.getByRole('dialog', { name: 'Edit key' }));
    await user.selectOptions(d.getByLabelText('Budget period'), 'Weekly');
    await user.clear(d.getByLabelText('Alias'));
    await user.type(d.getByLabelText('Alias'), 'renamed');
    await user.click(d.getByRole('button', { name: 'Save' }));
    expect(await findToast('Could not save the key: Invalid budget_duration "2x" (HTTP 400)')).toBe('error');
    expect(listedKeys()).toEqual(['aider-laptop']);
    expect(cellText(rowOf('aider-laptop'), 'Spend')).toBe('$0.0123 of $5.00Monthly · resets in 10 d');
    expect(screen.queryByText('renamed')).toBeNull();
    expect(g.callsTo('POST', '/key/update')[0]!.body).toMatchObject({ budget_duration: '7d', key_alias: 'renamed' });
  });
});
