/**
 * The tray menu as data: state in, a list of items out (id, label, type, enabled, checked). main.ts rebuilds
 * Electron's Menu from it on every state change and maps each id to its action. Pure, so every state's menu is
 * unit-tested.
 */
import { describeConflict } from './port-policy.ts';
import { isActive, type ProxyMachine } from './proxy-lifecycle.ts';

export type TrayItemId =
  | 'status'
  | 'status-detail'
  | 'weaker-protection'
  | 'start-proxy'
  | 'stop-proxy'
  | 'stop-stale'
  | 'retry'
  | 'choose-port'
  | 'open-dashboard'
  | 'copy-base-url'
  | 'export-config'
  | 'open-logs'
  | 'start-at-login'
  | 'start-proxy-on-open'
  | 'quit';

export type TrayItem =
  | { type: 'separator' }
  | { type: 'normal'; id: TrayItemId; label: string; enabled: boolean }
  | { type: 'checkbox'; id: TrayItemId; label: string; enabled: boolean; checked: boolean };

export interface TrayInput {
  proxy: ProxyMachine;
  /** The port clients are configured for (desktop settings). */
  port: number;
  settings: { startAtLogin: boolean; startProxyOnOpen: boolean };
  /** From the running gateway's status; undefined before its first answer. */
  secretStore?: { kind: 'keychain' | 'file' | 'memory'; weakerProtection: boolean };
  /** Now, for the "restarting in N s" countdown. */
  now: number;
}

export interface TrayModel {
  tooltip: string;
  items: TrayItem[];
}

/** The URL people configure in their clients: localhost, as in the docs and the status line. */
export function baseUrl(port: number): string {
  return `http://localhost:${port}`;
}

function truncate(text: string, max = 80): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length <= max ? oneLine : `${oneLine.slice(0, max - 1)}…`;
}

/** The first line of the menu (also the tooltip): what the gateway is doing right now. */
export function statusLine(input: Pick<TrayInput, 'proxy' | 'port' | 'now'>): { line: string; detail?: string } {
  const { state } = input.proxy;
  switch (state.status) {
    case 'stopped':
      return { line: 'Stopped' };
    case 'starting':
      return { line: `Starting on port ${state.port}…` };
    case 'running':
      return { line: `Running on ${baseUrl(state.port)}` };
    case 'stopping':
      return { line: 'Stopping…' };
    case 'restarting': {
      const seconds = Math.max(0, Math.ceil((state.retryAt - input.now) / 1000));
      return { line: `Gateway crashed — restarting in ${seconds} s`, detail: `Attempt ${state.attempt}: ${state.reason}` };
    }
    case 'port-conflict': {
      const { title, detail } = describeConflict({ port: state.port, owner: state.owner });
      return { line: title, detail: truncate(detail, 90) };
    }
    case 'failed':
      return { line: 'Could not start the gateway', detail: truncate(state.message) };
  }
}

export function trayMenu(input: TrayInput): TrayModel {
  const { state } = input.proxy;
  const status = statusLine(input);
  const running = state.status === 'running';
  const items: TrayItem[] = [{ type: 'normal', id: 'status', label: status.line, enabled: false }];
  if (status.detail) items.push({ type: 'normal', id: 'status-detail', label: status.detail, enabled: false });
  if (input.secretStore?.weakerProtection) {
    items.push({ type: 'normal', id: 'weaker-protection', label: '⚠ No OS keychain: secrets are in an encrypted file (weaker protection)', enabled: false });
  } else if (input.secretStore?.kind === 'memory') {
    items.push({ type: 'normal', id: 'weaker-protection', label: '⚠ No OS keychain: secrets are kept in memory only', enabled: false });
  }
  items.push({ type: 'separator' });

  if (state.status === 'port-conflict') {
    if (state.owner === 'ours-stale')
      items.push({ type: 'normal', id: 'stop-stale', label: `Stop the earlier LLM Gateway on port ${state.port}`, enabled: true });
    items.push({ type: 'normal', id: 'retry', label: 'Retry', enabled: true });
    items.push({ type: 'normal', id: 'choose-port', label: 'Choose port…', enabled: true });
  } else if (state.status === 'failed') {
    items.push({ type: 'normal', id: 'retry', label: 'Retry', enabled: true });
    items.push({ type: 'normal', id: 'open-logs', label: 'Open logs folder', enabled: true });
  }
  if (isActive(state)) items.push({ type: 'normal', id: 'stop-proxy', label: 'Stop proxy', enabled: true });
  else if (state.status !== 'port-conflict' && state.status !== 'failed')
    items.push({ type: 'normal', id: 'start-proxy', label: 'Start proxy', enabled: state.status === 'stopped' });

  items.push(
    { type: 'normal', id: 'open-dashboard', label: 'Open dashboard', enabled: running || state.status === 'port-conflict' || state.status === 'failed' },
    { type: 'normal', id: 'copy-base-url', label: `Copy base URL (${baseUrl(running ? state.port : input.port)})`, enabled: true },
    { type: 'normal', id: 'export-config', label: 'Export config.yaml…', enabled: running },
  );
  if (state.status !== 'failed') items.push({ type: 'normal', id: 'open-logs', label: 'Open logs folder', enabled: true });
  items.push(
    { type: 'separator' },
    { type: 'checkbox', id: 'start-at-login', label: 'Start at login', enabled: true, checked: input.settings.startAtLogin },
    { type: 'checkbox', id: 'start-proxy-on-open', label: 'Start proxy when the app opens', enabled: true, checked: input.settings.startProxyOnOpen },
    { type: 'separator' },
    { type: 'normal', id: 'quit', label: 'Quit', enabled: true },
  );
  const tooltip = `LLM Gateway — ${status.line}${input.secretStore?.weakerProtection ? ' (secrets: weaker protection)' : ''}`;
  return { tooltip, items };
}
