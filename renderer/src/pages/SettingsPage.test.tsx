// @vitest-environment jsdom
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useSession } from '../api/context.tsx';
import type { ConfigImportResult } from '../api/types.ts';
import type { DesktopBridge } from '../desktop-bridge.ts';
import { fakeGateway, findToast, gatewaySettings, jsonResponse, renderPage, type FakeRequest } from '../test-utils.tsx';
import { SettingsPage } from './SettingsPage.tsx';

const settings = gatewaySettings();

/** Shows which key the session holds, to see the dashboard switch to the rotated one. */
function TokenProbe() {
  return <output aria-label="session key">{useSession().token}</output>;
}

const blobText = (blob: Blob) =>
  new Promise<string>((resolve) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.readAsText(blob);
  });

/** A section's (or dialog's) definition list: each <dt> → the text of the <dd> after it. */
const definitions = (root: HTMLElement) =>
  Object.fromEntries([...root.querySelectorAll('dl dt')].map((dt) => [dt.textContent, dt.nextElementSibling?.textContent]));
const section = (name: string) => screen.getByRole('region', { name });

const yamlFile = (text: string, name = 'config.yaml') => new File([text], name, { type: 'application/yaml' });

describe('SettingsPage', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
    delete window.llmGateway;
  });

  it('shows where the gateway listens, its files, the secret store and the price table', async () => {
    fakeGateway({
      'GET /admin/settings': {
        ...settings,
        secret_store: { kind: 'file', weaker_protection: true, description: 'An AES-256-GCM file in the data directory.' },
      },
      'GET /admin/prices': {
        source: 'bundled',
        models: 1234,
        entries: 1240,
        updated_at: null,
        from: '/app/resources/prices.json',
        default_url: 'https://example.com/prices.json',
        updatable: true,
        persistent: true,
        min_models: 617,
        unpriced_deployments: [],
      },
    });
    renderPage(<SettingsPage />);
    await screen.findByText('127.0.0.1');
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Settings');
    expect(definitions(section('Gateway'))).toMatchObject({
      Host: '127.0.0.1',
      Port: '4000',
      Version: '0.1.0',
      'Data directory': '/home/me/.llm-gateway',
      'Config file': '/home/me/.llm-gateway/config.yaml',
    });
    expect(definitions(section('Master key'))).toEqual({
      Key: 'sk-…a1b2',
      'Kept in': 'the secret store: the encrypted secrets file (config.yaml refers to it)',
    });
    expect(definitions(section('Secret store'))).toEqual({ Kind: 'Encrypted file' });
    expect(screen.getByRole('note').textContent).toContain('Weaker protection');
    await waitFor(() =>
      expect(definitions(section('Price table'))).toEqual({ Source: 'Bundled', 'Models priced': '1,234', Updated: '—', From: '/app/resources/prices.json' }),
    );
    // No desktop bridge in a browser: no Desktop section.
    expect(screen.queryByRole('heading', { name: 'Desktop' })).toBeNull();
  });

  it('rotates the master key: shows the new key once and signs in with it', async () => {
    const user = userEvent.setup();
    const gateway = fakeGateway({
      'GET /admin/settings': settings,
      'POST /admin/master-key/rotate': { master_key: 'sk-new-master-key-9999', masked: 'sk-…9999' },
    });
    renderPage(
      <>
        <SettingsPage />
        <TokenProbe />
      </>,
    );
    await userEvent.click(await screen.findByRole('button', { name: 'Rotate master key' }));
    const dialog = screen.getByRole('dialog', { name: 'Rotate master key' });
    expect(dialog.textContent).toContain('must be updated');
    expect(gateway.callsTo('POST', '/admin/master-key/rotate')).toHaveLength(0);
    await userEvent.click(within(dialog).getByRole('button', { name: 'Rotate' }));

    const field = await within(dialog).findByLabelText('New master key');
    expect((field as HTMLInputElement).value).toBe('sk-new-master-key-9999');
    expect((field as HTMLInputElement).readOnly).toBe(true);
    await user.click(within(dialog).getByRole('button', { name: 'Copy' }));
    expect(await navigator.clipboard.readText()).toBe('sk-new-master-key-9999');
    expect(gateway.callsTo('POST', '/admin/master-key/rotate')[0]!.headers.authorization).toBe('Bearer sk-test-master');
    expect(screen.getByLabelText('session key').textContent).toBe('sk-new-master-key-9999');
    expect(definitions(section('Master key')).Key).toBe('sk-…9999');

    // Once closed, the key is gone from the page.
    await userEvent.click(within(dialog).getByRole('button', { name: 'Done' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(screen.queryByDisplayValue('sk-new-master-key-9999')).toBeNull();

    // The next call already carries the new key.
    await userEvent.click(screen.getByRole('button', { name: 'Rotate master key' }));
    await userEvent.click(within(screen.getByRole('dialog', { name: 'Rotate master key' })).getByRole('button', { name: 'Rotate' }));
    await waitFor(() => expect(gateway.callsTo('POST', '/admin/master-key/rotate')).toHaveLength(2));
    expect(gateway.callsTo('POST', '/admin/master-key/rotate')[1]!.headers.authorization).toBe('Bearer sk-new-master-key-9999');
  });

  it('shows why a rotation failed and keeps the old key', async () => {
    fakeGateway({
      'GET /admin/settings': settings,
      'POST /admin/master-key/rotate': () => jsonResponse(500, { error: { message: 'Keychain is locked' } }),
    });
    renderPage(
      <>
        <SettingsPage />
        <TokenProbe />
      </>,
    );
    await userEvent.click(await screen.findByRole('button', { name: 'Rotate master key' }));
    const dialog = screen.getByRole('dialog', { name: 'Rotate master key' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Rotate' }));
    expect((await within(dialog).findByRole('alert')).textContent).toBe('Keychain is locked (HTTP 500)');
    expect(within(dialog).queryByLabelText('New master key')).toBeNull();
    expect(screen.getByLabelText('session key').textContent).toBe('sk-test-master');
  });

  it('exports config.yaml as a download of the text the gateway sent', async () => {
    const exported = 'model_list:\n  - model_name: gpt-4o\n    litellm_params:\n      api_key: keychain/OPENAI\n';
    const gateway = fakeGateway({
      'GET /admin/settings': settings,
      'GET /admin/config/export': () => new Response(exported, { headers: { 'content-type': 'text/yaml' } }),
    });
    const blobs: Blob[] = [];
    URL.createObjectURL = vi.fn((blob: Blob) => {
      blobs.push(blob);
      return 'blob:config';
    });
    URL.revokeObjectURL = vi.fn();
    const clicked: HTMLAnchorElement[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this);
    });
    renderPage(<SettingsPage />);
    await userEvent.click(await screen.findByRole('button', { name: 'Export config.yaml' }));
    await waitFor(() => expect(clicked).toHaveLength(1));
    expect(clicked[0]!.download).toBe('config.yaml');
    expect(clicked[0]!.href).toBe('blob:config');
    expect(await blobText(blobs[0]!)).toBe(exported);
    expect(gateway.callsTo('GET', '/admin/config/export')[0]!.headers.authorization).toBe('Bearer sk-test-master');
    expect(await findToast('config.yaml downloaded')).toBe('success');
  });

  it('imports config.yaml: a dry run shows the changes and the diff, Apply sends apply:true', async () => {
    const dryRun: ConfigImportResult = {
      valid: true,
      applied: false,
      diff: '--- config.yaml\n+++ imported\n@@ -1,2 +1,3 @@\n model_list:\n-  - model_name: old\n+  - model_name: gpt-4o\n+  - model_name: claude\n',
      changes: { models_added: ['gpt-4o', 'claude'], models_removed: ['old'], models_changed: [], settings_changed: ['router_settings.num_retries'] },
    };
    const gateway = fakeGateway({
      'GET /admin/settings': settings,
      'POST /admin/config/import': (request: FakeRequest) => ((request.body as { apply?: boolean }).apply ? { ...dryRun, applied: true } : dryRun),
    });
    renderPage(<SettingsPage />);
    const input = await screen.findByLabelText('Import config.yaml');
    expect(input.getAttribute('accept')).toBe('.yaml,.yml');
    await userEvent.upload(input, yamlFile('model_list:\n  - model_name: gpt-4o\n'));

    const dialog = await screen.findByRole('dialog', { name: 'Import config.yaml' });
    await within(dialog).findByRole('button', { name: 'Apply' });
    expect(gateway.callsTo('POST', '/admin/config/import')[0]!.body).toEqual({ yaml: 'model_list:\n  - model_name: gpt-4o\n', apply: false });
    // Only the kinds of change there are (nothing under "Models changed").
    expect(definitions(dialog)).toEqual({ 'Models added': 'gpt-4o, claude', 'Models removed': 'old', 'Settings changed': 'router_settings.num_retries' });
    const diff = within(dialog).getByLabelText('Changes to config.yaml');
    const lineClass = (text: string) => [...diff.querySelectorAll('span')].find((span) => span.textContent === `${text}\n`)?.className;
    expect(lineClass('+  - model_name: claude')).toBe('diff-add');
    expect(lineClass('-  - model_name: old')).toBe('diff-del');
    expect(lineClass('@@ -1,2 +1,3 @@')).toBe('diff-hunk');
    expect(lineClass(' model_list:')).toBe('');

    await userEvent.click(within(dialog).getByRole('button', { name: 'Apply' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(gateway.callsTo('POST', '/admin/config/import')[1]!.body).toEqual({ yaml: 'model_list:\n  - model_name: gpt-4o\n', apply: true });
    expect(await findToast('Config imported')).toBe('success');
    // Every query is refreshed: the settings are asked for again.
    await waitFor(() => expect(gateway.callsTo('GET', '/admin/settings').length).toBeGreaterThanOrEqual(2));
  });

  it('shows why an import was rejected, with its issues, and offers no Apply', async () => {
    fakeGateway({
      'GET /admin/settings': settings,
      'POST /admin/config/import': () =>
        jsonResponse(400, {
          error: {
            message: 'config.yaml is not valid: 2 problems.',
            type: 'invalid_request_error',
            issues: [
              { path: 'model_list[0].litellm_params.model', message: 'is required', line: 3 },
              { path: 'router_settings.num_retries', message: 'must be a whole number' },
            ],
          },
        }),
    });
    renderPage(<SettingsPage />);
    await userEvent.upload(await screen.findByLabelText('Import config.yaml'), yamlFile('model_list:\n  - model_name: x\n', 'broken.yml'));
    const dialog = await screen.findByRole('dialog', { name: 'Import config.yaml' });
    const alert = await within(dialog).findByRole('alert');
    expect(alert.textContent).toContain('config.yaml is not valid: 2 problems. (HTTP 400)');
    const issues = within(alert)
      .getAllByRole('listitem')
      .map((li) => li.textContent);
    expect(issues).toEqual(['model_list[0].litellm_params.model (line 3): is required', 'router_settings.num_retries: must be a whole number']);
    expect(within(dialog).queryByRole('button', { name: 'Apply' })).toBeNull();
    await userEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('shows the Desktop section when the desktop bridge is there', async () => {
    const setDesktopSettings = vi.fn(async (change: object) => ({ startAtLogin: true, startProxyOnOpen: true, ...change }));
    const revealLogsFolder = vi.fn(async () => {});
    window.llmGateway = {
      adminToken: async () => 'sk-test-master',
      appVersion: async () => '0.1.0',
      openExternal: async () => {},
      getDesktopSettings: async () => ({ startAtLogin: false, startProxyOnOpen: true }),
      setDesktopSettings,
      revealLogsFolder,
    } satisfies DesktopBridge;
    fakeGateway({ 'GET /admin/settings': settings });
    renderPage(<SettingsPage />);
    const atLogin = (await screen.findByLabelText('Start at login')) as HTMLInputElement;
    expect(atLogin.checked).toBe(false);
    expect((screen.getByLabelText('Start proxy when the app opens') as HTMLInputElement).checked).toBe(true);
    await userEvent.click(atLogin);
    expect(setDesktopSettings).toHaveBeenCalledWith({ startAtLogin: true });
    await waitFor(() => expect(atLogin.checked).toBe(true));
    await userEvent.click(screen.getByRole('button', { name: 'Open logs folder' }));
    expect(revealLogsFolder).toHaveBeenCalled();
  });
});
