/**
 * "Connect a client": copy-ready setup for each client, in that client's own configuration format, filled
 * with the gateway's base URL, a model group and a key (the pasted raw key, or a placeholder naming the key
 * chosen, since the gateway keeps only hashes of virtual keys).
 */

export const CLIENTS = ['Aider', 'Continue', 'LibreChat', 'Open WebUI', 'OpenAI SDK (Python)', 'OpenAI SDK (JS)', 'Claude Code', 'curl'] as const;
export type Client = (typeof CLIENTS)[number];

export interface SnippetInput {
  /** The gateway's base URL without /v1, e.g. http://localhost:4000. */
  baseUrl: string;
  model: string;
  /** What goes where the key belongs: a pasted raw key, verbatim, or a placeholder. */
  key: string;
}

export interface Snippet {
  /** Where the text goes, e.g. "Shell", "~/.continue/config.yaml". */
  where: string;
  /** Language of the text, for the <pre>'s data attribute. */
  language: 'shell' | 'yaml' | 'python' | 'javascript';
  text: string;
}

/** A word the shell reads back unchanged: bare when safe, else in single quotes. */
export function shellQuote(value: string): string {
  if (/^[A-Za-z0-9_./:@%+=,-]+$/.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** A YAML scalar that reads back as this exact string: plain when unambiguous, else double-quoted (JSON is valid YAML). */
export function yamlString(value: string): string {
  const plain = /^[A-Za-z0-9_][A-Za-z0-9_./:@+-]*$/.test(value) && !/: |:$/.test(value);
  const special = /^(true|false|yes|no|on|off|null|~|[-+]?[0-9][0-9_.eE+-]*)$/i.test(value);
  return plain && !special ? value : JSON.stringify(value);
}

/** A string literal for Python and JavaScript alike (a JSON string is valid in both). */
const literal = (value: string) => JSON.stringify(value);

/** The OpenAI-shaped base URL clients want: the gateway serves /v1/chat/completions. */
export function openAiBase(baseUrl: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/v1`;
}

function isLoopback(baseUrl: string): boolean {
  try {
    const host = new URL(baseUrl).hostname;
    return host === 'localhost' || host === '[::1]' || host === '::1' || /^127\./.test(host);
  } catch {
    return false;
  }
}

/** The same URL as seen from inside a Docker container on this machine. */
function dockerHostUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.hostname = 'host.docker.internal';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return url;
  }
}

export function snippetFor(client: Client, { baseUrl, model, key }: SnippetInput): Snippet {
  const root = baseUrl.replace(/\/+$/, '');
  const v1 = openAiBase(root);
  const loopback = isLoopback(root);
  switch (client) {
    case 'Aider':
      return {
        where: 'Shell',
        language: 'shell',
        text: [
          '# Aider speaks to any OpenAI-compatible API: the base URL ends in /v1, the model is prefixed with openai/',
          `export OPENAI_API_BASE=${shellQuote(v1)}`,
          `export OPENAI_API_KEY=${shellQuote(key)}`,
          `aider --model ${shellQuote(`openai/${model}`)}`,
          '',
          '# The same with flags:',
          `# aider --openai-api-base ${shellQuote(v1)} --openai-api-key ${shellQuote(key)} --model ${shellQuote(`openai/${model}`)}`,
          '# Aider warns about models it has no metadata for; --no-show-model-warnings silences that.',
        ].join('\n'),
      };
    case 'Continue':
      return {
        where: '~/.continue/config.yaml',
        language: 'yaml',
        text: [
          'name: LLM Gateway',
          'version: 0.0.1',
          'schema: v1',
          'models:',
          `  - name: ${yamlString(`${model} (LLM Gateway)`)}`,
          '    provider: openai',
          `    model: ${yamlString(model)}`,
          `    apiBase: ${yamlString(v1)}`,
          `    apiKey: ${yamlString(key)}`,
          '    roles:',
          '      - chat',
          '      - edit',
          '      - apply',
        ].join('\n'),
      };
    case 'LibreChat':
      return {
        where: '.env and librechat.yaml',
        language: 'yaml',
        text: [
          '# .env',
          `LLM_GATEWAY_API_KEY=${key}`,
          '',
          '# librechat.yaml',
          'version: 1.2.1',
          'endpoints:',
          '  custom:',
          '    - name: "LLM Gateway"',
          // biome-ignore lint/suspicious/noTemplateCurlyInString: LibreChat's own environment-variable syntax, written as is
          '      apiKey: "${LLM_GATEWAY_API_KEY}"',
          `      baseURL: ${JSON.stringify(v1)}`,
          '      models:',
          `        default: [${JSON.stringify(model)}]`,
          '        fetch: true',
          '      titleConvo: true',
          `      titleModel: ${JSON.stringify(model)}`,
          '      modelDisplayLabel: "LLM Gateway"',
          ...(loopback
            ? [
                '',
                '# LibreChat in Docker: localhost there is the container itself. Start the gateway with',
                `# --host 0.0.0.0 and use baseURL: ${JSON.stringify(dockerHostUrl(v1))}`,
              ]
            : []),
        ].join('\n'),
      };
    case 'Open WebUI':
      return {
        where: 'Shell',
        language: 'shell',
        text: [
          '# pip install open-webui, then:',
          `OPENAI_API_BASE_URL=${shellQuote(v1)} \\`,
          `OPENAI_API_KEY=${shellQuote(key)} \\`,
          'open-webui serve',
          '',
          '# Already running? Admin Panel → Settings → Connections → OpenAI API → add a connection:',
          `#   URL: ${v1}`,
          `#   Key: ${key}`,
          `# Then choose "${model}" in the model list.`,
          ...(loopback
            ? [
                '',
                '# In Docker (the gateway started with --host 0.0.0.0 so the container can reach it):',
                '# docker run -d -p 3000:8080 --add-host=host.docker.internal:host-gateway \\',
                `#   -e OPENAI_API_BASE_URL=${shellQuote(dockerHostUrl(v1))} -e OPENAI_API_KEY=${shellQuote(key)} \\`,
                '#   -v open-webui:/app/backend/data --name open-webui ghcr.io/open-webui/open-webui:main',
              ]
            : []),
        ].join('\n'),
      };
    case 'OpenAI SDK (Python)':
      return {
        where: 'Python (pip install openai)',
        language: 'python',
        text: [
          'from openai import OpenAI',
          '',
          'client = OpenAI(',
          `    base_url=${literal(v1)},`,
          `    api_key=${literal(key)},`,
          ')',
          'response = client.chat.completions.create(',
          `    model=${literal(model)},`,
          '    messages=[{"role": "user", "content": "Hello!"}],',
          ')',
          'print(response.choices[0].message.content)',
        ].join('\n'),
      };
    case 'OpenAI SDK (JS)':
      return {
        where: 'JavaScript (npm install openai)',
        language: 'javascript',
        text: [
          "import OpenAI from 'openai';",
          '',
          'const client = new OpenAI({',
          `  baseURL: ${literal(v1)},`,
          `  apiKey: ${literal(key)},`,
          '});',
          'const response = await client.chat.completions.create({',
          `  model: ${literal(model)},`,
          "  messages: [{ role: 'user', content: 'Hello!' }],",
          '});',
          'console.log(response.choices[0].message.content);',
        ].join('\n'),
      };
    case 'Claude Code':
      return {
        where: 'Shell',
        language: 'shell',
        text: [
          '# Claude Code speaks the Anthropic Messages API; the gateway serves it at /v1/messages.',
          `export ANTHROPIC_BASE_URL=${shellQuote(root)}`,
          `export ANTHROPIC_AUTH_TOKEN=${shellQuote(key)}`,
          `export ANTHROPIC_MODEL=${shellQuote(model)}`,
          '# Background tasks (titles, summaries) use the "haiku" model; point it at a model group too:',
          `export ANTHROPIC_DEFAULT_HAIKU_MODEL=${shellQuote(model)}`,
          '# An ANTHROPIC_API_KEY in this shell would be sent instead of the gateway key:',
          'unset ANTHROPIC_API_KEY',
          'claude',
        ].join('\n'),
      };
    case 'curl':
      return {
        where: 'Shell',
        language: 'shell',
        text: [
          `curl ${shellQuote(`${v1}/chat/completions`)} \\`,
          `  -H ${shellQuote(`Authorization: Bearer ${key}`)} \\`,
          "  -H 'Content-Type: application/json' \\",
          `  -d ${shellQuote(JSON.stringify({ model, messages: [{ role: 'user', content: 'Hello!' }] }))}`,
        ].join('\n'),
      };
  }
}
