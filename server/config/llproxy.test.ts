import { describe, expect, it } from 'vitest';
import { parseCli } from '../cli/args.ts';
import { readPassThroughEndpoints } from './llproxy-endpoints.ts';
import { parseConfig } from './load.ts';

const seed = {
  port: 8080,
  routes: {
    '/openai': {
      forward: 'https://api.openai.com',
      provider: 'openai',
      models: { 'gpt-4': { rpm: 200, tpm: 40000, maxQueueSize: 100, maxQueueWait: 30 }, 'gpt-3.5-turbo': { rpm: 3500, tpm: 90000 } },
    },
  },
};

describe('LLProxy config.json', () => {
  it('becomes pass_through_endpoints with the queue in the gateway units (maxQueueWait and max_queue_wait both in seconds) and its port', () => {
    const loaded = parseConfig(JSON.stringify(seed), 'config.json', { env: {} });
    expect(loaded.warnings).toEqual([]);
    expect(loaded.resolved.general_settings.port).toBe(8080);
    const { routes, issues } = readPassThroughEndpoints(loaded.resolved.general_settings.pass_through_endpoints);
    expect(issues).toEqual([]);
    expect(routes).toEqual([
      {
        path: '/openai',
        target: 'https://api.openai.com',
        includeSubpath: true,
        headers: {},
        forwardHeaders: true,
        auth: true,
        provider: 'openai',
        models: { 'gpt-4': { rpm: 200, tpm: 40000, max_queue_size: 100, max_queue_wait: 30 }, 'gpt-3.5-turbo': { rpm: 3500, tpm: 90000 } },
      },
    ]);
  });

  it('takes routes as a list of {path, forward, provider, models}; an apiKey becomes the upstream Authorization', () => {
    const text = JSON.stringify({ routes: [{ path: '/groq/', forward: 'https://api.groq.com/openai', provider: 'groq', apiKey: 'os.environ/GROQ_KEY' }] });
    const loaded = parseConfig(text, 'config.json', { env: { GROQ_KEY: 'gsk-1' } });
    const [route] = readPassThroughEndpoints(loaded.resolved.general_settings.pass_through_endpoints).routes;
    expect(route?.path).toBe('/groq');
    expect(route?.provider).toBe('groq');
    expect(route?.headers).toEqual({ authorization: 'Bearer gsk-1' });
  });

  it('refuses a bad port, a non-object route and an empty route name, naming each', () => {
    const text = JSON.stringify({ port: 'eighty', routes: { '': {}, '/x': 'https://a.example' } });
    expect(() => parseConfig(text, 'config.json')).toThrow(
      /port: must be a port number.*\n.*routes\[""\]: route names are the path prefix.*\n.*routes\.\/x: must be a route object/,
    );
  });

  it('reads a route named without its slash (`"openai"`, as LLProxy\'s README writes it) as the prefix /openai', () => {
    const text = JSON.stringify({ routes: { openai: { forward: 'https://api.openai.com', provider: 'openai', models: { 'gpt-4': { rpm: 200 } } } } });
    const { routes, issues } = readPassThroughEndpoints(parseConfig(text, 'config.json', { env: {} }).resolved.general_settings.pass_through_endpoints);
    expect(issues).toEqual([]);
    expect(routes.map((r) => [r.path, r.target])).toEqual([['/openai', 'https://api.openai.com']]);
  });

  it('refuses a routes list entry without a path, and a route key it does not know', () => {
    const text = JSON.stringify({ routes: [{ forward: 'https://a.example' }, { path: '/b', forward: 'https://b.example', rate: 3 }] });
    expect(() => parseConfig(text, 'config.json')).toThrow(/routes\[0\]\.path: must be the path prefix.*\n.*routes\[1\]\.rate: is not a route key/);
  });

  it('--port wins over the config port only when given', () => {
    expect(parseCli(['--config', 'config.json']).portGiven).toBeUndefined();
    expect(parseCli(['--config', 'config.json', '--port', '8080']).portGiven).toBe(true);
  });
});

describe('general_settings.pass_through_endpoints', () => {
  const yaml = (entries: string) => `general_settings:\n  pass_through_endpoints:\n${entries}`;

  it("reads LiteLLM's entry: exact path by default, client headers not forwarded, `bearer os.environ/VAR` in a header resolved", () => {
    const loaded = parseConfig(
      yaml(`    - path: /v1/rerank
      target: https://api.cohere.com/v1/rerank
      headers:
        Authorization: "bearer os.environ/COHERE_API_KEY"
        content-type: application/json
`),
      'config.yaml',
      { env: { COHERE_API_KEY: 'co-123' } },
    );
    expect(loaded.warnings).toEqual([]);
    const [route] = readPassThroughEndpoints(loaded.resolved.general_settings.pass_through_endpoints).routes;
    expect(route).toMatchObject({ path: '/v1/rerank', includeSubpath: false, forwardHeaders: false, auth: true });
    expect(route?.headers).toEqual({ authorization: 'bearer co-123', 'content-type': 'application/json' });
  });

  it('warns about auth: false and an unset variable in a header', () => {
    const loaded = parseConfig(
      yaml(`    - { path: /open, target: "https://a.example", auth: false, headers: { x-key: "k os.environ/NOPE" } }\n`),
      'config.yaml',
      { env: {} },
    );
    expect(loaded.warnings).toEqual([
      expect.stringMatching(/general_settings\.pass_through_endpoints\[0\]: auth: false — `\/open` forwards requests from anyone/),
      expect.stringMatching(/refers to environment variable `NOPE`, which is not set/),
    ]);
  });

  it("refuses paths that would hide the gateway's own routes, duplicates, bad targets and bad limits", () => {
    const text = yaml(`    - { path: /, target: "https://a.example" }
    - { path: /admin/x, target: "https://a.example" }
    - { path: /a, target: "https://a.example" }
    - { path: /a/, target: "ftp://a.example" }
    - { path: /b, target: "https://b.example", models: { gpt-4: { rpm: -1, burst: 2 } } }
`);
    expect(() => parseConfig(text, 'config.yaml', { env: {} })).toThrow(
      new RegExp(
        [
          String.raw`pass_through_endpoints\[0\]\.path \(line 3, column \d+\): \`/\` would hide the gateway's own routes`,
          String.raw`pass_through_endpoints\[1\]\.path .*would hide the gateway's own \`/admin\` routes`,
          String.raw`pass_through_endpoints\[3\]\.target .*must be an http\(s\) URL`,
          String.raw`pass_through_endpoints\[4\]\.models\.gpt-4\.rpm .*must be a number of at least 0`,
          String.raw`pass_through_endpoints\[4\]\.models\.gpt-4\.burst .*is not a limit`,
        ].join('.*\n.*'),
      ),
    );
  });

  it('refuses the same path twice', () => {
    const text = yaml(`    - { path: /a, target: "https://a.example" }\n    - { path: /a/, target: "https://b.example" }\n`);
    expect(() => parseConfig(text, 'config.yaml', { env: {} })).toThrow(/pass_through_endpoints\[1\]\.path .*`\/a` is configured twice/);
  });
});
