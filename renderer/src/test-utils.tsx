/**
 * For component tests: render inside the app's providers (session with a key, query client, toasts, router)
 * with `fetch` answered by a table of routes — `'GET /admin/overview'` → a body, or a function of the request.
 * Unmatched calls answer 404 in the gateway's error shape, so a test sees exactly which call it forgot.
 */
import { render, screen, type RenderResult } from '@testing-library/react';
import type { ReactElement } from 'react';
import { vi } from 'vitest';
import type { GatewaySettings, KeyObject } from './api/types.ts';
import { Router } from 'wouter';
import { memoryLocation } from 'wouter/memory-location';
import { SessionProvider } from './api/context.tsx';
import { ToastProvider } from './components/Toasts.tsx';

export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
  headers: Record<string, string>;
}
export type FakeAnswer = unknown | ((request: FakeRequest) => unknown | Response | Promise<unknown | Response>);

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

export function fakeGateway(routes: Record<string, FakeAnswer>) {
  const calls: FakeRequest[] = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input), 'http://gateway.test');
    const text = typeof init?.body === 'string' ? init.body : undefined;
    const request: FakeRequest = {
      method: init?.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      body: text ? JSON.parse(text) : undefined,
      headers: (init?.headers ?? {}) as Record<string, string>,
    };
    calls.push(request);
    const route = routes[`${request.method} ${request.path}`];
    if (route === undefined) return jsonResponse(404, { error: { message: `No fake for ${request.method} ${request.path}` } });
    const answer = typeof route === 'function' ? await (route as (r: FakeRequest) => unknown)(request) : route;
    return answer instanceof Response ? answer : jsonResponse(200, answer);
  });
  vi.stubGlobal('fetch', fetchMock);
  return { calls, fetchMock, callsTo: (method: string, path: string) => calls.filter((c) => c.method === method && c.path === path) };
}

/** Renders `ui` signed in, at `path` (a dashboard route such as '/keys'). */
export function renderPage(ui: ReactElement, { path = '/' }: { path?: string } = {}): RenderResult {
  const { hook, searchHook } = memoryLocation({ path });
  return render(
    <SessionProvider initialToken="sk-test-master">
      <ToastProvider>
        <Router hook={hook} searchHook={searchHook}>
          {ui}
        </Router>
      </ToastProvider>
    </SessionProvider>,
  );
}

/** Waits for the toast that says exactly `text` and answers its tone: 'success', 'error' or 'info'. */
export async function findToast(text: string): Promise<string> {
  const toast = await screen.findByText(text, { selector: '.toasts > .toast' });
  return toast.className.replace(/^toast toast-/, '');
}

/** A virtual key as the admin API shows it, with no limits, models or activity; `over` sets what a test needs. */
export function keyObject(over: Partial<KeyObject> = {}): KeyObject {
  return {
    token: 'hash',
    key_id: 'k1',
    key_name: 'sk-…abcd',
    key_alias: null,
    spend: 0,
    total_spend: 0,
    max_budget: null,
    budget_duration: null,
    budget_reset_at: null,
    expires: null,
    models: [],
    aliases: {},
    config: {},
    metadata: {},
    user_id: null,
    team_id: null,
    rpm_limit: null,
    tpm_limit: null,
    max_parallel_requests: null,
    blocked: false,
    created_at: null,
    updated_at: null,
    last_active: null,
    ...over,
  };
}

/** GET /admin/settings of a gateway on the default port with the master key in the keychain; `over` sets what a test needs. */
export function gatewaySettings(over: Partial<GatewaySettings> = {}): GatewaySettings {
  return {
    host: '127.0.0.1',
    port: 4000,
    base_url: 'http://localhost:4000',
    version: '0.1.0',
    data_dir: '/home/me/.llm-gateway',
    config_path: '/home/me/.llm-gateway/config.yaml',
    master_key: { set: true, source: 'keychain', masked: 'sk-…a1b2', rotatable: true },
    secret_store: { kind: 'keychain', weaker_protection: false, description: 'Secrets are kept in the OS keychain (Secret Service).' },
    price_table: { path: '/app/resources/prices.json', models: 1234, modified_at: '2026-01-02T03:04:05Z', source: 'bundled' },
    ...over,
  };
}
