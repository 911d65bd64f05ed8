/**
 * The dashboard end to end, in real Chromium (Debian's /usr/bin/chromium via playwright-core) against a real
 * gateway serving the built dashboard at /ui/, running from a config.yaml file on the mock providers, the way a
 * person uses it in a browser at 900×600 (the tray window):
 *  1. sign in with the master key (a wrong one first);
 *  2. add a deployment with an api key typed in, test it; config.yaml gets a keychain/ reference, never the key;
 *  3. create a virtual key, call the gateway with it from the official openai SDK, see the request in Usage and
 *     the spend on Keys (no reload: the pages refetch);
 *  4. see a request arrive in the Logs live tail;
 *  5. add a fallback chain from a failing model group to the new one; a request to the failing group is
 *     answered by the fallback, and Usage and Logs show it;
 *  6. export config.yaml (references, no secret values), change it, import it: diff, apply, visible everywhere;
 *  7. a screenshot of every page, light and dark (and the whole scrolled page in light), into
 *     e2e/artifacts/screenshots/ (flows 2 and 6 add the Add model and Import dialogs).
 * The tests share one gateway and run in order; each opens a fresh browser context (and signs in again).
 */
import { readFileSync } from 'node:fs';
import OpenAI from 'openai';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, parseDocument } from 'yaml';
import { formatUsd } from '../renderer/src/components/format.ts';
import { mockTokens, request } from './support/admin.ts';
import {
  closePages,
  horizontalOverflow,
  launchBrowser,
  openPage,
  screenshot,
  signIn,
  skipBrowserTests,
  snapshotUi,
  until,
  untilText,
  type OpenedPage,
} from './support/browser.ts';
import { startGatewayOnMocks, type GatewayOnMocks } from './support/gateway.ts';

const MASTER = 'sk-e2e-master-4c7d9a';
/** The provider key typed into the Add model form: it must end up in the secret store only. */
const TYPED_KEY = 'sk-typed-upstream-7f3a9c2e51';
const ENV = { LITELLM_MASTER_KEY: MASTER, OPENAI_API_KEY: 'sk-env-openai-3b8e41' };
/** Custom prices typed into the form, $ per million tokens. */
const PRICE_IN = 100;
const PRICE_OUT = 200;

/** Every secret value the gateway knows: none may appear on a page or in an export. */
const SECRET_VALUES = [TYPED_KEY, ENV.OPENAI_API_KEY, MASTER];

const config = (mockUrl: string) => `# Dashboard e2e: this comment must survive the dashboard's edits
model_list:
  - model_name: gpt-4o
    litellm_params: { model: openai/gpt-4o, api_base: "${mockUrl}/v1", api_key: os.environ/OPENAI_API_KEY }
  - model_name: failing   # every call answers 500 (the mock's error-500 marker)
    litellm_params: { model: openai/gpt-4o-error-500, api_base: "${mockUrl}/v1", api_key: os.environ/OPENAI_API_KEY }
    model_info: { base_model: gpt-4o }   # priced as gpt-4o: the key made below has a budget, and unpriced models are refused to it
general_settings:
  master_key: os.environ/LITELLM_MASTER_KEY
`;

const PAGES = ['Overview', 'Models', 'Routing', 'Keys', 'Usage', 'Logs', 'Settings'] as const;
type PageName = (typeof PAGES)[number];

let running: GatewayOnMocks;
let ui: { dir: string; remove(): void } | undefined;
let url: string;
let browser: Browser;
/** The browser contexts the running test opened; closed (and checked for page crashes) after it. */
const opened: OpenedPage[] = [];
/** Shared between the flows, in order. */
const state: { virtualKey?: string; fastId?: string } = {};

const configText = () => readFileSync(running.gw.configPath!, 'utf8');
const adminGet = async <T>(path: string): Promise<T> => {
  const answer = await request<T>(url, 'GET', path, MASTER);
  expect(answer.status, `${path}: ${answer.text}`).toBe(200);
  return answer.json;
};
const sdk = (key: string) => new OpenAI({ apiKey: key, baseURL: `${url}/v1`, maxRetries: 0, timeout: 15_000 });

async function chatWith(key: string, model: string, content: string) {
  const { data, response } = await sdk(key)
    .chat.completions.create({ model, messages: [{ role: 'user', content }] })
    .withResponse();
  return { data, requestId: response.headers.get('x-litellm-call-id') ?? '', modelId: response.headers.get('x-litellm-model-id') ?? '' };
}

/** A fresh context (light unless asked), signed in through the login page, on `path`. */
async function signedIn(path = '/', colorScheme: 'light' | 'dark' = 'light'): Promise<Page> {
  const context = await openPage(browser, { colorScheme });
  opened.push(context);
  await signIn(context.page, url, MASTER, path);
  return context.page;
}

const nav = (page: Page) => page.getByRole('navigation', { name: 'Main' });

/** Goes to a page through the sidebar (no reload) and waits for its heading. */
async function go(page: Page, name: PageName): Promise<void> {
  await nav(page).getByRole('link', { name, exact: true }).click();
  await page.getByRole('heading', { level: 1, name, exact: true }).waitFor();
}

/** A page section by its h2. */
const section = (page: Page, heading: string): Locator =>
  page
    .locator('section')
    .filter({ has: page.getByRole('heading', { level: 2, name: heading, exact: true }) })
    .last();

/** Text the user can see or has in a form control, plus the markup: where a leaked secret would be. */
async function everythingShown(page: Page): Promise<string> {
  // A string, because this project's Node typings have no DOM.
  return page.evaluate<string>(`[
    document.body.innerText,
    document.documentElement.outerHTML,
    ...[...document.querySelectorAll('input, textarea, select')].map((el) => el.value),
  ].join('\\n')`);
}

async function expectNoSecretsShown(page: Page): Promise<void> {
  const shown = await everythingShown(page);
  for (const secret of SECRET_VALUES) expect(shown, 'a secret is shown on the page').not.toContain(secret);
}

/** Picks the option of a <select> whose value or text matches, once the select has one (options may load later). */
async function selectMatching(select: Locator, pattern: RegExp): Promise<string> {
  const readOptions = async () => {
    const options: { value: string; text: string }[] = [];
    for (const option of await select.locator('option').all()) {
      const text = (await option.textContent()) ?? '';
      options.push({ value: (await option.getAttribute('value')) ?? text, text });
    }
    return options;
  };
  const matching = (options: { value: string; text: string }[]) => options.find((o) => pattern.test(o.value)) ?? options.find((o) => pattern.test(o.text));
  const options = await until(readOptions, (found) => expect(matching(found), `an option matching ${pattern} in ${JSON.stringify(found)}`).toBeDefined());
  const chosen = matching(options)!;
  await select.selectOption(chosen.value);
  return chosen.value;
}

interface ModelInfo {
  data: { model_name: string; litellm_params: Record<string, unknown>; model_info: Record<string, unknown> & { id: string } }[];
}
interface SpendRow {
  request_id: string;
  model: string;
  model_group: string;
  key_alias: string | null;
  spend: number;
  status: string;
}

/** The chains of one kind of fallback, wherever in config.yaml they were written. */
function fallbacksIn(yamlText: string, kind = 'fallbacks'): unknown {
  const doc = parseYaml(yamlText) as Record<string, Record<string, unknown> | undefined>;
  return doc.router_settings?.[kind] ?? doc.litellm_settings?.[kind];
}

describe.skipIf(skipBrowserTests())('dashboard in real Chromium', () => {
  beforeAll(async () => {
    ui = await snapshotUi();
    [running, browser] = await Promise.all([
      startGatewayOnMocks(config, ENV, { dataDir: true, configFile: true, logLevel: 'info', uiDir: ui.dir }),
      launchBrowser(),
    ]);
    url = running.gw.url;
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await running?.close();
    ui?.remove();
  });

  // Each test's contexts are closed after it; a crash inside a page fails the test that caused it.
  afterEach(() => closePages(opened.splice(0)));

  it('1. signs in with the master key: a wrong one is refused with a message, the right one opens Overview', async () => {
    const context = await openPage(browser);
    opened.push(context);
    const { page } = context;
    const response = await page.goto(`${url}/ui/`);
    expect(response?.status()).toBe(200);
    const keyField = page.getByLabel('Master key');
    await keyField.fill('sk-not-the-master-key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const error = await untilText(page.getByRole('alert'), /\S/);
    expect(error).toMatch(/401|key/i);
    // Nothing was kept: the form is still there, with what was typed.
    expect(await keyField.inputValue()).toBe('sk-not-the-master-key');

    await keyField.fill(MASTER);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Overview', exact: true }).waitFor();
    for (const name of PAGES) await nav(page).getByRole('link', { name, exact: true }).waitFor();

    // Connect a client: copy-ready setup filled with this gateway's address.
    await page.getByRole('heading', { level: 2, name: 'Connect a client' }).waitFor();
    for (const tab of ['Aider', 'Continue', 'LibreChat', 'Open WebUI', 'OpenAI SDK (Python)', 'OpenAI SDK (JS)', 'Claude Code', 'curl']) {
      await page.getByRole('tab', { name: tab, exact: true }).waitFor();
    }
    await page.getByRole('tab', { name: 'curl', exact: true }).click();
    const port = new URL(url).port;
    await untilText(page.locator('pre'), `:${port}`);
    await page.getByRole('button', { name: 'Copy' }).first().waitFor();
    await page.getByLabel('Paste a key (optional)').fill('sk-pasted-for-snippet-1234');
    await untilText(page.locator('pre'), 'sk-pasted-for-snippet-1234');

    // Routes work directly (the gateway serves index.html for them), still signed in for this tab.
    await page.goto(`${url}/ui/models`);
    await page.getByRole('heading', { level: 1, name: 'Models', exact: true }).waitFor();
  }, 30_000);

  it('2. Models: adds a deployment with a typed api key, tests it; config.yaml holds a keychain/ reference, the page never shows the key', async () => {
    const page = await signedIn('/models');
    await page.getByRole('button', { name: 'Add model' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add model' });
    await dialog.waitFor();
    await dialog.getByLabel('Model name').fill('e2e-fast');
    // The fields follow the provider: an API version for Azure only.
    await selectMatching(dialog.getByLabel('Provider'), /^azure$/);
    await dialog.getByLabel('API version').waitFor();
    await selectMatching(dialog.getByLabel('Provider'), /^openai$/);
    await dialog.getByLabel('API version').waitFor({ state: 'detached' });
    await dialog.getByLabel('Upstream model').fill('gpt-4o');
    await dialog.getByLabel('API base').fill(running.mock.openaiBaseUrl);
    await dialog.getByLabel('API key').fill(TYPED_KEY);
    await dialog.getByLabel('RPM').fill('600');
    await dialog.getByLabel('Timeout (s)').fill('30');
    await dialog.getByLabel('Input price ($ per 1M tokens)').fill(String(PRICE_IN));
    await dialog.getByLabel('Output price ($ per 1M tokens)').fill(String(PRICE_OUT));
    // Bad JSON is named next to its field, and nothing typed is lost.
    const extra = dialog.getByLabel('Extra params (JSON)');
    await extra.fill('{"temperature": 0.2');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await untilText(dialog.getByRole('alert'), /JSON/i);
    expect(await extra.getAttribute('aria-invalid')).toBe('true');
    expect(await dialog.getByLabel('Model name').inputValue()).toBe('e2e-fast');
    expect(await dialog.getByLabel('API key').inputValue()).toBe(TYPED_KEY);
    await extra.fill('{"temperature": 0.2}');
    await screenshot(page, 'models-add-dialog');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });

    const row = page.getByRole('row', { name: /e2e-fast/ });
    await row.waitFor();
    await expectNoSecretsShown(page);

    // What the gateway stored: a keychain/ reference in config.yaml, the key itself in the secret store.
    const info = await adminGet<ModelInfo>('/model/info');
    const entry = info.data.find((m) => m.model_name === 'e2e-fast');
    expect(entry, JSON.stringify(info.data)).toBeDefined();
    state.fastId = entry!.model_info.id;
    expect(entry!.litellm_params.api_key).toMatch(/^keychain\//);
    expect(entry!.litellm_params.api_base).toBe(running.mock.openaiBaseUrl);
    const file = configText();
    expect(file).toContain('e2e-fast');
    expect(file).toMatch(/api_key: keychain\//);
    expect(file).not.toContain(TYPED_KEY);
    expect(file).toContain('# Dashboard e2e: this comment must survive');
    const written = (
      parseYaml(file) as { model_list: { model_name: string; litellm_params: Record<string, unknown>; model_info?: Record<string, unknown> }[] }
    ).model_list.find((m) => m.model_name === 'e2e-fast')!;
    expect(written.litellm_params).toMatchObject({ model: 'openai/gpt-4o', rpm: 600, timeout: 30, temperature: 0.2 });
    const price = (name: string) => written.litellm_params[name] ?? written.model_info?.[name];
    expect(price('input_cost_per_token')).toBeCloseTo(PRICE_IN / 1e6, 12);
    expect(price('output_cost_per_token')).toBeCloseTo(PRICE_OUT / 1e6, 12);

    // Test: a one-token request through the stored key; the upstream saw the typed key (the reference resolves).
    const before = running.mock.requests.length;
    await row.getByRole('button', { name: 'Test' }).click();
    await untilText(row.getByRole('status').or(page.getByRole('status').filter({ hasText: /OK ·|Failed ·/ })), /OK · \d+ ms/);
    const upstream = running.mock.requests.slice(before).find((r) => r.model === 'gpt-4o');
    expect(upstream?.headers.authorization).toBe(`Bearer ${TYPED_KEY}`);

    // Edit shows the key masked or as its reference, never the value.
    await row.getByRole('button', { name: 'Edit' }).click();
    const edit = page.getByRole('dialog');
    await edit.waitFor();
    expect(await edit.getByLabel('Model name').inputValue()).toBe('e2e-fast');
    await expectNoSecretsShown(page);
    await page.keyboard.press('Escape');
    await edit.waitFor({ state: 'detached' });

    // A test of a failing deployment shows the exact upstream error.
    const failing = page.getByRole('row', { name: /failing/ });
    await failing.getByRole('button', { name: 'Test' }).click();
    await untilText(
      failing.getByRole('status').or(page.getByRole('status').filter({ hasText: /Failed ·/ })),
      /Failed · HTTP 5\d\d · .*The server had an error while processing your request/,
    );
  }, 30_000);

  it('3. Keys: creates a key shown once; a request with it from the openai SDK shows up in Usage and as spend on Keys', async () => {
    const page = await signedIn('/keys');
    await page.getByRole('button', { name: 'Create key' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create key' });
    await dialog.waitFor();
    await dialog.getByLabel('Alias').fill('e2e-key');
    await dialog.getByLabel('Budget (USD)').fill('5');
    await dialog.getByRole('button', { name: 'Create', exact: true }).click();
    const newKey = dialog.getByLabel('New key');
    await newKey.waitFor();
    expect(await newKey.getAttribute('readonly')).not.toBeNull();
    const raw = await newKey.inputValue();
    expect(raw).toMatch(/^sk-/);
    state.virtualKey = raw;
    await dialog.getByRole('button', { name: 'Copy' }).waitFor();
    await dialog.getByRole('button', { name: 'Done' }).click();
    await dialog.waitFor({ state: 'detached' });
    const keyRow = page.getByRole('row', { name: /e2e-key/ });
    await keyRow.waitFor();
    for (const action of ['Edit', 'Rotate', 'Revoke']) await keyRow.getByRole('button', { name: `${action} e2e-key` }).waitFor();
    // Shown once: after Done the raw key is nowhere on the page.
    expect(await everythingShown(page)).not.toContain(raw);

    const content = 'hello from the dashboard test';
    const answer = await chatWith(raw, 'e2e-fast', content);
    expect(answer.data.choices[0]?.message.content).toBe(`echo: ${content}`);
    const tokens = mockTokens(content);
    const cost = (tokens.prompt * PRICE_IN + tokens.completion * PRICE_OUT) / 1e6;
    const logged = await until(
      async () => (await adminGet<SpendRow[]>('/spend/logs')).find((r) => r.request_id === answer.requestId),
      (row) => expect(row).toBeDefined(),
    );
    expect(logged!.spend).toBeCloseTo(cost, 12);

    // Usage, reached through the sidebar: the request in the table with its model, key and cost.
    await go(page, 'Usage');
    const requests = section(page, 'Requests');
    await page.getByLabel('Range').waitFor();
    for (const filter of ['Key', 'Model', 'Status']) await requests.getByLabel(filter, { exact: true }).waitFor();
    await requests.getByRole('button', { name: 'Previous' }).waitFor();
    await requests.getByRole('button', { name: 'Next' }).waitFor();
    const usageRow = requests.getByRole('row').filter({ hasText: 'e2e-fast' }).filter({ hasText: 'e2e-key' });
    await usageRow.first().waitFor();
    expect(await usageRow.first().textContent()).toContain(formatUsd(cost));
    // The spend chart by key names the key.
    await page.getByRole('button', { name: 'By key', exact: true }).click();
    expect(await page.getByRole('button', { name: 'By key', exact: true }).getAttribute('aria-pressed')).toBe('true');
    await untilText(section(page, 'Spend over time'), 'e2e-key');
    // A row opens its details.
    await usageRow.first().getByRole('button', { name: 'Details' }).click();
    const detailDialog = page.getByRole('dialog', { name: 'Request details' });
    await untilText(detailDialog, answer.requestId);
    await page.keyboard.press('Escape');
    await detailDialog.waitFor({ state: 'detached' });

    // Overview's "Connect a client" offers the new key for its snippets (by alias: the raw key is gone).
    await go(page, 'Overview');
    const keyChoice = await selectMatching(page.getByLabel('Key', { exact: true }), /e2e-key/);
    expect(keyChoice).not.toBe('');
    expect(await everythingShown(page)).not.toContain(raw);

    // Keys, through the sidebar again: the spend on the key's meter. (The page refetches its list on the way
    // in once the copy it fetched when the key was created is 2 s old, else on its 10 s interval.)
    await go(page, 'Keys');
    const meter = page.getByRole('row', { name: /e2e-key/ }).getByRole('meter');
    await until(
      async () => Number(await meter.getAttribute('aria-valuenow')),
      (value) => expect(value).toBeGreaterThan(0),
      12_000,
    );
    expect(Number(await meter.getAttribute('aria-valuemax'))).toBe(5);
    expect(await meter.getAttribute('aria-label')).toMatch(/spend/i);
    await untilText(page.getByRole('row', { name: /e2e-key/ }), `${formatUsd(cost)} of $5.00`);
  }, 30_000);

  it('4. Logs: a request appears in the live tail; Pause holds new lines back', async () => {
    const page = await signedIn('/logs');
    const log = page.getByRole('log', { name: 'Log lines' });
    await log.waitFor();
    const level = page.getByLabel('Level');
    await selectMatching(level, /debug/i);
    await page.getByLabel('Search').fill('e2e-fast');

    const first = await chatWith(MASTER, 'e2e-fast', 'live tail one');
    await untilText(log, first.requestId);

    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    await page.getByRole('button', { name: 'Resume', exact: true }).waitFor();
    const second = await chatWith(MASTER, 'e2e-fast', 'live tail two');
    await page.waitForTimeout(700);
    expect(await log.textContent()).not.toContain(second.requestId);
    await page.getByRole('button', { name: 'Resume', exact: true }).click();
    await page.getByRole('button', { name: 'Pause', exact: true }).waitFor();
    const third = await chatWith(MASTER, 'e2e-fast', 'live tail three');
    await untilText(log, third.requestId);

    // The search filters: a model name no line has leaves none of the request lines.
    await page.getByLabel('Search').fill('no-such-model-name-xyz');
    await until(
      async () => (await log.textContent()) ?? '',
      (text) => expect(text).not.toContain(third.requestId),
    );
    await page.getByRole('button', { name: 'Clear', exact: true }).waitFor();
    await expectNoSecretsShown(page);
  }, 30_000);

  it('5. Routing: a fallback chain from a failing group to e2e-fast; a request to the failing group is answered by e2e-fast', async () => {
    const page = await signedIn('/routing');
    for (const heading of [
      'Fallbacks',
      'Context-window fallbacks',
      'Content-policy fallbacks',
      'Default fallbacks',
      'Retries and timeouts',
      'Load balancing',
      'Cache',
    ]) {
      await page.getByRole('heading', { level: 2, name: heading, exact: true }).waitFor();
    }
    const fallbacks = section(page, 'Fallbacks');
    await fallbacks.getByRole('button', { name: 'Add fallback chain' }).click();
    await fallbacks.getByLabel('Model', { exact: true }).last().selectOption('failing');
    const addTarget = async (target: string) => {
      await fallbacks.getByLabel('Add target').last().selectOption(target);
      await fallbacks.getByRole('button', { name: 'Add', exact: true }).last().click();
      await fallbacks.getByRole('button', { name: `Remove ${target}` }).waitFor();
    };
    const order = async () => {
      const names: string[] = [];
      for (const button of await fallbacks.getByRole('button', { name: /^Move .+ up$/ }).all())
        names.push(((await button.getAttribute('aria-label')) ?? (await button.textContent()) ?? '').replace(/^Move | up$/g, ''));
      return names;
    };
    // Two targets, reordered, then one removed again: the chain that is saved is failing → e2e-fast.
    await addTarget('e2e-fast');
    await addTarget('gpt-4o');
    expect(await order()).toEqual(['e2e-fast', 'gpt-4o']);
    await fallbacks.getByRole('button', { name: 'Move gpt-4o up' }).click();
    expect(await order()).toEqual(['gpt-4o', 'e2e-fast']);
    await fallbacks.getByRole('button', { name: 'Move gpt-4o down' }).click();
    expect(await order()).toEqual(['e2e-fast', 'gpt-4o']);
    await fallbacks.getByRole('button', { name: 'Remove gpt-4o' }).click();
    expect(await order()).toEqual(['e2e-fast']);
    await page.getByRole('button', { name: 'Save routing' }).click();
    await untilText(page.getByRole('status').filter({ hasText: 'Routing saved' }), 'Routing saved');

    const routing = await adminGet<{ fallbacks: Record<string, string[]>[] }>('/admin/routing');
    expect(routing.fallbacks).toEqual([{ failing: ['e2e-fast'] }]);
    expect(fallbacksIn(configText())).toEqual([{ failing: ['e2e-fast'] }]);
    expect(configText()).toContain('# Dashboard e2e: this comment must survive');

    // Watch it happen in Logs, then find it in Usage.
    await go(page, 'Logs');
    const log = page.getByRole('log', { name: 'Log lines' });
    await selectMatching(page.getByLabel('Level'), /debug/i);
    await page.getByLabel('Search').fill('failing');
    const before = running.mock.requests.length;
    const answer = await chatWith(state.virtualKey!, 'failing', 'please fall back');
    expect(answer.data.choices[0]?.message.content).toBe('echo: please fall back');
    expect(answer.modelId).toBe(state.fastId);
    const upstream = running.mock.requests.slice(before).map((r) => `${r.model}:${r.status}`);
    expect(upstream).toEqual(['gpt-4o-error-500:500', 'gpt-4o:200']);
    await untilText(log, answer.requestId);

    const logged = await until(
      async () => (await adminGet<SpendRow[]>('/spend/logs')).find((r) => r.request_id === answer.requestId),
      (row) => expect(row).toBeDefined(),
    );
    await go(page, 'Usage');
    const row = section(page, 'Requests')
      .getByRole('row')
      .filter({ hasText: logged!.model_group })
      .filter({ hasText: formatUsd(logged!.spend) });
    await row.first().waitFor();
    expect(await row.first().textContent()).toContain('e2e-key');
  }, 30_000);

  it('6. Settings: exports config.yaml with references only, imports a changed one after showing the diff', async () => {
    const page = await signedIn('/settings');
    await page.getByRole('button', { name: 'Rotate master key' }).waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export config.yaml' }).click()]);
    expect(download.suggestedFilename()).toBe('config.yaml');
    const exported = readFileSync((await download.path())!, 'utf8');
    expect(exported).toContain('e2e-fast');
    expect(exported).toMatch(/keychain\//);
    expect(exported).toContain('os.environ/OPENAI_API_KEY');
    for (const secret of SECRET_VALUES) expect(exported, 'a secret in the export').not.toContain(secret);
    expect(fallbacksIn(exported)).toEqual([{ failing: ['e2e-fast'] }]);

    // Change it: one more model and two retries.
    const doc = parseDocument(exported);
    const models = doc.get('model_list') as { add(value: unknown): void };
    models.add(
      doc.createNode({
        model_name: 'e2e-imported',
        litellm_params: { model: 'openai/gpt-4o', api_base: running.mock.openaiBaseUrl, api_key: 'os.environ/OPENAI_API_KEY' },
      }),
    );
    doc.setIn(['router_settings', 'num_retries'], 2);
    const changed = doc.toString({ lineWidth: 0 });

    await page.getByLabel('Import config.yaml').setInputFiles({ name: 'config.yaml', mimeType: 'application/yaml', buffer: Buffer.from(changed) });
    const dialog = page.getByRole('dialog', { name: 'Import config.yaml' });
    const diff = (await untilText(dialog.locator('pre'), 'e2e-imported')).split('\n');
    expect(
      diff.some((line) => /^\+.*model_name: e2e-imported/.test(line)),
      diff.join('\n'),
    ).toBe(true);
    expect(
      diff.some((line) => /^\+.*num_retries: 2/.test(line)),
      diff.join('\n'),
    ).toBe(true);
    for (const secret of SECRET_VALUES) expect(diff.join('\n')).not.toContain(secret);
    await screenshot(page, 'settings-import-dialog');
    await dialog.getByRole('button', { name: 'Apply' }).click();
    await dialog.waitFor({ state: 'detached' });

    const file = configText();
    expect(file).toContain('e2e-imported');
    expect((parseYaml(file) as { router_settings?: { num_retries?: number } }).router_settings?.num_retries).toBe(2);
    expect(file).not.toContain(TYPED_KEY);

    await go(page, 'Models');
    await page.getByRole('row', { name: /e2e-imported/ }).waitFor();
    await go(page, 'Routing');
    await until(
      () => page.getByLabel('Retries', { exact: true }).inputValue(),
      (value) => expect(value).toBe('2'),
    );
    // Both the imported model and the one whose key is a keychain/ reference answer after the import.
    expect((await chatWith(MASTER, 'e2e-imported', 'imported')).data.choices[0]?.message.content).toBe('echo: imported');
    const before = running.mock.requests.length;
    expect((await chatWith(MASTER, 'e2e-fast', 'still keyed')).data.choices[0]?.message.content).toBe('echo: still keyed');
    expect(running.mock.requests.slice(before)[0]?.headers.authorization).toBe(`Bearer ${TYPED_KEY}`);

    // Delete takes the imported model out of config.yaml again, after a confirmation.
    await go(page, 'Models');
    await page
      .getByRole('row', { name: /e2e-imported/ })
      .getByRole('button', { name: 'Delete' })
      .click();
    const confirm = page.getByRole('dialog', { name: 'Delete model' });
    await confirm.getByRole('button', { name: 'Delete', exact: true }).click();
    await confirm.waitFor({ state: 'detached' });
    await page.getByRole('row', { name: /e2e-imported/ }).waitFor({ state: 'detached' });
    expect(configText()).not.toContain('e2e-imported');
    expect((await adminGet<ModelInfo>('/model/info')).data.map((m) => m.model_name)).not.toContain('e2e-imported');
  }, 30_000);

  it('7. every page at 900×600, light and dark: screenshots (and a full-page one in light), no sideways scrolling, no secrets', async () => {
    const overflowing: string[] = [];
    for (const scheme of ['light', 'dark'] as const) {
      const page = await signedIn('/', scheme);
      for (const name of PAGES) {
        if (name !== 'Overview') await go(page, name);
        else await page.getByRole('heading', { level: 1, name, exact: true }).waitFor();
        // Let the page's queries settle: no loading indicator left.
        await until(
          () => page.getByRole('status').filter({ hasText: 'Loading' }).count(),
          (count) => expect(count).toBe(0),
        );
        await page.waitForTimeout(150);
        await screenshot(page, scheme === 'light' ? name.toLowerCase() : `${name.toLowerCase()}-dark`);
        // The whole page too (light only), for reviewing what lies below the fold.
        if (scheme === 'light') await screenshot(page, `${name.toLowerCase()}-full`, { fullPage: true });
        const { scrollWidth, clientWidth } = await horizontalOverflow(page);
        if (scrollWidth > clientWidth) overflowing.push(`${name} (${scheme}): page is ${scrollWidth}px wide in a ${clientWidth}px window`);
        await expectNoSecretsShown(page);
      }
    }
    expect(overflowing).toEqual([]);
  }, 40_000);
});
