import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it, vi } from 'vitest';
import { ALL_CHANNELS, createBridge, handleIpc, IPC_CHANNELS, IpcError, type IpcChannel, type IpcDeps, type RendererSettings } from './ipc-contract.ts';

const here = dirname(fileURLToPath(import.meta.url));
const ORIGIN = 'http://127.0.0.1:4000';
const DASHBOARD = `${ORIGIN}/ui/`;
const MASTER_KEY = 'sk-master-7f3a9c1d2e4b5a6f';
const PROVIDER_SECRET = 'sk-proj-provider-secret-value';

function deps(overrides: Partial<IpcDeps> = {}): IpcDeps & { opened: string[]; revealed: number; patches: Partial<RendererSettings>[] } {
  let settings = { startAtLogin: false, startProxyOnOpen: true };
  const state = { opened: [] as string[], revealed: 0, patches: [] as Partial<RendererSettings>[] };
  return Object.assign(state, {
    gatewayOrigin: () => ORIGIN,
    adminToken: async () => MASTER_KEY,
    appVersion: () => '0.1.0',
    openExternal: async (url: string) => void state.opened.push(url),
    // Main's full settings object carries more than the renderer may see (and, here, a planted secret).
    getSettings: () => ({ ...settings, port: 4000, firstRunDone: true, leaked: PROVIDER_SECRET }) as unknown as RendererSettings,
    setSettings: async (patch: Partial<RendererSettings>) => {
      state.patches.push(patch);
      settings = { ...settings, ...patch };
      return { ...settings, port: 4000, secret: PROVIDER_SECRET } as unknown as RendererSettings;
    },
    revealLogsFolder: async () => void state.revealed++,
    ...overrides,
  });
}

const noPayload: Record<IpcChannel, unknown> = {
  [IPC_CHANNELS.adminToken]: undefined,
  [IPC_CHANNELS.appVersion]: undefined,
  [IPC_CHANNELS.openExternal]: { url: 'https://docs.continue.dev/' },
  [IPC_CHANNELS.getDesktopSettings]: undefined,
  [IPC_CHANNELS.setDesktopSettings]: { startAtLogin: true },
  [IPC_CHANNELS.revealLogsFolder]: undefined,
};

describe('ipc contract', () => {
  it('answers each channel for the dashboard', async () => {
    const d = deps();
    expect(await handleIpc(IPC_CHANNELS.adminToken, DASHBOARD, undefined, d)).toBe(MASTER_KEY);
    expect(await handleIpc(IPC_CHANNELS.appVersion, `${ORIGIN}/ui/keys`, undefined, d)).toBe('0.1.0');
    expect(await handleIpc(IPC_CHANNELS.getDesktopSettings, DASHBOARD, undefined, d)).toEqual({ startAtLogin: false, startProxyOnOpen: true });
    expect(await handleIpc(IPC_CHANNELS.setDesktopSettings, DASHBOARD, { startAtLogin: true }, d)).toEqual({ startAtLogin: true, startProxyOnOpen: true });
    expect(d.patches).toEqual([{ startAtLogin: true }]);
    await handleIpc(IPC_CHANNELS.openExternal, DASHBOARD, { url: 'https://docs.continue.dev/' }, d);
    expect(d.opened).toEqual(['https://docs.continue.dev/']);
    await handleIpc(IPC_CHANNELS.revealLogsFolder, DASHBOARD, undefined, d);
    expect(d.revealed).toBe(1);
  });

  it('refuses every channel to a sender that is not the running gateway’s /ui/', async () => {
    const senders = [
      undefined,
      '',
      'data:text/html,hi',
      'https://evil.example/ui/',
      `${ORIGIN}/admin/overview`,
      'http://127.0.0.1:4001/ui/',
      'http://localhost:4000/ui/',
      'file:///ui/index.html',
    ];
    for (const channel of ALL_CHANNELS) {
      for (const sender of senders) {
        const d = deps();
        await expect(handleIpc(channel, sender, noPayload[channel], d), `${channel} from ${sender}`).rejects.toMatchObject({ code: 'forbidden-sender' });
        expect(d.opened).toEqual([]);
        expect(d.patches).toEqual([]);
      }
    }
    // The gateway stopped: even its former dashboard URL gets nothing.
    await expect(handleIpc(IPC_CHANNELS.adminToken, DASHBOARD, undefined, deps({ gatewayOrigin: () => undefined }))).rejects.toMatchObject({
      code: 'forbidden-sender',
    });
  });

  it('validates payloads', async () => {
    const d = deps();
    await expect(handleIpc('llm-gateway:eval', DASHBOARD, 'x', d)).rejects.toMatchObject({ code: 'unknown-channel' });
    await expect(handleIpc('__proto__', DASHBOARD, undefined, d)).rejects.toMatchObject({ code: 'unknown-channel' });
    await expect(handleIpc(IPC_CHANNELS.appVersion, DASHBOARD, { sneaky: true }, d)).rejects.toMatchObject({ code: 'bad-request' });
    await expect(handleIpc(IPC_CHANNELS.openExternal, DASHBOARD, 'https://docs.continue.dev/', d)).rejects.toMatchObject({ code: 'bad-request' });
    await expect(handleIpc(IPC_CHANNELS.openExternal, DASHBOARD, { url: 'https://docs.continue.dev/', extra: 1 }, d)).rejects.toMatchObject({
      code: 'bad-request',
    });
    await expect(handleIpc(IPC_CHANNELS.openExternal, DASHBOARD, { url: 'https://evil.example/' }, d)).rejects.toMatchObject({ code: 'not-allowed' });
    await expect(handleIpc(IPC_CHANNELS.openExternal, DASHBOARD, { url: 'file:///etc/passwd' }, d)).rejects.toMatchObject({ code: 'not-allowed' });
    await expect(handleIpc(IPC_CHANNELS.setDesktopSettings, DASHBOARD, { port: 80 }, d)).rejects.toMatchObject({ code: 'bad-request' });
    await expect(handleIpc(IPC_CHANNELS.setDesktopSettings, DASHBOARD, { startAtLogin: 'yes' }, d)).rejects.toMatchObject({ code: 'bad-request' });
    await expect(handleIpc(IPC_CHANNELS.setDesktopSettings, DASHBOARD, null, d)).rejects.toMatchObject({ code: 'bad-request' });
    await expect(handleIpc(IPC_CHANNELS.setDesktopSettings, DASHBOARD, [true], d)).rejects.toMatchObject({ code: 'bad-request' });
    expect(d.opened).toEqual([]);
    expect(d.patches).toEqual([]);
  });

  it('says so when there is no master key to hand over', async () => {
    await expect(handleIpc(IPC_CHANNELS.adminToken, DASHBOARD, undefined, deps({ adminToken: async () => undefined }))).rejects.toBeInstanceOf(IpcError);
  });

  it('never returns a secret from any channel but admin-token', async () => {
    for (const channel of ALL_CHANNELS) {
      if (channel === IPC_CHANNELS.adminToken) continue;
      const result = await handleIpc(channel, DASHBOARD, noPayload[channel], deps());
      const text = JSON.stringify(result ?? null);
      expect(text, channel).not.toContain(MASTER_KEY);
      expect(text, channel).not.toContain(PROVIDER_SECRET);
      expect(text, channel).not.toMatch(/sk-/);
    }
    // Settings answers carry exactly the two renderer booleans, whatever main's object holds.
    expect(Object.keys(await handleIpc(IPC_CHANNELS.getDesktopSettings, DASHBOARD, undefined, deps())).sort()).toEqual(['startAtLogin', 'startProxyOnOpen']);
    expect(Object.keys(await handleIpc(IPC_CHANNELS.setDesktopSettings, DASHBOARD, {}, deps())).sort()).toEqual(['startAtLogin', 'startProxyOnOpen']);
  });

  it('the bridge exposes exactly the DesktopBridge methods, each on its channel', async () => {
    const invoke = vi.fn(async (channel: string, request: unknown) => ({ channel, request }));
    const bridge = createBridge(invoke as never);
    expect(Object.keys(bridge).sort()).toEqual(['adminToken', 'appVersion', 'getDesktopSettings', 'openExternal', 'revealLogsFolder', 'setDesktopSettings']);
    await bridge.adminToken();
    await bridge.appVersion();
    await bridge.openExternal('https://docs.continue.dev/');
    await bridge.getDesktopSettings();
    await bridge.setDesktopSettings({ startProxyOnOpen: false });
    await bridge.revealLogsFolder();
    expect(invoke.mock.calls).toEqual([
      [IPC_CHANNELS.adminToken, undefined],
      [IPC_CHANNELS.appVersion, undefined],
      [IPC_CHANNELS.openExternal, { url: 'https://docs.continue.dev/' }],
      [IPC_CHANNELS.getDesktopSettings, undefined],
      [IPC_CHANNELS.setDesktopSettings, { startProxyOnOpen: false }],
      [IPC_CHANNELS.revealLogsFolder, undefined],
    ]);
    expect(new Set(invoke.mock.calls.map(([c]) => c))).toEqual(new Set(ALL_CHANNELS));
  });

  it("the preload's bridge type is the renderer's DesktopBridge (type-checked with the DOM lib, as the renderer is)", () => {
    const checkFile = join(here, '__bridge-shape-check.ts');
    const source = `
import type { DesktopBridge as RendererBridge } from '../renderer/src/desktop-bridge.ts';
import type { DesktopBridge as PreloadBridge } from './ipc-contract.ts';
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
export const sameKeys: Equal<keyof RendererBridge, keyof PreloadBridge> = true;
export const toRenderer: RendererBridge = null as unknown as PreloadBridge;
export const toPreload: PreloadBridge = null as unknown as RendererBridge;
export const sameResults: Equal<{ [K in keyof RendererBridge]: Awaited<ReturnType<RendererBridge[K]>> }, { [K in keyof PreloadBridge]: Awaited<ReturnType<PreloadBridge[K]>> }> = true;
export const sameParameters: Equal<{ [K in keyof RendererBridge]: Parameters<RendererBridge[K]> }, { [K in keyof PreloadBridge]: Parameters<PreloadBridge[K]> }> = true;
`;
    const options: ts.CompilerOptions = {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      lib: ['lib.es2023.d.ts', 'lib.dom.d.ts'],
      strict: true,
      noEmit: true,
      allowImportingTsExtensions: true,
      skipLibCheck: true,
      types: [],
    };
    const host = ts.createCompilerHost(options);
    const getSourceFile = host.getSourceFile.bind(host);
    host.getSourceFile = (name, language, ...rest) =>
      name === checkFile ? ts.createSourceFile(name, source, language) : getSourceFile(name, language, ...rest);
    const fileExists = host.fileExists.bind(host);
    host.fileExists = (name) => name === checkFile || fileExists(name);
    const program = ts.createProgram([checkFile], options, host);
    const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(diagnostics).toEqual([]);
  });
});
