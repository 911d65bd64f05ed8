/**
 * Every LiteLLM proxy example calls the gateway at `http://0.0.0.0:4000`, the address LiteLLM prints. Connecting
 * to 0.0.0.0 reaches this machine, so `Host: 0.0.0.0:4000` is a loopback name for the Host check — on a gateway
 * bound to 127.0.0.1, over a real connection to 0.0.0.0. What the Host check is there for stays: a DNS-rebinding
 * Host (`evil.example:4000`) is refused, and so are requests a browser marks cross-site, whatever Host they name.
 */
import { request } from 'node:http';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectValid } from './support/openapi.ts';
import { startGatewayOnMocks, type GatewayOnMocks } from './support/gateway.ts';

const config = (mockUrl: string) => `
model_list:
  - model_name: gpt-3.5-turbo
    litellm_params: { model: openai/gpt-3.5-turbo, api_base: "${mockUrl}/v1", api_key: sk-upstream-host }
general_settings:
  master_key: sk-1234
`;

let running: GatewayOnMocks;
let port: number;

beforeAll(async () => {
  running = await startGatewayOnMocks(config);
  port = Number(new URL(running.gw.url).port);
});
afterAll(() => running?.close());

interface Answer {
  status: number;
  body: { error?: { code?: string; message?: string } } & Record<string, unknown>;
}

/** A POST to the gateway over loopback, naming whatever Host and browser headers the test gives. */
function post(path: string, headers: Record<string, string>, body: unknown): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer sk-1234', ...headers } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

const CHAT = { model: 'gpt-3.5-turbo', messages: [{ role: 'user', content: 'what llm are you' }] };

describe('http://0.0.0.0:4000, as every LiteLLM example writes it', () => {
  it('serves the openai SDK and the key flow at 0.0.0.0 on a gateway bound to 127.0.0.1', async () => {
    // openai.OpenAI(api_key="sk-1234", base_url="http://0.0.0.0:4000")
    const generated = await fetch(`http://0.0.0.0:${port}/key/generate`, {
      method: 'POST',
      headers: { Authorization: 'Bearer sk-1234', 'Content-Type': 'application/json' },
      body: JSON.stringify({ models: ['gpt-3.5-turbo'] }),
    });
    expect(generated.status).toBe(200);
    const virtualKey = ((await generated.json()) as { key: string }).key;
    expect(virtualKey).toMatch(/^sk-/);

    const client = new OpenAI({ apiKey: virtualKey, baseURL: `http://0.0.0.0:${port}`, maxRetries: 0 });
    const completion = await client.chat.completions.create(CHAT as never);
    expectValid('CreateChatCompletionResponse', completion);
    expect(completion.choices[0]?.message.content).toEqual(expect.any(String));
  });

  it('refuses a DNS-rebinding Host, and a cross-site page that names 0.0.0.0', async () => {
    running.mock.reset();
    const rebinding = await post('/v1/chat/completions', { host: `evil.example:${port}` }, CHAT);
    expect(rebinding.status).toBe(403);
    expect(rebinding.body.error?.code).toBe('host_not_allowed');

    const crossSiteOrigin = await post('/v1/chat/completions', { host: `0.0.0.0:${port}`, origin: 'http://evil.example' }, CHAT);
    expect(crossSiteOrigin.status).toBe(403);
    expect(crossSiteOrigin.body.error?.code).toBe('cross_site_request');

    const crossSiteFetch = await post('/v1/chat/completions', { host: `0.0.0.0:${port}`, 'sec-fetch-site': 'cross-site' }, CHAT);
    expect(crossSiteFetch.status).toBe(403);
    expect(crossSiteFetch.body.error?.code).toBe('cross_site_request');
    expect(running.mock.requests.filter((r) => r.path === '/v1/chat/completions')).toEqual([]);

    // The gateway's own page at 0.0.0.0 (the dashboard opened there) is same-origin and served.
    const ownPage = await post('/v1/chat/completions', { host: `0.0.0.0:${port}`, origin: `http://0.0.0.0:${port}` }, CHAT);
    expect(ownPage.status).toBe(200);
    expect(running.mock.requests.filter((r) => r.path === '/v1/chat/completions')).toHaveLength(1);
  });
});
