/** A descriptor's public view (GET /admin/providers, docs/providers.md): names and defaults, never a secret. */
import type { ProviderFormInfo, ProviderInfo } from '../core/provider-info.ts';
import type { ProviderAuth, ProviderDescriptor, ProviderFormField } from './descriptor.ts';

function authInfo(auth: ProviderAuth): ProviderInfo['auth'] {
  if (auth.kind === 'header') return { kind: auth.kind, header: auth.header, ...(auth.bearerTokenParam ? { token_param: auth.bearerTokenParam } : {}) };
  if (auth.kind === 'query') return { kind: auth.kind, query_param: auth.param };
  return { kind: auth.kind };
}

function fieldInfo(field: ProviderFormField): ProviderFormInfo['fields'][number] {
  return {
    param: field.param,
    label: field.label,
    need: field.need,
    kind: field.kind,
    placeholder: field.placeholder ?? null,
    hint: field.hint ?? null,
    env: [...(field.env ?? [])],
  };
}

export function providerInfo(d: ProviderDescriptor): ProviderInfo {
  const { defaults, form } = d;
  return {
    id: d.id,
    label: d.label,
    prefixes: [...d.prefixes],
    endpoints: [...d.serves],
    default_api_base: defaults.apiBase ?? null,
    env: { api_base: [...defaults.apiBaseEnv], api_key: [...defaults.apiKeyEnv], api_version: [...defaults.apiVersionEnv] },
    default_api_version: defaults.apiVersion ?? null,
    auth: authInfo(d.auth),
    stream_framing: d.framing,
    price_table_providers: [...d.litellmProviders],
    settings: [...d.settings],
    request_params: [...d.requestParams.accepted],
    form: {
      model_placeholder: form.modelPlaceholder,
      api_base: form.apiBase,
      api_base_placeholder: form.apiBase === 'hidden' ? null : (defaults.apiBase ?? form.apiBaseExample ?? null),
      api_key: form.apiKey,
      api_key_env: form.apiKey === 'hidden' ? null : (defaults.apiKeyEnv[0] ?? null),
      api_version: form.apiVersion,
      api_version_placeholder: form.apiVersion === 'hidden' ? null : (defaults.apiVersion ?? null),
      extra_placeholder: form.extraPlaceholder,
      fields: (form.fields ?? []).map(fieldInfo),
    },
  };
}
