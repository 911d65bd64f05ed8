import { describe, expect, it } from 'vitest';
import { initialMachine, type ProxyState } from './proxy-lifecycle.ts';
import { escapeHtml, statusPageHtml, statusPageUrl, windowContent } from './status-page.ts';
import { parseWindowAction, STATUS_PAGE_CSP } from './window-policy.ts';

const page = (state: ProxyState, extra: { choosePort?: boolean; portError?: string } = {}) =>
  statusPageHtml({ proxy: { ...initialMachine(), state }, port: 4000, now: 0, ...extra });
const actions = (html: string) => [...html.matchAll(/(?:href|action)="([^"]+)"/g)].map((m) => parseWindowAction(m[1]!.replace(/&amp;/g, '&'))?.kind);

describe('status page', () => {
  it('port conflict with our stale instance: says so; Stop, Retry, Choose port', () => {
    const html = page({ status: 'port-conflict', port: 4000, owner: 'ours-stale', pid: 9 });
    expect(html).toContain('<h1>Port 4000 is in use</h1>');
    expect(html).toContain('earlier LLM Gateway');
    expect(html).toContain('http://localhost:4000');
    expect(actions(html)).toEqual(['stop-stale', 'retry', 'choose-port']);
  });

  it('port conflict with another program: Retry and Choose port only', () => {
    expect(actions(page({ status: 'port-conflict', port: 4000, owner: 'foreign' }))).toEqual(['retry', 'choose-port']);
  });

  it('the Choose port form posts to the action URL, with the error when the last port was refused', () => {
    const html = page({ status: 'port-conflict', port: 4000, owner: 'foreign' }, { choosePort: true, portError: 'Enter a port number from 1024 to 65535.' });
    expect(html).toMatch(/<form method="get" action="llm-gateway-action:\/\/choose-port">/);
    expect(html).toContain('name="port"');
    expect(html).toContain('value="4000"');
    expect(html).toContain('role="alert">Enter a port number from 1024 to 65535.</p>');
  });

  it('failed start: the reason (escaped), Retry and logs', () => {
    const html = page({ status: 'failed', port: 4000, message: 'config.yaml: <script>alert(1)</script> & "quotes"' });
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;');
    expect(actions(html)).toEqual(['retry', 'open-logs']);
  });

  it('has no script, and its CSP forbids any', () => {
    for (const state of [
      { status: 'stopped' },
      { status: 'starting', port: 4000 },
      { status: 'restarting', port: 4000, attempt: 2, delayMs: 2000, retryAt: 2000, reason: 'x' },
    ] as ProxyState[]) {
      const html = page(state);
      expect(html).not.toMatch(/<script|\son\w+=/i);
      expect(html).toContain(`content="${escapeHtml(STATUS_PAGE_CSP)}"`);
    }
  });

  it('loads as a data: URL', () => {
    const url = statusPageUrl('<p>a b#c</p>');
    expect(url.startsWith('data:text/html;charset=utf-8,')).toBe(true);
    expect(decodeURIComponent(url.slice(url.indexOf(',') + 1))).toBe('<p>a b#c</p>');
  });
});

describe('status page while restarting', () => {
  it('shows the reason and no countdown that would go stale', () => {
    const html = page({ status: 'restarting', port: 4000, attempt: 2, delayMs: 2000, retryAt: 2000, reason: 'the gateway process exited with code 3' });
    expect(html).toContain('<h1>The gateway stopped unexpectedly — restarting</h1>');
    expect(html).toContain('Attempt 2: the gateway process exited with code 3');
    expect(html).not.toMatch(/in \d+ s/);
  });
});

describe('status page while running (Choose port opened from the tray)', () => {
  it('explains what changing the port means', () => {
    const html = page({ status: 'running', port: 4000, url: 'http://127.0.0.1:4000', since: 0 }, { choosePort: true });
    expect(html).toContain('every client must then use the new port');
    expect(html).toContain('name="port"');
  });

  it('the window shows the dashboard while the gateway runs, unless the port form is open; the status page otherwise', () => {
    const running: ProxyState = { status: 'running', port: 4000, url: 'http://127.0.0.1:4000', since: 0 };
    const input = (state: ProxyState, choosePort = false) => ({ proxy: { ...initialMachine(), state }, port: 4000, now: 0, choosePort });
    expect(windowContent(input(running))).toEqual({ kind: 'dashboard', url: 'http://127.0.0.1:4000/ui/' });
    expect(windowContent(input(running), { welcome: 'connect-client' })).toEqual({
      kind: 'dashboard',
      url: 'http://127.0.0.1:4000/ui/?welcome=connect-client',
    });
    expect(windowContent(input(running, true))).toEqual({ kind: 'status', html: statusPageHtml(input(running, true)) });
    const stopped = windowContent(input({ status: 'stopped' }));
    expect(stopped.kind).toBe('status');
  });
});
