/**
 * What the dashboard window may load and open (pure; main.ts applies it to will-navigate, will-redirect,
 * setWindowOpenHandler and the session's response headers).
 *
 * - The window shows the gateway's own dashboard: same origin as the running gateway, path under /ui/.
 * - External links open in the system browser only when they are on the allow-list below: https pages of the
 *   documentation of the clients and providers the gateway supports. Everything else is refused.
 * - The local status page (port conflict, choose port, crashed) asks main for an action by navigating to
 *   `llm-gateway-action://…`; main cancels that navigation and acts (see parseWindowAction).
 */

/**
 * The dashboard window's webPreferences: context isolation, sandbox, no Node anywhere, no webviews, devtools only
 * in development. (A plain object main passes to `new BrowserWindow`.)
 */
export function windowWebPreferences(preload: string, devTools: boolean) {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    devTools,
  } as const;
}

/** The Content-Security-Policy main adds to every response from the gateway's origin shown in the window. */
export const DASHBOARD_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** The scheme the status page uses to ask main for an action (never registered: main intercepts it). */
export const ACTION_SCHEME = 'llm-gateway-action:';

/** The status page's own CSP: no script at all, inline styles, links and a GET form to action URLs only. */
export const STATUS_PAGE_CSP = `default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action ${ACTION_SCHEME}; base-uri 'none'`;

function parse(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/** `http://127.0.0.1:4000` for `http://127.0.0.1:4000/anything`; undefined when not an http(s) URL. */
export function originOf(url: string): string | undefined {
  const parsed = parse(url);
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) return undefined;
  return parsed.origin;
}

/** The dashboard's address for a gateway base URL: `http://127.0.0.1:4000` → `http://127.0.0.1:4000/ui/`. */
export function dashboardUrl(gatewayUrl: string, query: Record<string, string> = {}): string {
  const url = new URL('/ui/', gatewayUrl);
  for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
  return url.toString();
}

/** True for a page of the dashboard served by the gateway at `gatewayOrigin` (same origin, path /ui or /ui/…). */
export function isDashboardUrl(url: string | undefined, gatewayOrigin: string | undefined): boolean {
  if (!url || !gatewayOrigin) return false;
  const parsed = parse(url);
  if (!parsed || parsed.origin !== gatewayOrigin) return false;
  if (parsed.username || parsed.password) return false;
  return parsed.pathname === '/ui' || parsed.pathname.startsWith('/ui/');
}

/** The window may navigate only within the dashboard. */
export function isAllowedNavigation(url: string, gatewayOrigin: string | undefined): boolean {
  return isDashboardUrl(url, gatewayOrigin);
}

/** True when a response belongs to the gateway the window shows, so it gets DASHBOARD_CSP. */
export function needsDashboardCsp(url: string, gatewayOrigin: string | undefined): boolean {
  return gatewayOrigin !== undefined && originOf(url) === gatewayOrigin;
}

interface AllowedSite {
  host: string;
  /** Path prefixes (matched at a `/` boundary); absent: the whole host. */
  paths?: readonly string[];
}

/**
 * Documentation of the clients people point at the gateway and of the providers it routes to (plus where to
 * create a provider key). https only, exact host names, optional path prefixes.
 */
export const EXTERNAL_LINK_ALLOW_LIST: readonly AllowedSite[] = [
  // Clients
  { host: 'aider.chat', paths: ['/docs'] },
  { host: 'docs.continue.dev' },
  { host: 'www.librechat.ai', paths: ['/docs'] },
  { host: 'docs.openwebui.com' },
  { host: 'docs.anthropic.com' },
  { host: 'docs.claude.com' },
  { host: 'code.claude.com', paths: ['/docs'] },
  {
    host: 'github.com',
    paths: ['/openai/openai-python', '/openai/openai-node', '/Aider-AI/aider', '/continuedev/continue', '/open-webui/open-webui', '/danny-avila/LibreChat'],
  },
  { host: 'docs.litellm.ai' },
  // Providers: API docs and key pages
  { host: 'platform.openai.com', paths: ['/docs', '/api-keys', '/account/api-keys'] },
  { host: 'learn.microsoft.com', paths: ['/en-us/azure/ai-services/openai', '/en-us/azure/ai-foundry'] },
  { host: 'console.anthropic.com', paths: ['/settings/keys'] },
  { host: 'docs.aws.amazon.com', paths: ['/bedrock'] },
  { host: 'ai.google.dev', paths: ['/gemini-api/docs'] },
  { host: 'aistudio.google.com', paths: ['/apikey'] },
  { host: 'console.groq.com', paths: ['/docs', '/keys'] },
  { host: 'docs.mistral.ai' },
  { host: 'api-docs.deepseek.com' },
  { host: 'openrouter.ai', paths: ['/docs', '/keys'] },
  { host: 'docs.together.ai' },
  { host: 'docs.fireworks.ai' },
  { host: 'docs.perplexity.ai' },
  { host: 'docs.x.ai' },
  { host: 'deepinfra.com', paths: ['/docs'] },
  { host: 'docs.vllm.ai' },
  { host: 'ollama.com', paths: ['/library', '/download'] },
  { host: 'github.com', paths: ['/ollama/ollama/blob/main/docs'] },
  { host: 'lmstudio.ai', paths: ['/docs'] },
  { host: 'inference.readthedocs.io' },
];

function pathMatches(pathname: string, prefix: string): boolean {
  return pathname === prefix || pathname.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`);
}

/** May this link open in the system browser? https, default port, no credentials, on the allow-list. */
export function isAllowedExternalLink(url: unknown): boolean {
  if (typeof url !== 'string' || url.length > 2048) return false;
  const parsed = parse(url);
  if (parsed?.protocol !== 'https:' || parsed.port !== '' || parsed.username || parsed.password) return false;
  const host = parsed.hostname.toLowerCase();
  return EXTERNAL_LINK_ALLOW_LIST.some((site) => site.host === host && (!site.paths || site.paths.some((p) => pathMatches(parsed.pathname, p))));
}

/** What the status page can ask main to do. */
export type WindowAction = { kind: 'retry' } | { kind: 'choose-port'; port: string } | { kind: 'stop-stale' } | { kind: 'open-logs' };

/** `llm-gateway-action://retry` → {kind:'retry'}; anything else (including unknown actions) → undefined. */
export function parseWindowAction(url: string): WindowAction | undefined {
  const parsed = parse(url);
  if (!parsed || parsed.protocol !== ACTION_SCHEME) return undefined;
  // `llm-gateway-action://choose-port?port=4001`: the action is the host part (some engines put it in the path).
  const name = (parsed.hostname || parsed.pathname.replace(/^\/+/, '')).replace(/\/+$/, '').toLowerCase();
  if (name === 'retry') return { kind: 'retry' };
  if (name === 'stop-stale') return { kind: 'stop-stale' };
  if (name === 'open-logs') return { kind: 'open-logs' };
  if (name === 'choose-port') return { kind: 'choose-port', port: parsed.searchParams.get('port') ?? '' };
  return undefined;
}

/** What to do with a navigation the window is about to make (will-navigate). */
export type NavigationDecision =
  /** Within the dashboard: let it happen. */
  | { kind: 'allow' }
  /** The status page asking main for something: cancel the navigation and act. */
  | { kind: 'action'; action: WindowAction }
  /** An allow-listed documentation link: cancel, and open it in the system browser. */
  | { kind: 'external'; url: string }
  /** Anything else: cancel. */
  | { kind: 'deny' };

export function decideNavigation(url: string, gatewayOrigin: string | undefined): NavigationDecision {
  const action = parseWindowAction(url);
  if (action) return { kind: 'action', action };
  if (isAllowedNavigation(url, gatewayOrigin)) return { kind: 'allow' };
  if (isAllowedExternalLink(url)) return { kind: 'external', url };
  return { kind: 'deny' };
}

/**
 * Web permissions (camera, notifications, …): all refused, except writing to the clipboard from the dashboard
 * (its Copy buttons use navigator.clipboard.writeText) and fullscreen.
 */
export function isAllowedPermission(permission: string, requestingUrl: string | undefined, gatewayOrigin: string | undefined): boolean {
  if (permission !== 'clipboard-sanitized-write' && permission !== 'fullscreen') return false;
  return requestingUrl !== undefined && gatewayOrigin !== undefined && originOf(requestingUrl) === gatewayOrigin;
}
