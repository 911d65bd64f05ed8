/**
 * A web page on another local origin must not spend the gateway's credits: in real Chromium, a page served from
 * another port (same-site, other origin) and from another host name (cross-site) sends the "simple" request a
 * browser sends without a CORS preflight — `fetch(…, {mode: 'no-cors'})`, text/plain, a JSON chat body — to a
 * gateway that has no master key. The gateway must refuse it: the mock upstream receives nothing, no spend row.
 * The same body from a client that is not a browser (application/json, no Origin) is served: the check that
 * nothing arrived can fail.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, skipBrowserTests } from './support/browser.ts';
import { startGatewayOnMocks, type GatewayOnMocks } from './support/gateway.ts';

const config = (mockUrl: string) => `
model_list:
  - model_name: gpt-4o
    litellm_params: { model: openai/gpt-4o, api_base: "${mockUrl}/v1", api_key: sk-upstream-cross-site }
`;

const CHAT = { model: 'gpt-4o', messages: [{ role: 'user', content: 'spend the credits of whoever runs this gateway' }] };

let running: GatewayOnMocks;
let browser: Browser;
/** The other web site: one empty page, on its own port. */
let site: Server;
let sitePort: number;

function spendRowCount(): number {
  const { journal, spendLog } = running.gw.gateway.runtime.services;
  journal.flush();
  return spendLog.query({}, { page: 1, pageSize: 100 }).total;
}

/** Opens `pageUrl` in a fresh context and runs the page's simple cross-site POST to `target`; resolves once the gateway answered. */
async function postFromPage(pageUrl: string, target: string): Promise<string> {
  const opened = await openPage(browser);
  try {
    await opened.page.goto(pageUrl);
    // A string, because this project's Node typings have no DOM.
    return await opened.page.evaluate<string>(`fetch(${JSON.stringify(target)}, {
      method: 'POST',
      mode: 'no-cors',
      headers: { 'content-type': 'text/plain' },
      body: ${JSON.stringify(JSON.stringify(CHAT))},
    }).then((response) => response.type, (error) => 'failed: ' + error.message)`);
  } finally {
    await opened.close();
  }
}

describe.skipIf(skipBrowserTests())('a cross-site page cannot spend credits (real Chromium)', () => {
  beforeAll(async () => {
    site = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>Another site</title>'));
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    sitePort = (site.address() as AddressInfo).port;
    [running, browser] = await Promise.all([startGatewayOnMocks(config, {}, { dataDir: true }), launchBrowser()]);
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await running?.close();
    await new Promise((resolve) => site?.close(resolve));
  });

  it('refuses a no-cors text/plain POST from another port (same-site) and another host name (cross-site)', async () => {
    const gatewayPort = new URL(running.gw.url).port;
    const target = `http://127.0.0.1:${gatewayPort}/v1/chat/completions`;
    running.mock.reset();
    // The browser delivers both (an opaque response: the page cannot read it, but the request was sent).
    expect(await postFromPage(`http://127.0.0.1:${sitePort}/`, target)).toBe('opaque');
    expect(await postFromPage(`http://localhost:${sitePort}/`, target)).toBe('opaque');
    expect(running.mock.requests.filter((r) => r.path === '/v1/chat/completions')).toEqual([]);
    expect(spendRowCount()).toBe(0);

    // The same call from a client that is not a browser reaches the upstream and is billed.
    const direct = await fetch(target, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(CHAT) });
    expect(direct.status).toBe(200);
    expect(running.mock.requests.filter((r) => r.path === '/v1/chat/completions')).toHaveLength(1);
    expect(spendRowCount()).toBe(1);
  });
});
