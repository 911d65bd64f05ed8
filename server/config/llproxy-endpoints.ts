/**
 * `general_settings.pass_through_endpoints`: LiteLLM's list of `{ path, target, headers, forward_headers,
 * include_subpath, auth }`, plus what LLProxy routes bring (llproxy.ts converts them into this key): `provider`
 * (whose prices meter the calls), `api_key` (sent as `Authorization: Bearer`) and per-model `models` limits
 * (`rpm`, `tpm`, `max_queue_size`, `max_queue_wait` in seconds — the router's admission queue).
 *
 * Access: with a master key, a pass-through path needs a gateway key like every other route (LiteLLM's
 * `auth: true`); `auth: false` opens that one path to anyone who can reach the gateway (a startup warning says so).
 */
import { describe } from './field-checks.ts';
import { formatPath, type PathSegment } from './path.ts';
import { isPlainObject } from './resolve.ts';
import type { ValidationIssue } from './field-checks.ts';

export interface PassThroughLimits {
  rpm?: number;
  tpm?: number;
  max_queue_size?: number;
  /** Seconds. */
  max_queue_wait?: number;
}

export interface PassThroughRoute {
  /** `/openai`: leading slash, no trailing one. */
  path: string;
  /** Where `path` goes (no trailing slash); with includeSubpath, what follows `path` is appended. */
  target: string;
  /** Forward `/path/anything` too (LLProxy routes: always; LiteLLM: `include_subpath`, default false). */
  includeSubpath: boolean;
  /** Headers the route sets on every upstream request (api_key becomes Authorization). */
  headers: Record<string, string>;
  /** Relay the client's headers (hop-by-hop ones and the gateway's own key never). */
  forwardHeaders: boolean;
  /** false: no gateway key needed even with a master key. */
  auth: boolean;
  /** Price-table provider for metering (`openai/gpt-4`); default openai. */
  provider: string;
  /** Per model name (the JSON body's `model`): rate limits and queue. */
  models: Record<string, PassThroughLimits>;
}

const KEYS = new Set(['path', 'target', 'headers', 'forward_headers', 'include_subpath', 'auth', 'provider', 'api_key', 'models', 'cost_per_request']);
const LIMIT_KEYS = new Set(['rpm', 'tpm', 'max_queue_size', 'max_queue_wait']);
/** First path segments the gateway serves itself (admin API, dashboard, health): a pass-through may not take them. */
const RESERVED = new Set(['admin', 'key', 'ui', 'model', 'config', 'health', 'spend', 'metrics', 'routing']);

export interface PassThroughReading {
  routes: PassThroughRoute[];
  issues: ValidationIssue[];
  warnings: string[];
}

/** Reads the (resolved or raw) `pass_through_endpoints` value; `at` is its path for messages. */
export function readPassThroughEndpoints(value: unknown, at: PathSegment[] = ['general_settings', 'pass_through_endpoints']): PassThroughReading {
  const reading: PassThroughReading = { routes: [], issues: [], warnings: [] };
  if (value === undefined || value === null) return reading;
  const fail = (path: PathSegment[], message: string) => {
    reading.issues.push({ path, message });
  };
  if (!Array.isArray(value)) {
    fail(at, `must be a list of endpoints like \`- { path: /bria, target: https://engine.prod.bria-api.com, include_subpath: true }\`, got ${describe(value)}`);
    return reading;
  }
  const seen = new Set<string>();
  value.forEach((entry, index) => {
    const route = readRoute(entry, [...at, index], fail, reading.warnings);
    if (!route) return;
    if (seen.has(route.path)) fail([...at, index, 'path'], `\`${route.path}\` is configured twice — keep one entry per path`);
    seen.add(route.path);
    reading.routes.push(route);
  });
  return reading;
}

type Fail = (path: PathSegment[], message: string) => void;

function readRoute(entry: unknown, at: PathSegment[], fail: Fail, warnings: string[]): PassThroughRoute | undefined {
  if (!isPlainObject(entry)) {
    fail(at, `must be a mapping with \`path\` and \`target\`, got ${describe(entry)}`);
    return undefined;
  }
  let problems = 0;
  const note: Fail = (path, message) => {
    problems++;
    fail(path, message);
  };
  for (const key of Object.keys(entry)) {
    if (!KEYS.has(key))
      note([...at, key], 'is not a pass-through endpoint key — use path, target, headers, forward_headers, include_subpath, auth, provider, api_key, models');
  }
  const path = pathOf(entry.path, [...at, 'path'], note);
  const target = entry.target;
  if (typeof target !== 'string' || !/^https?:\/\/[^/]/.test(target)) note([...at, 'target'], `must be an http(s) URL, got ${describe(target)}`);
  const headers: Record<string, string> = {};
  if (entry.headers !== undefined && entry.headers !== null) {
    if (!isPlainObject(entry.headers)) note([...at, 'headers'], `must map header names to values, got ${describe(entry.headers)}`);
    else
      for (const [name, v] of Object.entries(entry.headers)) {
        if (typeof v === 'string' || typeof v === 'number') headers[name.toLowerCase()] = String(v);
        else if (v !== undefined && v !== null) note([...at, 'headers', name], `must be a string, got ${describe(v)}`);
      }
  }
  if (typeof entry.api_key === 'string' && entry.api_key !== '') headers.authorization = `Bearer ${entry.api_key}`;
  else if (entry.api_key !== undefined && entry.api_key !== null && typeof entry.api_key !== 'string')
    note([...at, 'api_key'], `must be a string, got ${describe(entry.api_key)}`);
  const flag = (key: string, fallback: boolean): boolean => {
    const v = entry[key];
    if (v === undefined || v === null) return fallback;
    if (typeof v === 'boolean') return v;
    note([...at, key], `must be true or false, got ${describe(v)}`);
    return fallback;
  };
  const provider = entry.provider ?? 'openai';
  if (typeof provider !== 'string' || provider === '') note([...at, 'provider'], `must be a provider name such as \`openai\`, got ${describe(provider)}`);
  const models = limitsOf(entry.models, [...at, 'models'], note);
  const route: PassThroughRoute = {
    path: path ?? '',
    target: typeof target === 'string' ? target.replace(/\/+$/, '') : '',
    includeSubpath: flag('include_subpath', false),
    headers,
    forwardHeaders: flag('forward_headers', false),
    auth: flag('auth', true),
    provider: typeof provider === 'string' ? provider : 'openai',
    models,
  };
  if (problems > 0 || path === undefined) return undefined;
  if (!route.auth) {
    warnings.push(
      `${formatPath(at)}: auth: false — \`${route.path}\` forwards requests from anyone who can reach the gateway, without a gateway key, even when a master key is set`,
    );
  }
  return route;
}

function pathOf(value: unknown, at: PathSegment[], fail: Fail): string | undefined {
  if (typeof value !== 'string' || !value.startsWith('/') || value.includes('?') || value.includes('#')) {
    fail(at, `must be the path clients call, starting with \`/\`, for example \`/openai\`, got ${describe(value)}`);
    return undefined;
  }
  const path = value.replace(/\/+$/, '');
  const first = path.split('/')[1] ?? '';
  if (path === '' || RESERVED.has(first)) {
    fail(at, `\`${value}\` would hide the gateway's own ${path === '' ? 'routes' : `\`/${first}\` routes`} — choose a prefix of its own, such as \`/openai\``);
    return undefined;
  }
  return path;
}

function limitsOf(value: unknown, at: PathSegment[], fail: Fail): Record<string, PassThroughLimits> {
  const out: Record<string, PassThroughLimits> = {};
  if (value === undefined || value === null) return out;
  if (!isPlainObject(value)) {
    fail(at, `must map model names to limits, for example \`{ gpt-4: { rpm: 200, tpm: 40000 } }\`, got ${describe(value)}`);
    return out;
  }
  for (const [model, limits] of Object.entries(value)) {
    if (!isPlainObject(limits)) {
      fail([...at, model], `must be the model's limits, for example \`{ rpm: 200 }\`, got ${describe(limits)}`);
      continue;
    }
    const checked: PassThroughLimits = {};
    for (const [key, v] of Object.entries(limits)) {
      if (!LIMIT_KEYS.has(key)) fail([...at, model, key], 'is not a limit — use rpm, tpm, max_queue_size, max_queue_wait (seconds)');
      else if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) fail([...at, model, key], `must be a number of at least 0, got ${describe(v)}`);
      else checked[key as keyof PassThroughLimits] = v;
    }
    out[model] = checked;
  }
  return out;
}

/**
 * LiteLLM's header values may hold a reference after a word (`Authorization: "bearer os.environ/COHERE_API_KEY"`);
 * a whole-value reference is resolved with the rest of the config, this one here. Returns the environment
 * variables used but not set, for a warning.
 */
export function resolveHeaderReferences(settings: Record<string, unknown>, env: Readonly<Record<string, string | undefined>>): string[] {
  const missing: string[] = [];
  const endpoints = settings.pass_through_endpoints;
  if (!Array.isArray(endpoints)) return missing;
  for (const entry of endpoints) {
    if (!isPlainObject(entry) || !isPlainObject(entry.headers)) continue;
    const headers: Record<string, unknown> = { ...entry.headers };
    for (const [name, value] of Object.entries(headers)) {
      if (typeof value !== 'string') continue;
      headers[name] = value.replace(/(^|\s)os\.environ\/([A-Za-z_][A-Za-z0-9_]*)/g, (_all, space: string, variable: string) => {
        const found = env[variable];
        if (found === undefined) missing.push(variable);
        return `${space}${found ?? ''}`;
      });
    }
    entry.headers = headers;
  }
  return missing;
}
