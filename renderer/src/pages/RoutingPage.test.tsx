// @vitest-environment jsdom
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RoutingAnswer, RoutingSettings } from '../api/types.ts';
import { fakeGateway, findToast, jsonResponse, renderPage, type FakeRequest } from '../test-utils.tsx';
import { RoutingPage } from './RoutingPage.tsx';

afterEach(() => vi.unstubAllGlobals());

const ANSWER: RoutingAnswer = {
  routing_strategy: 'simple-shuffle',
  num_retries: 2,
  retry_after: 0,
  allowed_fails: 3,
  cooldown_time: 5,
  request_timeout: 600,
  stream_timeout: null,
  fallbacks: [{ 'gpt-4o': ['claude', 'mock-gpt'] }],
  context_window_fallbacks: [],
  content_policy_fallbacks: [],
  default_fallbacks: ['mock-gpt'],
  cache: { enabled: false, type: 'local', ttl: null },
  model_groups: ['gpt-4o', 'claude', 'mock-gpt', 'llama'],
};

function gateway(put?: (request: FakeRequest) => unknown) {
  let current = structuredClone(ANSWER);
  return fakeGateway({
    'GET /admin/routing': () => current,
    'PUT /admin/routing':
      put ??
      ((request: FakeRequest) => {
        current = { ...current, ...(request.body as Partial<RoutingSettings>) };
        return current;
      }),
  });
}

async function openPage() {
  renderPage(<RoutingPage />, { path: '/routing' });
  await screen.findByRole('heading', { level: 2, name: 'Fallbacks' });
}

const region = (name: string) => screen.getByRole('region', { name });
const saveButton = () => screen.getByRole('button', { name: 'Save routing' }) as HTMLButtonElement;
const errorOf = (input: HTMLElement) => document.getElementById(`${input.id}-error`)?.textContent;
/** The messages beside Save (what blocks it, or the gateway's refusal). */
const statusAlerts = () => [...document.querySelectorAll('.routing-status [role="alert"]')].map((p) => p.textContent);
/** A chain section with no chains: no chain editors, and it says so. */
function expectNoChains(section: HTMLElement) {
  expect(within(section).queryAllByRole('group')).toEqual([]);
  expect(section.lastElementChild?.textContent).toBe('No chains.');
}

describe('RoutingPage', () => {
  it('shows what is in force, with Save disabled until something changes', async () => {
    gateway();
    await openPage();
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Routing');
    expect(screen.getAllByRole('heading', { level: 2 }).map((h) => h.textContent)).toEqual([
      'Fallbacks',
      'Context-window fallbacks',
      'Content-policy fallbacks',
      'Default fallbacks',
      'Retries and timeouts',
      'Load balancing',
      'Cache',
    ]);
    const chain = within(region('Fallbacks')).getByRole('group', { name: 'Chain for gpt-4o' });
    expect((within(chain).getByLabelText('Model') as HTMLSelectElement).value).toBe('gpt-4o');
    expect(
      within(chain)
        .getAllByRole('listitem')
        .map((li) => li.querySelector('.target-name')?.textContent),
    ).toEqual(['claude', 'mock-gpt']);
    expect((screen.getByLabelText('Retries') as HTMLInputElement).value).toBe('2');
    expect((screen.getByLabelText('Stream timeout (s)') as HTMLInputElement).value).toBe('');
    expect((screen.getByLabelText('Routing strategy') as HTMLSelectElement).value).toBe('simple-shuffle');
    expect((screen.getByLabelText('Cache responses') as HTMLInputElement).checked).toBe(false);
    expect(saveButton().disabled).toBe(true);
    // Each chain section has its own Add button, found by role and name in its section, and named by the words
    // it shows (no aria-label saying something else); only gpt-4o has a chain so far.
    const addButtons = [
      ['Fallbacks', 'Add fallback chain'],
      ['Context-window fallbacks', 'Add context-window fallback chain'],
      ['Content-policy fallbacks', 'Add content-policy fallback chain'],
    ].map(([section, name]) => within(region(section as string)).getByRole('button', { name }));
    expect(addButtons.map((b) => [b.textContent, b.getAttribute('aria-label')])).toEqual([
      ['Add fallback chain', null],
      ['Add context-window fallback chain', null],
      ['Add content-policy fallback chain', null],
    ]);
    expectNoChains(region('Context-window fallbacks'));
    expect(statusAlerts()).toEqual([]);
  });

  it('adds a chain, reorders its targets and saves only the fallbacks', async () => {
    const fake = gateway();
    await openPage();
    const section = region('Context-window fallbacks');
    await userEvent.click(screen.getByRole('button', { name: 'Add context-window fallback chain' }));
    expect(saveButton().disabled).toBe(false);
    await userEvent.selectOptions(within(section).getByLabelText('Model'), 'mock-gpt');
    // The source is not offered as its own target.
    const addTarget = within(section).getByLabelText('Add target') as HTMLSelectElement;
    expect([...addTarget.options].map((o) => o.value)).toEqual(['gpt-4o', 'claude', 'llama']);
    await userEvent.selectOptions(addTarget, 'claude');
    await userEvent.click(within(section).getByRole('button', { name: 'Add' }));
    await userEvent.selectOptions(within(section).getByLabelText('Add target'), 'llama');
    await userEvent.click(within(section).getByRole('button', { name: 'Add' }));
    expect([...(within(section).getByLabelText('Add target') as HTMLSelectElement).options].map((o) => o.value)).toEqual(['gpt-4o']);
    await userEvent.click(within(section).getByRole('button', { name: 'Move llama up' }));
    expect((within(section).getByRole('button', { name: 'Move llama up' }) as HTMLButtonElement).disabled).toBe(true);
    expect((within(section).getByRole('button', { name: 'Move claude down' }) as HTMLButtonElement).disabled).toBe(true);

    await userEvent.click(saveButton());
    await waitFor(() => expect(fake.callsTo('PUT', '/admin/routing')).toHaveLength(1));
    expect(fake.callsTo('PUT', '/admin/routing')[0]?.body).toEqual({ context_window_fallbacks: [{ 'mock-gpt': ['llama', 'claude'] }] });
    expect(await findToast('Routing saved')).toBe('success');
    await waitFor(() => expect(saveButton().disabled).toBe(true));
  });

  it('removes a target, a chain and a default fallback', async () => {
    const fake = gateway();
    await openPage();
    const fallbacks = region('Fallbacks');
    await userEvent.click(within(fallbacks).getByRole('button', { name: 'Move mock-gpt up' }));
    await userEvent.click(within(fallbacks).getByRole('button', { name: 'Remove claude' }));
    const defaults = region('Default fallbacks');
    await userEvent.selectOptions(within(defaults).getByLabelText('Add target'), 'claude');
    await userEvent.click(within(defaults).getByRole('button', { name: 'Add' }));
    await userEvent.click(within(defaults).getByRole('button', { name: 'Move claude up' }));
    await userEvent.click(saveButton());
    await waitFor(() => expect(fake.callsTo('PUT', '/admin/routing')).toHaveLength(1));
    expect(fake.callsTo('PUT', '/admin/routing')[0]?.body).toEqual({ fallbacks: [{ 'gpt-4o': ['mock-gpt'] }], default_fallbacks: ['claude', 'mock-gpt'] });

    await waitFor(() => expect(saveButton().disabled).toBe(true));
    await userEvent.click(within(region('Fallbacks')).getByRole('button', { name: 'Remove chain' }));
    expectNoChains(region('Fallbacks'));
    await userEvent.click(saveButton());
    await waitFor(() => expect(fake.callsTo('PUT', '/admin/routing')).toHaveLength(2));
    expect(fake.callsTo('PUT', '/admin/routing')[1]?.body).toEqual({ fallbacks: [] });
  });

  it('sends numbers, the strategy and the cache as they changed', async () => {
    const fake = gateway();
    await openPage();
    await userEvent.clear(screen.getByLabelText('Retries'));
    await userEvent.type(screen.getByLabelText('Retries'), '4');
    await userEvent.type(screen.getByLabelText('Stream timeout (s)'), '30');
    await userEvent.selectOptions(screen.getByLabelText('Routing strategy'), 'Lowest latency');
    await userEvent.click(screen.getByLabelText('Cache responses'));
    await userEvent.selectOptions(screen.getByLabelText('Cache type'), 'Redis');
    await userEvent.type(screen.getByLabelText('TTL (s)'), '120');
    await userEvent.type(screen.getByLabelText('Redis host'), 'cache.lan');
    await userEvent.type(screen.getByLabelText('Redis port'), '6380');
    await userEvent.click(saveButton());
    await waitFor(() => expect(fake.callsTo('PUT', '/admin/routing')).toHaveLength(1));
    expect(fake.callsTo('PUT', '/admin/routing')[0]?.body).toEqual({
      num_retries: 4,
      stream_timeout: 30,
      routing_strategy: 'latency-based-routing',
      cache: { enabled: true, type: 'redis', ttl: 120, host: 'cache.lan', port: 6380 },
    });
  });

  it('blocks saving an invalid number or a chain without targets, naming the problem', async () => {
    const fake = gateway();
    await openPage();
    const retries = screen.getByLabelText('Retries');
    await userEvent.clear(retries);
    await userEvent.type(retries, '-1');
    await userEvent.clear(screen.getByLabelText('Request timeout (s)'));
    await userEvent.click(screen.getByRole('button', { name: 'Add content-policy fallback chain' }));
    await userEvent.click(saveButton());
    expect(errorOf(retries)).toBe('Must be 0 or more.');
    expect(errorOf(screen.getByLabelText('Request timeout (s)'))).toBe('Enter a number.');
    const chain = within(region('Content-policy fallbacks')).getByRole('group', { name: 'New chain' });
    expect(within(chain).getByRole('alert').textContent).toBe('Choose the model this chain is for. Add at least one target.');
    expect(statusAlerts()).toEqual(['Some settings need fixing (marked above) before they can be saved.']);
    expect(fake.callsTo('PUT', '/admin/routing')).toHaveLength(0);
    // What was typed stays.
    expect((retries as HTMLInputElement).value).toBe('-1');

    await userEvent.click(screen.getByRole('button', { name: 'Discard changes' }));
    expect((screen.getByLabelText('Retries') as HTMLInputElement).value).toBe('2');
    expectNoChains(region('Content-policy fallbacks'));
    expect(statusAlerts()).toEqual([]);
    expect(saveButton().disabled).toBe(true);
  });

  it("shows the gateway's validation error, naming the setting", async () => {
    gateway(() => jsonResponse(400, { error: { message: 'must be a number of seconds ≥ 0', param: 'cooldown_time', type: 'invalid_request_error' } }));
    await openPage();
    const cooldown = screen.getByLabelText('Cooldown (s)');
    await userEvent.clear(cooldown);
    await userEvent.type(cooldown, '10');
    await userEvent.click(saveButton());
    await waitFor(() => expect(statusAlerts()).toEqual(['cooldown_time: must be a number of seconds ≥ 0 (HTTP 400)']));
    expect(errorOf(cooldown)).toBe('must be a number of seconds ≥ 0');
    // The draft is kept.
    expect((cooldown as HTMLInputElement).value).toBe('10');
  });

  it('marks the chain a refused change names', async () => {
    const message = '`fallbacks[0].gpt-4o[1]`: there is no model group `llama`. The model groups are: gpt-4o, claude, mock-gpt.';
    gateway(() => jsonResponse(400, { error: { message, param: 'fallbacks[0].gpt-4o[1]', type: 'invalid_request_error' } }));
    await openPage();
    const chain = within(region('Fallbacks')).getByRole('group', { name: 'Chain for gpt-4o' });
    await userEvent.selectOptions(within(chain).getByLabelText('Add target'), 'llama');
    await userEvent.click(within(chain).getByRole('button', { name: 'Add' }));
    await userEvent.click(saveButton());
    await waitFor(() => expect(within(chain).getByRole('alert').textContent).toBe(message));
    expect(statusAlerts()).toEqual([`${message} (HTTP 400)`]);
  });

  it('shows the error when the routing cannot be read', async () => {
    fakeGateway({ 'GET /admin/routing': () => jsonResponse(409, { error: { message: 'This gateway runs without a config file.' } }) });
    renderPage(<RoutingPage />, { path: '/routing' });
    expect((await screen.findByRole('alert')).textContent).toContain('This gateway runs without a config file. (HTTP 409)');
  });
});
