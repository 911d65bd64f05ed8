/**
 * LiteLLM's logging callbacks — `success_callback`, `failure_callback` and `callbacks` in litellm_settings
 * (langfuse, sentry, otel, …). The gateway runs none of them yet; each one a config names is a load warning, once,
 * so nobody believes their traces go to Langfuse when they go nowhere. When the observability work implements one,
 * it adds the name to IMPLEMENTED_CALLBACKS and the warning goes away.
 */
import { isPlainObject } from './resolve.ts';

/** Callback names the gateway runs (LiteLLM's spelling, lower case). */
export const IMPLEMENTED_CALLBACKS: ReadonlySet<string> = new Set<string>();

/** The litellm_settings keys that name callbacks. */
const CALLBACK_KEYS = ['success_callback', 'failure_callback', 'callbacks'] as const;

/** A name with a dot is a Python object path (`custom_callbacks.proxy_handler_instance`), LiteLLM's custom callback. */
const isPythonHandler = (name: string) => name.includes('.');

/**
 * One warning per callback name the config's settings section gives that the gateway does not run. `tree`: the
 * parsed file (so the warning names `llm_settings` when that is what the file says).
 */
export function unimplementedCallbackWarnings(file: string, tree: unknown): string[] {
  if (!isPlainObject(tree)) return [];
  const sectionKey = Object.hasOwn(tree, 'llm_settings') ? 'llm_settings' : 'litellm_settings';
  const section = tree[sectionKey];
  if (!isPlainObject(section)) return [];
  /** name → the keys naming it, in the order met. */
  const named = new Map<string, string[]>();
  for (const key of CALLBACK_KEYS) {
    const value = section[key];
    const names = typeof value === 'string' ? [value] : Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
    for (const raw of names) {
      const name = raw.trim();
      if (name === '' || IMPLEMENTED_CALLBACKS.has(name.toLowerCase())) continue;
      const keys = named.get(name) ?? [];
      if (!keys.includes(key)) keys.push(key);
      named.set(name, keys);
    }
  }
  return [...named].map(([name, keys]) => {
    const where = keys.map((key) => `${sectionKey}.${key}`).join(' and ');
    const why = isPythonHandler(name)
      ? 'it is a Python callback handler, which cannot run in LLM Gateway'
      : 'the callback is not run by LLM Gateway yet, so nothing is sent to it';
    return `${file}: ${where}: \`${name}\` is not run by LLM Gateway — ${why}; requests are logged in the dashboard, the log and /spend/logs`;
  });
}
