/**
 * The Add model form's provider fields in real Chromium against a real gateway running from a config.yaml: a Bedrock
 * model with typed AWS keys and Vertex AI models with a pasted service-account key and with a key file path. What
 * the gateway keeps: the secrets in its secret store, `keychain/` references in config.yaml and in GET /model/info,
 * the key file path as written — and each model answers through the official openai SDK, signed (SigV4, checked by
 * the Bedrock mock) or with a token the Vertex mock issued for the pasted key, so the references resolve to the keys.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { MemorySecretStore } from '../server/secrets/index.ts';
import { AWS_TEST_CREDENTIALS } from './mock-providers/bedrock-sigv4.ts';
import { type FramedMockProviders, startFramedMockProviders } from './mock-providers/framed-server.ts';
import { type TestServiceAccount, testServiceAccount, vertexTokenGrants } from './mock-providers/vertex-token.ts';
import { request } from './support/admin.ts';
import { closePages, launchBrowser, openPage, screenshot, signIn, skipBrowserTests, snapshotUi, type OpenedPage } from './support/browser.ts';
import { startGatewayOnMocks, type GatewayOnMocks } from './support/gateway.ts';

const MASTER = 'sk-e2e-provider-fields-81c2';
const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const GOOGLE = '/v1/projects/mock-project/locations/us-central1/publishers/google/models';
const { accessKeyId, secretAccessKey } = AWS_TEST_CREDENTIALS;

const config = () => `model_list: []
general_settings:
  master_key: ${MASTER}
`;

interface ModelInfo {
  data: { model_name: string; litellm_params: Record<string, unknown>; model_info: { id: string } }[];
}

let running: GatewayOnMocks;
let framed: FramedMockProviders;
let ui: { dir: string; remove(): void } | undefined;
let browser: Browser;
let account: TestServiceAccount;
let files: string;
const secrets = new MemorySecretStore();
const opened: OpenedPage[] = [];

const configEntries = () => (parseYaml(readFileSync(running.gw.configPath!, 'utf8')) as { model_list: ModelInfo['data'] }).model_list;
const entry = (name: string) => configEntries().find((m) => m.model_name === name);
const sdk = () => new OpenAI({ apiKey: MASTER, baseURL: `${running.gw.url}/v1`, maxRetries: 0, timeout: 15_000 });

async function signedIn(): Promise<Page> {
  const context = await openPage(browser);
  opened.push(context);
  await signIn(context.page, running.gw.url, MASTER, '/models');
  return context.page;
}

/** Opens Add model on `provider` and fills the fields named in `fields` (label → text), then saves (after a screenshot when named). */
async function addModel(page: Page, provider: string, fields: Record<string, string>, shot?: string): Promise<Locator> {
  await page.getByRole('button', { name: 'Add model' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add model' });
  await dialog.getByLabel('Provider').selectOption(provider);
  for (const [label, value] of Object.entries(fields)) await dialog.getByLabel(label, { exact: true }).fill(value);
  if (shot) {
    await dialog.getByLabel(Object.keys(fields).at(-1) ?? 'Provider', { exact: true }).scrollIntoViewIfNeeded();
    await screenshot(page, shot);
  }
  await dialog.getByRole('button', { name: 'Save' }).click();
  return dialog;
}

/** The text a person sees or has in a form control, and the markup: where a leaked secret would be. */
const everythingShown = (page: Page) =>
  page.evaluate<string>(`[
    document.body.innerText,
    document.documentElement.outerHTML,
    ...[...document.querySelectorAll('input, textarea, select')].map((el) => el.value),
  ].join('\\n')`);

describe.skipIf(skipBrowserTests())('provider fields of the Add model form in real Chromium', () => {
  beforeAll(async () => {
    files = mkdtempSync(join(tmpdir(), 'dashboard-provider-fields-'));
    ui = await snapshotUi();
    [running, framed, browser] = await Promise.all([
      startGatewayOnMocks(config, {}, { dataDir: true, configFile: true, secrets, uiDir: ui.dir }),
      startFramedMockProviders(),
      launchBrowser(),
    ]);
    account = testServiceAccount(running.mock.url);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await running?.close();
    await framed?.close();
    ui?.remove();
    if (files) rmSync(files, { recursive: true, force: true });
  });

  afterEach(() => closePages(opened.splice(0)));

  it('Bedrock with typed AWS keys: the keys go to the secret store, config.yaml and /model/info hold keychain/ references, calls are signed with them', async () => {
    const page = await signedIn();
    const dialog = await addModel(
      page,
      'bedrock',
      {
        'Model name': 'claude-form',
        'Upstream model': HAIKU,
        'API base': framed.url,
        'AWS region': 'us-east-1',
        'AWS access key ID': accessKeyId,
        'AWS secret access key': secretAccessKey,
      },
      'models-add-bedrock-fields',
    );
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('row', { name: /claude-form/ }).waitFor();

    const written = entry('claude-form');
    expect(written?.litellm_params).toMatchObject({ model: `bedrock/${HAIKU}`, api_base: framed.url, aws_region_name: 'us-east-1' });
    const keyRef = String(written?.litellm_params.aws_access_key_id);
    const secretRef = String(written?.litellm_params.aws_secret_access_key);
    expect(keyRef).toBe('keychain/bedrock-anthropic.claude-3-haiku-20240307-v1-0-aws-access-key-id');
    expect(secretRef).toBe('keychain/bedrock-anthropic.claude-3-haiku-20240307-v1-0-aws-secret-access-key');
    expect(readFileSync(running.gw.configPath!, 'utf8')).not.toContain(secretAccessKey);
    expect(secrets.get(secretRef.slice('keychain/'.length))).toBe(secretAccessKey);
    expect(secrets.get(keyRef.slice('keychain/'.length))).toBe(accessKeyId);

    const info = await request<ModelInfo>(running.gw.url, 'GET', '/model/info', MASTER);
    expect(info.status).toBe(200);
    const shown = info.json.data.find((m) => m.model_name === 'claude-form');
    expect(shown?.litellm_params).toMatchObject({ aws_access_key_id: keyRef, aws_secret_access_key: secretRef, aws_region_name: 'us-east-1' });
    expect(info.text).not.toContain(secretAccessKey);

    // The references resolve to the typed keys: the mock refuses a request whose SigV4 signature is not theirs.
    const answer = await sdk().chat.completions.create({ model: 'claude-form', messages: [{ role: 'user', content: 'hello form' }], max_tokens: 20 });
    expect(answer.choices[0]?.message.content).toBe('echo: hello form');
    const sent = framed.requests.at(-1);
    expect(sent?.status).toBe(200);
    expect(sent?.headers.authorization).toMatch(new RegExp(`^AWS4-HMAC-SHA256 Credential=${accessKeyId}/\\d{8}/us-east-1/bedrock/aws4_request`));

    // Editing shows the secret field empty, its current reference in the hint.
    await page
      .getByRole('row', { name: /claude-form/ })
      .getByRole('button', { name: 'Edit' })
      .click();
    const edit = page.getByRole('dialog', { name: 'Edit model' });
    const secretField = edit.getByLabel('AWS secret access key', { exact: true });
    expect(await secretField.inputValue()).toBe('');
    expect(await edit.getByLabel('AWS region', { exact: true }).inputValue()).toBe('us-east-1');
    expect(await edit.getByText(`Leave empty to keep the current value (${secretRef})`).count()).toBe(1);
    expect(await everythingShown(page)).not.toContain(secretAccessKey);
    await edit.getByRole('button', { name: 'Cancel' }).click();
  }, 60_000);

  it('Vertex AI: pasted service-account JSON goes to the secret store (keychain/ in config.yaml), a key file path stays as written; both answer', async () => {
    const keyJson = JSON.stringify(account.keyFile, null, 2);
    const keyFile = join(files, 'service-account.json');
    writeFileSync(keyFile, keyJson);
    const page = await signedIn();

    const pasted = await addModel(
      page,
      'vertex_ai',
      {
        'Model name': 'gemini-pasted',
        'Upstream model': 'gemini-2.0-flash',
        'API base': `${running.mock.url}${GOOGLE}/gemini-2.0-flash`,
        'Google Cloud project': 'mock-project',
        'Service account key': keyJson,
      },
      'models-add-vertex-fields',
    );
    await pasted.waitFor({ state: 'detached' });
    const fromFile = await addModel(page, 'vertex_ai', {
      'Model name': 'gemini-file',
      'Upstream model': 'gemini-2.0-flash',
      'API base': `${running.mock.url}${GOOGLE}/gemini-2.0-flash`,
      'Service account key': keyFile,
    });
    await fromFile.waitFor({ state: 'detached' });
    await page.getByRole('row', { name: /gemini-file/ }).waitFor();

    const credentialsRef = String(entry('gemini-pasted')?.litellm_params.vertex_credentials);
    expect(credentialsRef).toBe('keychain/vertex-ai-gemini-2.0-flash-vertex-credentials');
    expect(secrets.get(credentialsRef.slice('keychain/'.length))).toBe(keyJson);
    expect(entry('gemini-pasted')?.litellm_params.vertex_project).toBe('mock-project');
    expect(entry('gemini-file')?.litellm_params.vertex_credentials).toBe(keyFile);
    const text = readFileSync(running.gw.configPath!, 'utf8');
    expect(text).not.toContain(String(account.keyFile.private_key).split('\n')[1]);
    expect(text).not.toContain('PRIVATE KEY');

    const info = await request<ModelInfo>(running.gw.url, 'GET', '/model/info', MASTER);
    const byName = (name: string) => info.json.data.find((m) => m.model_name === name)?.litellm_params;
    expect(byName('gemini-pasted')?.vertex_credentials).toBe(credentialsRef);
    expect(byName('gemini-file')?.vertex_credentials).toBe(keyFile);
    expect(info.text).not.toContain('PRIVATE KEY');

    // Each answers with a token the mock issued for this service account (it verified the JWT's signature).
    for (const model of ['gemini-pasted', 'gemini-file']) {
      const grantsBefore = vertexTokenGrants.filter((g) => g.subject === account.clientEmail).length;
      const answer = await sdk().chat.completions.create({ model, messages: [{ role: 'user', content: `hello ${model}` }] });
      expect(answer.choices[0]?.message.content).toBe(`echo: hello ${model}`);
      const sent = running.mock.requests.filter((r) => r.path === `${GOOGLE}/gemini-2.0-flash:generateContent`).at(-1);
      const grants = vertexTokenGrants.filter((g) => g.subject === account.clientEmail);
      expect(grants.length).toBeGreaterThanOrEqual(Math.max(1, grantsBefore));
      expect(sent?.headers.authorization).toBe(`Bearer ${grants.at(-1)?.token}`);
    }
    expect(await everythingShown(page)).not.toContain('PRIVATE KEY');
  }, 60_000);
});
