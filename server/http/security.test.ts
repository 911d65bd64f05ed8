import { describe, expect, it } from 'vitest';
import { GatewayError } from '../core/errors.ts';
import { gatewayErrorFrom } from '../test-support/fixtures.ts';
import { allowedHostnames, checkHost, hostnameOf, isLoopbackHost } from './security.ts';

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

  it('bound to loopback: rejects another name with 403 (DNS rebinding)', () => {
    const err = gatewayErrorFrom(() => checkHost({ host: 'evil.com' }, loopback));
    expect(err.status).toBe(403);
    expect(err.code).toBe('host_not_allowed');
    expect(err.message).toContain('`evil.com`');
    expect(() => checkHost({ host: 'evil.com:4000' }, loopback)).toThrow(GatewayError);
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
