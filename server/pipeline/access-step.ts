/**
 * The model-access step: every model group a request may reach is checked against a virtual key's models
 * (keys/model-access.ts), not only the one it asks for.
 *
 * - the model asked for (after the key's aliases): a model the key may not call is a 403;
 * - the body's `fallbacks` / `context_window_fallbacks` / `content_policy_fallbacks`: read through the key's
 *   aliases like `model`; one naming a model the key may not call is a 403 naming it, before anything is called
 *   (the client asked for it, as it asks for `model`);
 * - the configured chains (router_settings / litellm_settings, default_fallbacks): a group the key may not call
 *   is skipped for this key, never served and never an error (the operator wrote the chain for every caller);
 * - the body's `num_retries` and `timeout` / `request_timeout` may lower the config's, never raise them.
 *
 * The master key and an open gateway (no master key) are the operator's own calls: LiteLLM's overrides as they are.
 */
import type { Caller } from '../keys/caller.ts';
import { keyAllowsEveryModel, keyAllowsModel, resolveKeyModel } from '../keys/model-access.ts';
import { onlyGroups, withRequestOverrides, type RouterSettings } from '../router/router-settings.ts';

/** What the router is told about one request: the group asked for, and the settings (chains, retries, timeout) it may use. */
export interface RequestAccess {
  modelName: string | undefined;
  settings: RouterSettings;
}

/** Throws a 403 (before the request is routed) for a model the caller may not use, named by `model` or a body fallback chain. */
export function requestAccess(caller: Caller, routing: RouterSettings, body: Record<string, unknown>, requested: string | undefined): RequestAccess {
  if (caller.kind !== 'virtual') return { modelName: requested, settings: withRequestOverrides(routing, body, requested ?? '') };
  const { key } = caller;
  const modelName = requested === undefined ? undefined : resolveKeyModel(key, requested);
  const configured = keyAllowsEveryModel(key) ? routing : onlyGroups(routing, (group) => keyAllowsModel(key, group));
  const settings = withRequestOverrides(configured, body, modelName ?? '', {
    capToSettings: true,
    bodyModel: (name, field) => resolveKeyModel(key, name, field),
  });
  return { modelName, settings };
}
