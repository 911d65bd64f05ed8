/**
 * The page the window shows while the dashboard cannot load (the gateway is starting, stopped, crashed, or its
 * port is taken): what happened and what to do — Retry, Choose port, Stop the earlier instance. It has no
 * script and no preload access (the IPC handlers refuse any sender that is not the gateway's /ui/): its buttons
 * are links to `llm-gateway-action://…`, which main intercepts in will-navigate (window-policy.parseWindowAction).
 */
import { describeConflict, MAX_PORT, MIN_PORT } from './port-policy.ts';
import type { ProxyMachine } from './proxy-lifecycle.ts';
import { baseUrl, statusLine } from './tray-menu.ts';
import { ACTION_SCHEME, dashboardUrl, STATUS_PAGE_CSP } from './window-policy.ts';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

export interface StatusPageInput {
  proxy: ProxyMachine;
  /** The port clients are configured for. */
  port: number;
  now: number;
  /** Show the "Choose port" form (opened from the tray or a button). */
  choosePort?: boolean;
  /** Why the last port typed was refused. */
  portError?: string;
}

const action = (name: string) => `${ACTION_SCHEME}//${name}`;

function button(name: string, label: string, primary = false): string {
  return `<a class="button${primary ? ' primary' : ''}" href="${escapeHtml(action(name))}">${escapeHtml(label)}</a>`;
}

export function statusPageHtml(input: StatusPageInput): string {
  const { state } = input.proxy;
  const status = statusLine(input);
  const { detail } = status;
  // No countdown on the page: it is rendered on state changes only, so it would go stale.
  const line = state.status === 'restarting' ? 'The gateway stopped unexpectedly — restarting' : status.line;
  let body = '';
  let buttons: string[] = [];
  switch (state.status) {
    case 'port-conflict': {
      const described = describeConflict({ port: state.port, owner: state.owner });
      body = `<p>${escapeHtml(described.detail)}</p><p>Your clients are configured for ${escapeHtml(baseUrl(state.port))}, so the app does not move to another port on its own.</p>`;
      if (state.owner === 'ours-stale') buttons.push(button('stop-stale', 'Stop the earlier instance', true));
      buttons.push(button('retry', 'Retry', state.owner !== 'ours-stale'), button('choose-port', 'Choose port…'));
      break;
    }
    case 'failed':
      body = `<p>${escapeHtml(state.message)}</p><p>Details are in the log file.</p>`;
      buttons = [button('retry', 'Retry', true), button('open-logs', 'Open logs folder')];
      break;
    case 'restarting':
      body = `<p>${escapeHtml(detail ?? '')}. The app restarts it automatically; this page switches to the dashboard when it is back.</p>`;
      buttons = [button('retry', 'Restart now', true), button('open-logs', 'Open logs folder')];
      break;
    case 'running':
      body = `<p>Clients reach the gateway at ${escapeHtml(baseUrl(state.port))}. Choosing another port restarts it there, and every client must then use the new port.</p>`;
      break;
    case 'stopped':
      body = '<p>The gateway is stopped. Start it to open the dashboard.</p>';
      buttons = [button('retry', 'Start proxy', true), button('choose-port', 'Choose port…')];
      break;
    default:
      body = '<p>One moment…</p>';
  }
  const form = input.choosePort
    ? `<form method="get" action="${escapeHtml(action('choose-port'))}">
  <label for="port">Port for the gateway (clients must use the same one)</label>
  <div class="row"><input id="port" name="port" inputmode="numeric" pattern="[0-9]*" required value="${escapeHtml(String(input.port))}" autofocus>
  <button type="submit" class="primary">Use this port</button></div>
  <p class="hint">From ${MIN_PORT} to ${MAX_PORT}. The app remembers it.</p>
  ${input.portError ? `<p class="error" role="alert">${escapeHtml(input.portError)}</p>` : ''}
</form>`
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(STATUS_PAGE_CSP)}">
<meta name="color-scheme" content="light dark">
<title>LLM Gateway</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1.5rem}
h1{font-size:1.3rem}.detail{opacity:.8}
.button,button{display:inline-block;margin:.25rem .5rem .25rem 0;padding:.45rem .9rem;border:1px solid #8886;border-radius:6px;color:inherit;text-decoration:none;background:none;font:inherit;cursor:pointer}
.primary{background:#4f46e5;border-color:#4f46e5;color:#fff}
.row{display:flex;gap:.5rem;margin:.4rem 0}input{font:inherit;padding:.4rem;width:8rem}
.hint{font-size:.85rem;opacity:.7}.error{color:#dc2626}
</style></head>
<body><main>
<h1>${escapeHtml(line)}</h1>
${body}
<p>${buttons.join(' ')}</p>
${form}
</main></body></html>`;
}

/** The page as a URL the window can load. */
export function statusPageUrl(html: string): string {
  return `data:text/html;charset=utf-8,${encodeURIComponent(html)}`;
}

export type WindowContent = { kind: 'dashboard'; url: string } | { kind: 'status'; html: string };

/** What the window shows: the dashboard while the gateway runs (unless the port form is open), else this page. */
export function windowContent(input: StatusPageInput, dashboardQuery: Readonly<Record<string, string>> = {}): WindowContent {
  const { state } = input.proxy;
  if (state.status === 'running' && !input.choosePort) return { kind: 'dashboard', url: dashboardUrl(state.url, dashboardQuery) };
  return { kind: 'status', html: statusPageHtml(input) };
}
