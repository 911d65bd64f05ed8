/**
 * The Host check in front of every route (a web page must not reach a loopback gateway through DNS rebinding),
 * and the one way a presented key is read and compared. Who the caller is: auth.ts; the admin API's door:
 * admin-scope.ts.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { GatewayError } from '../core/errors.ts';

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '::1', '[::1]'];

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
