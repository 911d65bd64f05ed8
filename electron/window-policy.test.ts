import { describe, expect, it } from 'vitest';
import {
  ACTION_SCHEME,
  DASHBOARD_CSP,
  dashboardUrl,
  decideNavigation,
  isAllowedExternalLink,
  isAllowedNavigation,
  isAllowedPermission,
  isDashboardUrl,
  needsDashboardCsp,
  originOf,
  parseWindowAction,
  STATUS_PAGE_CSP,
  windowWebPreferences,
} from './window-policy.ts';

const origin = 'http://127.0.0.1:4000';

describe('window policy', () => {
  it('derives the origin and the dashboard URL from the gateway URL', () => {
    expect(originOf('http://127.0.0.1:4000/v1/models')).toBe(origin);
    expect(originOf('file:///etc/passwd')).toBeUndefined();
    expect(originOf('not a url')).toBeUndefined();
    expect(dashboardUrl('http://127.0.0.1:4000')).toBe('http://127.0.0.1:4000/ui/');
    expect(dashboardUrl('http://127.0.0.1:4001', { welcome: 'connect-client' })).toBe('http://127.0.0.1:4001/ui/?welcome=connect-client');
  });

  it('allows navigation only within /ui/ on the gateway origin', () => {
    for (const url of ['http://127.0.0.1:4000/ui/', 'http://127.0.0.1:4000/ui', 'http://127.0.0.1:4000/ui/keys?x=1#top']) {
      expect(isAllowedNavigation(url, origin), url).toBe(true);
    }
    for (const url of [
      'http://127.0.0.1:4000/admin/overview', // the admin API is not a page
      'http://127.0.0.1:4000/uix/',
      'http://127.0.0.1:4001/ui/', // another port
      'http://localhost:4000/ui/', // another origin (even if the same server)
      'https://127.0.0.1:4000/ui/',
      'http://user:pw@127.0.0.1:4000/ui/',
      'https://evil.example/ui/',
      'file:///ui/index.html',
      'javascript:alert(1)',
      'data:text/html,<p>hi</p>',
    ]) {
      expect(isAllowedNavigation(url, origin), url).toBe(false);
    }
    expect(isDashboardUrl('http://127.0.0.1:4000/ui/', undefined)).toBe(false);
    expect(isDashboardUrl(undefined, origin)).toBe(false);
  });

  it("CSP is default-src 'self' with nothing inline or remote", () => {
    expect(DASHBOARD_CSP.startsWith("default-src 'self'")).toBe(true);
    expect(DASHBOARD_CSP).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/);
    expect(DASHBOARD_CSP).toContain("object-src 'none'");
    expect(DASHBOARD_CSP).toContain("frame-ancestors 'none'");
    expect(STATUS_PAGE_CSP).toContain("default-src 'none'");
    expect(STATUS_PAGE_CSP).not.toContain('script-src');
    expect(needsDashboardCsp('http://127.0.0.1:4000/ui/assets/app.js', origin)).toBe(true);
    expect(needsDashboardCsp('https://docs.continue.dev/', origin)).toBe(false);
    expect(needsDashboardCsp('http://127.0.0.1:4000/ui/', undefined)).toBe(false);
  });

  it('opens only allow-listed https documentation links', () => {
    for (const url of [
      'https://docs.continue.dev/customize/model-providers/openai',
      'https://aider.chat/docs/llms/openai-compat.html',
      'https://docs.openwebui.com/',
      'https://platform.openai.com/docs/api-reference',
      'https://github.com/openai/openai-python',
      'https://github.com/openai/openai-python/blob/main/README.md',
      'https://docs.anthropic.com/en/api/messages',
      'https://docs.litellm.ai/docs/proxy/configs',
    ]) {
      expect(isAllowedExternalLink(url), url).toBe(true);
    }
    for (const url of [
      'http://docs.continue.dev/', // not https
      'https://docs.continue.dev:8443/', // another port
      'https://user@docs.continue.dev/',
      'https://docs.continue.dev.evil.example/',
      'https://evildocs.continue.dev/',
      'https://aider.chat/', // outside /docs
      'https://aider.chat/docsx',
      'https://github.com/evil/repo',
      'https://github.com/openai/openai-python-evil',
      'https://platform.openai.com/settings/organization/billing',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'https://127.0.0.1:4000/ui/',
      'not a url',
      `https://docs.continue.dev/${'a'.repeat(3000)}`,
    ]) {
      expect(isAllowedExternalLink(url), url).toBe(false);
    }
    expect(isAllowedExternalLink(42)).toBe(false);
    expect(isAllowedExternalLink(undefined)).toBe(false);
  });

  it("parses the status page's action URLs and nothing else", () => {
    expect(parseWindowAction(`${ACTION_SCHEME}//retry`)).toEqual({ kind: 'retry' });
    expect(parseWindowAction(`${ACTION_SCHEME}//stop-stale`)).toEqual({ kind: 'stop-stale' });
    expect(parseWindowAction(`${ACTION_SCHEME}//open-logs`)).toEqual({ kind: 'open-logs' });
    expect(parseWindowAction(`${ACTION_SCHEME}//choose-port?port=4001`)).toEqual({ kind: 'choose-port', port: '4001' });
    expect(parseWindowAction(`${ACTION_SCHEME}//choose-port`)).toEqual({ kind: 'choose-port', port: '' });
    expect(parseWindowAction(`${ACTION_SCHEME}//rm-rf`)).toBeUndefined();
    expect(parseWindowAction('http://127.0.0.1:4000/ui/')).toBeUndefined();
    expect(parseWindowAction('garbage')).toBeUndefined();
  });

  it('decides each navigation: dashboard pages go ahead, action URLs act, documentation opens outside, the rest is refused', () => {
    expect(decideNavigation('http://127.0.0.1:4000/ui/keys', origin)).toEqual({ kind: 'allow' });
    expect(decideNavigation(`${ACTION_SCHEME}//choose-port?port=4001`, origin)).toEqual({ kind: 'action', action: { kind: 'choose-port', port: '4001' } });
    // The status page is shown while no gateway runs: its actions work without an origin.
    expect(decideNavigation(`${ACTION_SCHEME}//retry`, undefined)).toEqual({ kind: 'action', action: { kind: 'retry' } });
    expect(decideNavigation('https://docs.continue.dev/setup', origin)).toEqual({ kind: 'external', url: 'https://docs.continue.dev/setup' });
    expect(decideNavigation('https://evil.example/ui/', origin)).toEqual({ kind: 'deny' });
    expect(decideNavigation('http://127.0.0.1:4000/admin/config/export', origin)).toEqual({ kind: 'deny' });
    expect(decideNavigation('http://127.0.0.1:4000/ui/', undefined)).toEqual({ kind: 'deny' });
  });

  it('grants no web permission except clipboard writes (and fullscreen) to the dashboard', () => {
    expect(isAllowedPermission('clipboard-sanitized-write', 'http://127.0.0.1:4000/ui/keys', origin)).toBe(true);
    expect(isAllowedPermission('clipboard-sanitized-write', origin, origin)).toBe(true);
    expect(isAllowedPermission('clipboard-sanitized-write', 'https://evil.example/', origin)).toBe(false);
    expect(isAllowedPermission('clipboard-sanitized-write', 'http://127.0.0.1:4000/ui/', undefined)).toBe(false);
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fileSystem']) {
      expect(isAllowedPermission(permission, 'http://127.0.0.1:4000/ui/', origin), permission).toBe(false);
    }
  });

  it('the window is isolated and sandboxed, with no Node and no webviews; devtools as asked', () => {
    const prefs = windowWebPreferences('/app/preload.cjs', false);
    expect(prefs).toMatchObject({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      devTools: false,
    });
    expect(windowWebPreferences('/app/preload.cjs', true).devTools).toBe(true);
  });
});
