/**
 * LLProxy's config.json (seed 003) read as a gateway config. LLProxy was a small Node proxy that rate-limits
 * OpenAI-style APIs: a top-level `port` and `routes`, each route a path prefix forwarded to `forward`, with
 * per-model `rpm` / `tpm` and an admission queue (`maxQueueSize`, `maxQueueWait` in seconds, as LLProxy's README says):
 *
 *   { "port": 8080,
 *     "routes": { "/openai": { "forward": "https://api.openai.com", "provider": "openai",
 *                              "models": { "gpt-4": { "rpm": 200, "tpm": 40000, "maxQueueSize": 100, "maxQueueWait": 30 } } } } }
 *
 * `routes` may also be a list of `{ path, forward, provider, models }`. Each route becomes one entry of
 * `general_settings.pass_through_endpoints` (LiteLLM's key, which the same mechanism serves), so the rest of the
 * gateway sees one config shape and an export writes a LiteLLM config.yaml. The file is all LLProxy or all
 * LiteLLM: a `routes` file with LiteLLM keys is refused rather than half-read.
 */
import { ConfigError, type ConfigIssue } from './errors.ts';
import { describe } from './field-checks.ts';
import { formatPath, type PathSegment } from './path.ts';
import { isPlainObject } from './resolve.ts';

const TOP_LEVEL = new Set(['port', 'routes']);
const ROUTE_KEYS = new Set(['path', 'forward', 'provider', 'models', 'apiKey', 'api_key', 'headers', 'auth']);
/** LLProxy's per-model names → the gateway's (both count the queue wait in seconds). */
const MODEL_KEYS: Readonly<Record<string, { key: string; scale: number; integer: boolean }>> = {
  rpm: { key: 'rpm', scale: 1, integer: false },
  tpm: { key: 'tpm', scale: 1, integer: false },
  maxQueueSize: { key: 'max_queue_size', scale: 1, integer: true },
  maxQueueWait: { key: 'max_queue_wait', scale: 1, integer: false },
};

/** True when the parsed file is in LLProxy's format (a top-level `routes`). */
export function isLlproxyConfig(tree: unknown): tree is Record<string, unknown> {
  return isPlainObject(tree) && Object.hasOwn(tree, 'routes');
}

/**
 * The LiteLLM-shaped tree for an LLProxy config: `general_settings.pass_through_endpoints` (one per route) and
 * `general_settings.port`. Throws ConfigError naming every bad path (`routes["/openai"].models.gpt-4.rpm`).
 */
export function llproxyToGatewayTree(tree: Record<string, unknown>, file: string): Record<string, unknown> {
  const issues: ConfigIssue[] = [];
  const fail = (path: PathSegment[], message: string) => {
    issues.push({ path: formatPath(path), message });
  };
  for (const key of Object.keys(tree)) {
    if (TOP_LEVEL.has(key)) continue;
    fail(
      [key],
      key === 'model_list' || key.endsWith('_settings') || key === 'environment_variables'
        ? 'is a LiteLLM config key, but this file is in LLProxy format (it has `routes`) — use one format per file: move the routes to `general_settings.pass_through_endpoints` in a config.yaml, or drop this key'
        : 'is not an LLProxy config key — an LLProxy config.json has `port` and `routes` only',
    );
  }
  const general: Record<string, unknown> = {};
  if (tree.port !== undefined && tree.port !== null) {
    const port = tree.port;
    if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535)
      fail(['port'], `must be a port number (0-65535), got ${describe(port)}`);
    else general.port = port;
  }
  general.pass_through_endpoints = routeEntries(tree.routes, fail);
  if (issues.length) throw new ConfigError(file, issues);
  return { general_settings: general };
}

type Fail = (path: PathSegment[], message: string) => void;

function routeEntries(routes: unknown, fail: Fail): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  if (Array.isArray(routes)) {
    routes.forEach((route, index) => {
      const path = isPlainObject(route) ? route.path : undefined;
      if (typeof path !== 'string' || !path.startsWith('/')) {
        fail(['routes', index, 'path'], `must be the path prefix clients call, starting with \`/\` (for example \`"/openai"\`), got ${describe(path)}`);
        return;
      }
      const entry = routeEntry(path, route, ['routes', index], fail);
      if (entry) out.push(entry);
    });
  } else if (isPlainObject(routes)) {
    for (const [name, route] of Object.entries(routes)) {
      // LLProxy's README names routes without the slash (`"openai"` serves http://proxyhost:8080/openai/…).
      const path = name.startsWith('/') ? name : `/${name}`;
      if (!/^\/[^\s/]/.test(path)) {
        fail(['routes', name], 'route names are the path prefix clients call and start with `/` — for example `"/openai"`');
        continue;
      }
      const entry = routeEntry(path, route, ['routes', name], fail);
      if (entry) out.push(entry);
    }
  } else {
    fail(['routes'], `must map path prefixes to routes, for example \`{"/openai": {"forward": "https://api.openai.com"}}\`, got ${describe(routes)}`);
  }
  return out;
}

function routeEntry(path: string, route: unknown, at: PathSegment[], fail: Fail): Record<string, unknown> | undefined {
  if (!isPlainObject(route)) {
    fail(at, `must be a route object with \`forward\`, got ${describe(route)}`);
    return undefined;
  }
  for (const key of Object.keys(route)) {
    if (!ROUTE_KEYS.has(key))
      fail([...at, key], `is not a route key — a route has \`forward\`, \`provider\`, \`models\` (and optionally \`apiKey\`, \`headers\`, \`auth\`)`);
  }
  const forward = route.forward;
  if (typeof forward !== 'string' || !/^https?:\/\/[^/]/.test(forward)) {
    fail([...at, 'forward'], `must be the upstream's base URL, for example \`"https://api.openai.com"\`, got ${describe(forward)}`);
  }
  if (route.provider !== undefined && typeof route.provider !== 'string')
    fail([...at, 'provider'], `must be a provider name such as \`"openai"\`, got ${describe(route.provider)}`);
  const apiKey = route.apiKey ?? route.api_key;
  if (apiKey !== undefined && typeof apiKey !== 'string')
    fail([...at, route.apiKey !== undefined ? 'apiKey' : 'api_key'], `must be a string, got ${describe(apiKey)}`);
  const entry: Record<string, unknown> = {
    path,
    target: forward,
    include_subpath: true,
    // LLProxy relays the client's own headers (its Authorization included, unless the route brings a key).
    forward_headers: true,
  };
  if (typeof route.provider === 'string') entry.provider = route.provider;
  if (typeof apiKey === 'string') entry.api_key = apiKey;
  if (route.headers !== undefined) entry.headers = route.headers;
  if (route.auth !== undefined) entry.auth = route.auth;
  if (route.models !== undefined) entry.models = modelLimits(route.models, [...at, 'models'], fail);
  return entry;
}

function modelLimits(models: unknown, at: PathSegment[], fail: Fail): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  if (!isPlainObject(models)) {
    fail(at, `must map model names to limits, for example \`{"gpt-4": {"rpm": 200, "tpm": 40000}}\`, got ${describe(models)}`);
    return out;
  }
  for (const [name, limits] of Object.entries(models)) {
    if (!isPlainObject(limits)) {
      fail([...at, name], `must be the model's limits, for example \`{"rpm": 200}\`, got ${describe(limits)}`);
      continue;
    }
    const converted: Record<string, number> = {};
    for (const [key, value] of Object.entries(limits)) {
      const spec = MODEL_KEYS[key];
      if (!spec) {
        fail([...at, name, key], 'is not a model limit — use `rpm`, `tpm`, `maxQueueSize` or `maxQueueWait` (seconds)');
        continue;
      }
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (spec.integer && !Number.isInteger(value))) {
        fail([...at, name, key], `must be a ${spec.integer ? 'whole ' : ''}number of at least 0, got ${describe(value)}`);
        continue;
      }
      converted[spec.key] = value * spec.scale;
    }
    out[name] = converted;
  }
  return out;
}
