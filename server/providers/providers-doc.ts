/**
 * docs/providers.md, rendered from the descriptors' public view (what GET /admin/providers answers), so the docs
 * are never a second copy of the metadata. `npm run docs:providers` writes it; providers-doc.test.ts fails when
 * the file in the repository is out of date.
 */
import type { ProviderInfo } from '../core/provider-info.ts';

const code = (value: string) => `\`${value}\``;
const codes = (values: readonly string[]) => values.map(code).join(', ');
const orNone = (values: readonly string[]) => (values.length ? codes(values) : '—');

const AUTH: Record<ProviderInfo['auth']['kind'], (auth: ProviderInfo['auth']) => string> = {
  none: () => 'none',
  bearer: () => '`Authorization: Bearer`',
  header: (auth) => `${code(`${auth.header ?? ''}`)} header${auth.token_param ? ` (or ${code(auth.token_param)} as Bearer)` : ''}`,
  query: (auth) => `${code(`?${auth.query_param ?? ''}=`)} query parameter`,
  sigv4: () => 'AWS SigV4',
  'service-account-token': () => 'OAuth token from a service account',
};

const FRAMING: Record<ProviderInfo['stream_framing'], string> = { sse: 'SSE', 'aws-eventstream': 'AWS event-stream', ndjson: 'NDJSON' };

function keySource(p: ProviderInfo): string {
  if (p.auth.kind === 'none') return '—';
  return p.env.api_key.length ? codes(p.env.api_key) : '`api_key` only';
}

function defaultBase(p: ProviderInfo): string {
  if (p.form.api_base === 'hidden') return 'in-process';
  return p.default_api_base ? code(p.default_api_base) : 'required';
}

function overviewRow(p: ProviderInfo): string {
  return `| ${p.label} | ${p.prefixes.map((prefix) => code(`${prefix}/`)).join(', ')} | ${p.endpoints.join(', ')} | ${defaultBase(p)} | ${keySource(p)} | ${AUTH[p.auth.kind](p.auth)} | ${FRAMING[p.stream_framing]} |`;
}

function lookup(given: string, env: readonly string[], fallback: string | null): string {
  const parts = [given];
  if (env.length) parts.push(`else ${codes(env)}`);
  if (fallback) parts.push(`else ${code(fallback)}`);
  return parts.join(', ');
}

/** Request parameters, said as "what <earlier provider> takes, plus …" when an earlier section lists them all. */
function requestParams(p: ProviderInfo, earlier: readonly ProviderInfo[]): string {
  const base = earlier.find((q) => q.request_params.length > 0 && q.request_params.every((key) => p.request_params.includes(key)));
  if (!base) return orNone(p.request_params);
  const more = p.request_params.filter((key) => !base.request_params.includes(key));
  return `those of ${base.label} (above)${more.length ? `, plus ${codes(more)}` : ''}`;
}

const SECRET_NOTE: Record<ProviderInfo['form']['fields'][number]['kind'], string> = {
  text: '',
  number: '',
  secret: ', a secret (a typed value goes to the keychain)',
  'multiline-secret': ', a key file path or its contents (the contents go to the keychain)',
};

function formField(f: ProviderInfo['form']['fields'][number]): string {
  const env = f.env.length ? `, else ${codes(f.env)}` : '';
  return `${code(f.param)} (${f.label}${SECRET_NOTE[f.kind]}${env})`;
}

function section(p: ProviderInfo, index: number, providers: readonly ProviderInfo[]): string {
  const lines = [`### ${p.label} (${code(p.id)})`, ''];
  if (p.form.api_base !== 'hidden') {
    lines.push(`- Base URL: ${lookup('`api_base` (or `base_url`)', p.env.api_base, p.default_api_base)}${p.default_api_base ? '' : ' — required'}.`);
  } else {
    lines.push('- Answers in-process: no base URL, no key.');
  }
  if (p.auth.kind !== 'none') lines.push(`- Key: ${lookup('`api_key`', p.env.api_key, null)}; sent as ${AUTH[p.auth.kind](p.auth)}.`);
  if (p.form.api_version !== 'hidden') lines.push(`- API version: ${lookup('`api_version`', p.env.api_version, p.default_api_version)}.`);
  lines.push(`- Its settings (read by the gateway, never sent upstream): ${orNone(p.settings)}.`);
  if (p.form.fields.length) lines.push(`- Fields of their own in the dashboard's Add model form: ${p.form.fields.map(formField).join('; ')}.`);
  lines.push(`- Request parameters (a litellm_params default for every request): ${requestParams(p, providers.slice(0, index))}.`);
  lines.push(`- Price table (${code('litellm_provider')}): ${orNone(p.price_table_providers)}.`);
  return lines.join('\n');
}

export function renderProvidersDoc(providers: readonly ProviderInfo[], gatewayParams: readonly string[]): string {
  return [
    '# Providers',
    '',
    '<!-- Generated from the provider descriptors (server/providers/) by `npm run docs:providers`. Edit the descriptors, not this file. -->',
    '',
    'A deployment names its provider by the prefix of `litellm_params.model` (`openai/gpt-4o`), by',
    '`custom_llm_provider`, or — for a bare name such as `gpt-4o` — by the provider the bundled price table gives it.',
    "The dashboard's Add model form and `GET /admin/providers` list the same providers.",
    '',
    '| Provider | Prefixes | Endpoints | Default `api_base` | Key from | Auth | Streaming |',
    '|---|---|---|---|---|---|---|',
    ...providers.map(overviewRow),
    '',
    '## What happens to each `litellm_params` key',
    '',
    `- The gateway's own keys steer routing, limits, timeouts, prices and mocking, whatever the provider: ${codes(gatewayParams)}. They are never sent upstream.`,
    "- A provider's settings (its credentials, base URL, version) are read by the gateway and never sent upstream.",
    "- A key the provider takes as a request parameter is a default of every request; the client's own value wins.",
    '- Any other key is **not sent**, and a warning at load names its path: it may be a credential meant for another',
    '  provider (`aws_secret_access_key`, `vertex_credentials`). To send a field as it is, put it under `extra_body`.',
    '- A request field the provider cannot take is a 400 naming it, unless `drop_params` (in litellm_params or',
    '  litellm_settings) leaves it out.',
    '',
    '## Each provider',
    '',
    providers.map(section).join('\n\n'),
    '',
  ].join('\n');
}
