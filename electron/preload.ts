/**
 * The preload of the dashboard window (sandboxed, context-isolated): exposes `window.llmGateway`, the
 * DesktopBridge of renderer/src/desktop-bridge.ts, and nothing else — no ipcRenderer, no Node. Every method
 * is one ipcRenderer.invoke on a channel of the contract (ipc-contract.ts); main checks the sender of each.
 *
 * Bundled by scripts/build.mjs into dist/electron/preload.cjs (a sandboxed preload must be one
 * CommonJS file that requires nothing but 'electron').
 */
import { contextBridge, ipcRenderer } from 'electron';
import { createBridge, type IpcChannel, type IpcRequest, type IpcResponse } from './ipc-contract.ts';

const invoke = <C extends IpcChannel>(channel: C, request: IpcRequest<C>): Promise<IpcResponse<C>> =>
  ipcRenderer.invoke(channel, request) as Promise<IpcResponse<C>>;

contextBridge.exposeInMainWorld('llmGateway', createBridge(invoke));
