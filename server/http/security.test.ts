import { describe, expect, it } from 'vitest';
import { GatewayError } from '../core/errors.ts';
import { gatewayErrorFrom } from '../test-support/fixtures.ts';
import { allowedHostnames, allowedOriginSet, checkHost, checkOrigin, hostnameOf, isDashboardFile, isLoopbackHost, normalizedOrigin } from './security.ts';

describe('hostnameOf', () => {
  it('drops the port and lower-cases', () => {
    expect(hostnameOf('localhost:4000')).toBe('localhost');
    expect(hostnameOf('LocalHost')).toBe('localhost');
    expect(hostnameOf('127.0.0.1:4000')).toBe('127.0.0.1');
    expect(hostnameOf(' example.com:8080 ')).toBe('example.com');
  });

  it('keeps IPv6 literals in brackets', () => {
    expect(hostnameOf('[::1]:4000')).toBe('[::1]');
    expect(hostnameOf('[::1]')).toBe('[::1]');
  });
});

describe('isLoopbackHost', () => {
  it('knows the loopback names', () => {
    for (const host of ['localhost', '127.0.0.1', '127.1.2.3', '::1', '[::1]']) expect(isLoopbackHost(host)).toBe(true);
    for (const host of ['0.0.0.0', '192.168.1.2', 'evil.com', 'localhost.evil.com']) expect(isLoopbackHost(host)).toBe(false);
  });
});

describe('checkHost', () => {
  const loopback = allowedHostnames('127.0.0.1');

  it('bound to loopback: accepts the loopback names with any port', () => {
    for (const host of ['localhost:4000', 'localhost', '127.0.0.1', '127.0.0.1:4000', '[::1]:4000']) {
      expect(() => checkHost({ host }, loopback)).not.toThrow();
    }
  });

  it("accepts 0.0.0.0 and [::], the addresses LiteLLM's examples call (they reach this machine)", () => {
    for (const host of ['0.0.0.0:4000', '0.0.0.0', '[::]:4000']) expect(() => checkHost({ host }, loopback)).not.toThrow();
    expect(() => checkHost({ host: '0.0.0.0:4000' }, allowedHostnames('192.168.1.20'))).not.toThrow();
  });

  it('bound to loopback: rejects another name with 403 (DNS rebinding)', () => {
    const err = gatewayErrorFrom(() => checkHost({ host: 'evil.com' }, loopback));
    expect(err.status).toBe(403);
    expect(err.code).toBe('host_not_allowed');
    expect(err.message).toContain('`evil.com`');
    expect(() => checkHost({ host: 'evil.com:4000' }, loopback)).toThrow(GatewayError);
    expect(() => checkHost({ host: '0.0.0.0.evil.com:4000' }, loopback)).toThrow(GatewayError);
    expect(() => checkHost({ host: 'localhost.evil.com' }, loopback)).toThrow(GatewayError);
  });

  it('accepts names added through allowed_hosts, case-insensitively', () => {
    const allowed = allowedHostnames('127.0.0.1', ['Gateway.Local']);
    expect(() => checkHost({ host: 'gateway.local:4000' }, allowed)).not.toThrow();
  });

  it('bound to a named interface: accepts that name too', () => {
    const allowed = allowedHostnames('192.168.1.20');
    expect(() => checkHost({ host: '192.168.1.20:4000' }, allowed)).not.toThrow();
    expect(() => checkHost({ host: 'localhost:4000' }, allowed)).not.toThrow();
    expect(() => checkHost({ host: 'evil.com' }, allowed)).toThrow(GatewayError);
  });

  it('bound to 0.0.0.0 or ::: accepts any name', () => {
    expect(allowedHostnames('0.0.0.0')).toBeUndefined();
    expect(allowedHostnames('::')).toBeUndefined();
    expect(() => checkHost({ host: 'evil.com' }, allowedHostnames('0.0.0.0'))).not.toThrow();
  });

  it('bound to 0.0.0.0 with allowed_hosts: only those and loopback', () => {
    const allowed = allowedHostnames('0.0.0.0', ['gateway.example.com']);
    expect(() => checkHost({ host: 'gateway.example.com' }, allowed)).not.toThrow();
    expect(() => checkHost({ host: 'localhost:4000' }, allowed)).not.toThrow();
    expect(() => checkHost({ host: 'evil.com' }, allowed)).toThrow(GatewayError);
  });

  it('lets a request without a Host header through', () => {
    expect(() => checkHost({}, loopback)).not.toThrow();
  });
});

describe('checkHost with an IPv6 address', () => {
  it('bound to one IPv6 address: accepts its bracketed Host header', () => {
    const allowed = allowedHostnames('fd00::5');
    expect(() => checkHost({ host: '[fd00::5]:4000' }, allowed)).not.toThrow();
    expect(() => checkHost({ host: '[fd00::6]:4000' }, allowed)).toThrow(GatewayError);
  });
});

describe('normalizedOrigin and allowedOriginSet', () => {
  it('normalises case, default ports and a trailing slash; refuses what is not an http(s) origin', () => {
    expect(normalizedOrigin('HTTP://LocalHost:80/')).toBe('http://localhost');
    expect(normalizedOrigin('https://chat.example.com:443')).toBe('https://chat.example.com');
    expect(normalizedOrigin('http://localhost:3000')).toBe('http://localhost:3000');
    for (const value of ['null', 'file:///etc', 'chrome-extension://abc', 'not an origin']) expect(normalizedOrigin(value)).toBeUndefined();
    expect([...allowedOriginSet(['http://localhost:3000/', 'null', 'https://a.example'])]).toEqual(['http://localhost:3000', 'https://a.example']);
  });
});

describe('checkOrigin', () => {
  const none = new Set<string>();

  it('accepts the gateway’s own origin, whatever the scheme a TLS proxy adds', () => {
    expect(() => checkOrigin({ host: 'localhost:4000', origin: 'http://localhost:4000' }, none)).not.toThrow();
    expect(() => checkOrigin({ host: 'gw.example.com', origin: 'https://gw.example.com' }, none)).not.toThrow();
  });

  it('refuses another origin with 403 cross_site_request, and an origin without a Host', () => {
    const err = gatewayErrorFrom(() => checkOrigin({ host: 'localhost:4000', origin: 'http://localhost:4001' }, none));
    expect(err.status).toBe(403);
    expect(err.code).toBe('cross_site_request');
    expect(() => checkOrigin({ origin: 'http://localhost:4000' }, none)).toThrow(GatewayError);
  });

  it('refuses Sec-Fetch-Site cross-site and same-site unless the Origin is allowed', () => {
    expect(() => checkOrigin({ host: 'localhost:4000', 'sec-fetch-site': 'cross-site' }, none)).toThrow(GatewayError);
    expect(() => checkOrigin({ host: 'localhost:4000', 'sec-fetch-site': 'same-site' }, none)).toThrow(GatewayError);
    const allowed = allowedOriginSet(['http://localhost:3000']);
    expect(() => checkOrigin({ host: 'localhost:4000', origin: 'http://localhost:3000', 'sec-fetch-site': 'same-site' }, allowed)).not.toThrow();
    expect(() => checkOrigin({ host: 'localhost:4000', 'sec-fetch-site': 'same-origin' }, none)).not.toThrow();
    expect(() => checkOrigin({ host: 'localhost:4000', 'sec-fetch-site': 'none' }, none)).not.toThrow();
  });
});

describe('isDashboardFile', () => {
  it('is a GET or HEAD of /, /ui, /ui/* or /favicon.ico only', () => {
    for (const url of ['/', '/ui', '/ui/', '/ui/assets/app.js', '/ui/keys?x=1', '/favicon.ico']) expect(isDashboardFile('GET', url)).toBe(true);
    expect(isDashboardFile('HEAD', '/ui/')).toBe(true);
    expect(isDashboardFile('POST', '/ui/')).toBe(false);
    for (const url of ['/uix', '/v1/models', '/health', '/key/info']) expect(isDashboardFile('GET', url)).toBe(false);
  });
});
