/**
 * The one contract between the dashboard window (through the preload) and main: every channel with its request
 * and response type, and `handleIpc`, the pure handler main's ipcMain.handle calls for each of them.
 *
 * Rules, enforced here for every channel:
 * - the sender must be the dashboard served by the running gateway (same origin, path under /ui/) — a page
 *   that navigated elsewhere, a status page, or a frame from another origin gets nothing;
 * - payloads are validated (unknown keys and wrong types are refused);
 * - only `admin-token` returns a secret (the master key, so a desktop user never types it); nothing else does.
 *
 * Plain module (no `electron` import): the preload imports the channel names from here, main the handler.
 */
import { isAllowedExternalLink, isDashboardUrl } from './window-policy.ts';
// No Node import here or in what this imports: the sandboxed preload bundles this module.

export const IPC_CHANNELS = {
  adminToken: 'llm-gateway:admin-token',
  appVersion: 'llm-gateway:app-version',
  openExternal: 'llm-gateway:open-external',
  getDesktopSettings: 'llm-gateway:get-desktop-settings',
  setDesktopSettings: 'llm-gateway:set-desktop-settings',
  revealLogsFolder: 'llm-gateway:reveal-logs-folder',
} as const;

/** The desktop settings the dashboard may read and change (the rest of desktop-settings.json stays in main). */
export interface RendererSettings {
  startAtLogin: boolean;
  startProxyOnOpen: boolean;
}

/** A change the dashboard sends: only those booleans, strictly typed; anything else is refused. */
export function validateRendererPatch(input: unknown): Partial<RendererSettings> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new IpcError('bad-request', 'Desktop settings must be an object.');
  const patch: Partial<RendererSettings> = {};
  for (const [key, value] of Object.entries(input)) {
    if (key !== 'startAtLogin' && key !== 'startProxyOnOpen') throw new IpcError('bad-request', `Unknown desktop setting \`${key}\`.`);
    if (typeof value !== 'boolean') throw new IpcError('bad-request', `Desktop setting \`${key}\` must be true or false.`);
    patch[key] = value;
  }
  return patch;
}

/** Channel → request and response. */
export interface IpcContract {
  [IPC_CHANNELS.adminToken]: { request: undefined; response: string };
  [IPC_CHANNELS.appVersion]: { request: undefined; response: string };
  [IPC_CHANNELS.openExternal]: { request: { url: string }; response: undefined };
  [IPC_CHANNELS.getDesktopSettings]: { request: undefined; response: RendererSettings };
  [IPC_CHANNELS.setDesktopSettings]: { request: Partial<RendererSettings>; response: RendererSettings };
  [IPC_CHANNELS.revealLogsFolder]: { request: undefined; response: undefined };
}

export type IpcChannel = keyof IpcContract;
export type IpcRequest<C extends IpcChannel> = IpcContract[C]['request'];
export type IpcResponse<C extends IpcChannel> = IpcContract[C]['response'];

export const ALL_CHANNELS: readonly IpcChannel[] = Object.values(IPC_CHANNELS);

/**
 * What the preload exposes as `window.llmGateway` — the same shape as renderer/src/desktop-bridge.ts's
 * DesktopBridge (a type test keeps them equal).
 */
export interface DesktopBridge {
  adminToken(): Promise<string>;
  appVersion(): Promise<string>;
  openExternal(url: string): Promise<void>;
  getDesktopSettings(): Promise<RendererSettings>;
  setDesktopSettings(settings: Partial<RendererSettings>): Promise<RendererSettings>;
  revealLogsFolder(): Promise<void>;
}

/** Builds the bridge over an `invoke` (ipcRenderer.invoke in the preload; a fake in tests). */
export function createBridge(invoke: <C extends IpcChannel>(channel: C, request: IpcRequest<C>) => Promise<IpcResponse<C>>): DesktopBridge {
  return {
    adminToken: () => invoke(IPC_CHANNELS.adminToken, undefined),
    appVersion: () => invoke(IPC_CHANNELS.appVersion, undefined),
    openExternal: (url: string) => invoke(IPC_CHANNELS.openExternal, { url }),
    getDesktopSettings: () => invoke(IPC_CHANNELS.getDesktopSettings, undefined),
    setDesktopSettings: (settings: Partial<RendererSettings>) => invoke(IPC_CHANNELS.setDesktopSettings, settings),
    revealLogsFolder: () => invoke(IPC_CHANNELS.revealLogsFolder, undefined),
  };
}

export type IpcErrorCode = 'forbidden-sender' | 'unknown-channel' | 'bad-request' | 'not-allowed' | 'unavailable';

export class IpcError extends Error {
  constructor(
    readonly code: IpcErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'IpcError';
  }
}

/** What the handlers need from main (injected, so this module never touches Electron). */
export interface IpcDeps {
  /** Origin of the running gateway whose /ui/ the window shows (undefined while it is not running). */
  gatewayOrigin(): string | undefined;
  /** The gateway's current master key (asked from the utility process each time: it follows rotation). */
  adminToken(): Promise<string | undefined>;
  appVersion(): string;
  openExternal(url: string): Promise<void>;
  getSettings(): RendererSettings;
  setSettings(patch: Partial<RendererSettings>): Promise<RendererSettings>;
  revealLogsFolder(): Promise<void>;
}

function noPayload(payload: unknown): void {
  if (payload !== undefined && payload !== null) throw new IpcError('bad-request', 'This call takes no arguments.');
}

const handlers: { [C in IpcChannel]: (payload: unknown, deps: IpcDeps) => Promise<IpcResponse<C>> } = {
  async [IPC_CHANNELS.adminToken](payload, deps) {
    noPayload(payload);
    const token = await deps.adminToken();
    if (!token) throw new IpcError('unavailable', 'The gateway has no master key yet (is it running?).');
    return token;
  },
  async [IPC_CHANNELS.appVersion](payload, deps) {
    noPayload(payload);
    return deps.appVersion();
  },
  async [IPC_CHANNELS.openExternal](payload, deps) {
    if (typeof payload !== 'object' || payload === null || Object.keys(payload).join() !== 'url')
      throw new IpcError('bad-request', 'openExternal takes { url }.');
    const { url } = payload as { url: unknown };
    if (!isAllowedExternalLink(url))
      throw new IpcError('not-allowed', 'Only https links to the documentation of supported clients and providers can be opened.');
    await deps.openExternal(url as string);
  },
  async [IPC_CHANNELS.getDesktopSettings](payload, deps) {
    noPayload(payload);
    const { startAtLogin, startProxyOnOpen } = deps.getSettings();
    return { startAtLogin, startProxyOnOpen };
  },
  async [IPC_CHANNELS.setDesktopSettings](payload, deps) {
    const patch = validateRendererPatch(payload);
    const { startAtLogin, startProxyOnOpen } = await deps.setSettings(patch);
    return { startAtLogin, startProxyOnOpen };
  },
  async [IPC_CHANNELS.revealLogsFolder](payload, deps) {
    noPayload(payload);
    await deps.revealLogsFolder();
  },
};

export function isIpcChannel(channel: string): channel is IpcChannel {
  return Object.hasOwn(handlers, channel);
}

/**
 * Handles one invoke from the window. `senderUrl` is the URL of the frame that sent it (event.senderFrame.url);
 * main also checks that the sender is its own window's main frame.
 */
export async function handleIpc<C extends IpcChannel>(channel: C, senderUrl: string | undefined, payload: unknown, deps: IpcDeps): Promise<IpcResponse<C>>;
export async function handleIpc(channel: string, senderUrl: string | undefined, payload: unknown, deps: IpcDeps): Promise<unknown>;
export async function handleIpc(channel: string, senderUrl: string | undefined, payload: unknown, deps: IpcDeps): Promise<unknown> {
  if (!isIpcChannel(channel)) throw new IpcError('unknown-channel', `Unknown channel ${JSON.stringify(channel)}.`);
  if (!isDashboardUrl(senderUrl, deps.gatewayOrigin()))
    throw new IpcError('forbidden-sender', 'Only the dashboard served by the running gateway may call the desktop app.');
  const handler = handlers[channel] as (payload: unknown, deps: IpcDeps) => Promise<unknown>;
  return handler(payload, deps);
}
