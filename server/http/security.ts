/**
 * The Host and Origin checks in front of every route (a web page must not reach a loopback gateway through DNS
 * rebinding, nor spend its credits with a cross-site request),
 * and the one way a presented key is read and compared. Who the caller is: auth.ts; the admin API's door:
 * admin-scope.ts.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { GatewayError } from '../core/errors.ts';

/**
 * Names a request may carry in Host on any gateway. `0.0.0.0` (and `[::]`) are here because connecting to them
 * reaches this machine and every LiteLLM example calls `http://0.0.0.0:4000`; no DNS name rebinds to them, and a
 * web page naming them is still refused by the Origin / Sec-Fetch-Site check. Not loopback *addresses* to bind
 * to: isLoopbackHost stays false for them (binding 0.0.0.0 serves every interface).
 */
const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '::1', '[::1]', '0.0.0.0', '[::]'];

export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}

const isWildcardHost = (host: string) => host === '0.0.0.0' || host === '::' || host === '[::]';

/**
 * Host names a request may name. Bound to loopback: the loopback names (plus allowed_hosts). Bound to
 * one address or name: that one too. Bound to every interface: any name, unless allowed_hosts narrows it.
 */
export function allowedHostnames(boundHost: string, extra: readonly string[] = []): Set<string> | undefined {
  if (isWildcardHost(boundHost) && extra.length === 0) return undefined;
  const names = [boundHost, ...extra].map((h) => h.toLowerCase());
  // An IPv6 address arrives in the Host header in brackets: `[fd00::5]:4000`.
  const bracketed = names.filter((h) => h.includes(':') && !h.startsWith('[')).map((h) => `[${h}]`);
  return new Set([...LOOPBACK_NAMES, ...names, ...bracketed]);
}

/** The host part of a Host header: `localhost:4000` → `localhost`, `[::1]:4000` → `[::1]`. */
export function hostnameOf(hostHeader: string): string {
  const value = hostHeader.trim().toLowerCase();
  if (value.startsWith('[')) return value.slice(0, value.indexOf(']') + 1);
  const colon = value.lastIndexOf(':');
  return colon === -1 ? value : value.slice(0, colon);
}

export function checkHost(headers: IncomingHttpHeaders, allowed: Set<string> | undefined): void {
  if (!allowed) return;
  const host = headers.host;
  if (host === undefined) return;
  if (!allowed.has(hostnameOf(host))) {
    throw new GatewayError(
      403,
      `Host \`${hostnameOf(host)}\` is not allowed. Call the gateway by the name it is bound to, or add the name to general_settings.allowed_hosts.`,
      {
        code: 'host_not_allowed',
      },
    );
  }
}

/** `http://Example.com:80` → `http://example.com`; undefined for what is not an http(s) origin (`null`, garbage). */
export function normalizedOrigin(origin: string): string | undefined {
  try {
    const url = new URL(origin.trim());
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : undefined;
  } catch {
    return undefined;
  }
}

/** general_settings.allowed_origins, normalised (entries that are not an origin never match). */
export function allowedOriginSet(origins: readonly string[] = []): Set<string> {
  return new Set(origins.map(normalizedOrigin).filter((origin): origin is string => origin !== undefined));
}

/** Whether `origin` is the gateway itself as the caller named it: same host and port as the Host header. */
function isOwnOrigin(origin: string, host: string | undefined): boolean {
  if (host === undefined) return false;
  try {
    const url = new URL(origin);
    // The scheme is the origin's: behind a TLS proxy the page is https while the gateway speaks http.
    return url.host === new URL(`${url.protocol}//${host.trim()}`).host;
  } catch {
    return false;
  }
}

/** The dashboard's static files (GET/HEAD only): a cross-site link to the dashboard must still open it. */
export function isDashboardFile(method: string, url: string): boolean {
  if (method !== 'GET' && method !== 'HEAD') return false;
  const path = url.split('?')[0] ?? url;
  return path === '/' || path === '/ui' || path.startsWith('/ui/') || path === '/favicon.ico';
}

/**
 * Refuses what a browser marks as sent by another site's page — a "simple" cross-site POST needs no CORS
 * preflight, and with no master key it would be served and billed:
 * - an `Origin` that is neither the gateway's own (the Host it was called by) nor in general_settings.allowed_origins
 *   (`null` included: sandboxed frames, file: pages);
 * - without an allowed `Origin`, `Sec-Fetch-Site: cross-site` or `same-site` — another port on localhost is
 *   same-site yet a different origin, so same-site is refused too.
 * Clients that are not browsers send neither header and pass.
 */
export function checkOrigin(headers: IncomingHttpHeaders, allowedOrigins: ReadonlySet<string>): void {
  const origin = headers.origin;
  const site = headers['sec-fetch-site'];
  if (origin !== undefined) {
    const normalized = normalizedOrigin(origin);
    if (normalized !== undefined && allowedOrigins.has(normalized)) return;
    if (normalized !== undefined && isOwnOrigin(normalized, headers.host)) return;
    throw new GatewayError(
      403,
      `Cross-site request refused: Origin \`${(normalized ?? origin).slice(0, 200)}\` is not this gateway's. Call the gateway from its own dashboard or a client that is not a web page, or add the origin to general_settings.allowed_origins.`,
      { code: 'cross_site_request' },
    );
  }
  if (site === 'cross-site' || site === 'same-site') {
    throw new GatewayError(
      403,
      `Cross-site request refused: the browser marked it Sec-Fetch-Site: ${site}. Call the gateway from its own dashboard or a client that is not a web page, or add the calling page's origin to general_settings.allowed_origins.`,
      { code: 'cross_site_request' },
    );
  }
}
